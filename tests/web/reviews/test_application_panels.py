"""An application at its expert_review step goes to an expert panel; the panel's decision
advances the step through applications.actions.decide_step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.actions import (
    decide_step,
    open_call,
    save_draft,
    start_application,
    submit_application,
)
from applications.models import Application
from portal.errors import ActionError
from reviews import actions

from .conftest import declare_and_score


@pytest.fixture
def at_expert_review(reviewed_programme, province_officer, town_clerk, nanning_reviewer):
    today = dt.date.today()
    call = open_call(programme=reviewed_programme, title="评审测试申报", opens_on=today - dt.timedelta(days=1),
                     closes_on=today + dt.timedelta(days=30), by=province_officer, first_plan_year=today.year)
    application = start_application(call=call, town=town_clerk.town, by=town_clerk)
    data = {f"investment__{p}": "4" for p in call.plan_periods} | {"has_maker_space": "是"}
    save_draft(application=application, data=data, by=town_clerk)
    submit_application(application=application, by=town_clerk)
    decide_step(application=application, step_id="city_check", outcome="pass", reason="齐全", by=nanning_reviewer)
    application.refresh_from_db()
    assert application.current_step == "expert_review"
    return application


def application_panel(application, by, experts):
    panel = actions.create_panel(by=by, programme=application.programme, town=application.town,
                                 purpose="application_review", subject_ref=f"application:{application.pk}",
                                 title="申报专家评审")
    for e in experts:
        actions.add_panel_member(panel=panel, expert=e, by=by)
    return panel


def test_the_application_page_offers_to_set_up_the_expert_panel(at_expert_review, province_officer, signed_in):
    html = signed_in(province_officer).get(reverse("applications:detail", args=[at_expert_review.pk])).content.decode()
    assert "组织专家评审" in html and f"subject_ref=application%3A{at_expert_review.pk}" in html


def test_a_passing_panel_passes_the_expert_review_step(at_expert_review, province_officer, expert_a, expert_b):
    panel = application_panel(at_expert_review, province_officer, [expert_a, expert_b])
    declare_and_score(panel, expert_a, 34, 25, 24)
    declare_and_score(panel, expert_b, 33, 26, 25)
    actions.decide_panel(panel=panel, by=province_officer, outcome="pass", reason="专家组同意")
    application = Application.objects.get(pk=at_expert_review.pk)
    assert application.current_step == "publish"
    decision = application.decisions.get(step_id="expert_review")
    assert decision.outcome == "pass" and "83.5/100" in decision.reason and "专家组同意" in decision.reason


def test_a_failing_panel_rejects_the_application(at_expert_review, province_officer, expert_a, expert_b):
    panel = application_panel(at_expert_review, province_officer, [expert_a, expert_b])
    low = {"industry": "弱", "investment": "弱", "mechanism": "弱"}
    declare_and_score(panel, expert_a, 20, 15, 15, comments=low)
    declare_and_score(panel, expert_b, 21, 16, 15, comments=low)
    actions.decide_panel(panel=panel, by=province_officer, outcome="fail", reason="产业基础薄弱")
    assert Application.objects.get(pk=at_expert_review.pk).decisions.get(step_id="expert_review").outcome == "reject"


def test_a_panel_needs_the_application_to_be_at_its_expert_step(reviewed_programme, at_expert_review, province_officer,
                                                                xixiangtang_town):
    with pytest.raises(ActionError) as exc:
        actions.create_panel(by=province_officer, programme=reviewed_programme, town=xixiangtang_town,
                             purpose="application_review", subject_ref=f"application:{at_expert_review.pk}", title="x")
    assert exc.value.field == "subject_ref"
