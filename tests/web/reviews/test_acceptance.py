"""Acceptance and naming: applying, the acceptance chain, field assessment, naming, failure, delegation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from reviews import actions
from reviews.models import Acceptance, Panel
from reviews.permissions import can_set_up_panel, can_take_acceptance_step
from towns.actions import change_tier, enrol_town

from ..readable import named_value, visible_text
from .conftest import declare_and_score


def apply(enrolment, by, **kw):
    return actions.apply_for_acceptance(enrolment=enrolment, by=by, summary="三年完成投资 12 亿元", **kw)


def field_panel(acceptance, by, experts):
    panel = actions.create_panel(by=by, programme=acceptance.programme, town=acceptance.town, purpose="acceptance",
                                 subject_ref=acceptance.subject_ref, title="验收现场评估")
    for e in experts:
        actions.add_panel_member(panel=panel, expert=e, by=by)
    return panel


def guangxi_acceptance(programme, town, officer, clerk):
    """A Guangxi innovation town, in cultivation since 2019, that has applied for acceptance."""
    enrolment = enrol_town(town=town, programme=programme, tier="cultivation", category="other",
                           started_on=dt.date(2019, 1, 1), by=officer)
    return enrolment, apply(enrolment, clerk)


def scored_field_panel(acceptance, by, experts):
    """A field panel whose experts declared no conflict and each gave 80 % of every item."""
    panel = field_panel(acceptance, by, experts)
    scores = {item["id"]: item["max_score"] * 0.8 for item in panel.rubric}
    for e in experts:
        m = panel.members.get(expert=e)
        actions.declare_conflict(member=m, by=e, conflicted=False)
        actions.submit_scores(member=m, by=e, scores=scores)
    return panel


def test_a_town_applies_for_acceptance_and_gets_the_default_chain(reviewed_enrolment, town_clerk):
    acceptance = apply(reviewed_enrolment, town_clerk)
    assert [s["id"] for s in acceptance.steps] == ["acceptance_check", "field_assessment", "acceptance_approve"]
    assert [s["role"] for s in acceptance.steps] == ["provincial_officer", "expert", "provincial_officer"]
    assert all(s["clause"] == "T §5" for s in acceptance.steps)
    assert AuditEntry.objects.get(verb="apply_for_acceptance").actor == town_clerk


def test_acceptance_before_the_period_is_over_is_refused_with_the_date(reviewed_enrolment, town_clerk):
    with pytest.raises(ActionError) as exc:
        apply(reviewed_enrolment, town_clerk, today=dt.date(2021, 6, 1))
    assert exc.value.field == "enrolment" and "2022-01-01" in str(exc.value)


def test_a_tier_that_cannot_be_named_cannot_apply(reviewed_programme, xixiangtang_town, province_officer):
    enrolment = enrol_town(town=xixiangtang_town, programme=reviewed_programme, tier="cultivation",
                           started_on=dt.date(2018, 1, 1), by=province_officer)
    with pytest.raises(ActionError, match="cannot be named"):
        apply(enrolment, province_officer)


def test_a_second_application_while_one_runs_is_refused(reviewed_enrolment, town_clerk):
    apply(reviewed_enrolment, town_clerk)
    with pytest.raises(ActionError, match="under way"):
        apply(reviewed_enrolment, town_clerk)


def test_another_towns_body_may_not_apply(reviewed_programme, xixiangtang_town, province_officer, town_clerk):
    enrolment = enrol_town(town=xixiangtang_town, programme=reviewed_programme, tier="creation",
                           started_on=dt.date(2018, 1, 1), by=province_officer)
    with pytest.raises(NotAllowed):
        apply(enrolment, town_clerk)


def test_a_passing_town_is_named_through_check_field_assessment_and_approval(
    reviewed_enrolment, town_clerk, province_officer, expert_a, expert_b, signed_in
):
    acceptance = apply(reviewed_enrolment, town_clerk)
    with pytest.raises(NotAllowed):  # nobody sets up the field assessment before the check
        actions.decide_acceptance_step(acceptance=acceptance, by=town_clerk, outcome="pass", reason="x")
    actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass", reason="材料齐全")
    acceptance.refresh_from_db()
    assert acceptance.current_step["action"] == "expert_review"
    assert not can_take_acceptance_step(province_officer, acceptance)  # the panel decides this one

    panel = field_panel(acceptance, province_officer, [expert_a, expert_b])
    declare_and_score(panel, expert_a, 34, 25, 24)
    declare_and_score(panel, expert_b, 33, 26, 25)
    actions.decide_panel(panel=panel, by=province_officer, outcome="pass", reason="现场评估合格")
    acceptance.refresh_from_db()
    assert acceptance.current_step["id"] == "acceptance_approve"

    with pytest.raises(ActionError) as exc:
        actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass", reason="验收合格")
    assert exc.value.field == "decision_ref"
    actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass", reason="验收合格",
                                   decision_ref="桂科〔2026〕12号")
    acceptance.refresh_from_db()
    reviewed_enrolment.refresh_from_db()
    assert acceptance.status == Acceptance.Status.NAMED and reviewed_enrolment.tier == "named"
    assert acceptance.tier_change.transition_id == "name_town" and acceptance.tier_change.clause == "T §5"
    assert AuditEntry.objects.filter(verb="change_tier", to_state="named").exists()

    town_page = signed_in(town_clerk).get(reverse("towns:detail", args=[reviewed_enrolment.town.code])).content.decode()
    assert "<strong>" + '<span class="bi"><span lang="zh-Hans">命名</span>' in town_page


def test_the_acceptance_page_shows_the_engines_criteria_with_clauses(reviewed_enrolment, town_clerk, signed_in):
    acceptance = apply(reviewed_enrolment, town_clerk)
    html = signed_in(town_clerk).get(reverse("reviews:acceptance", args=[acceptance.pk])).content.decode()
    assert "建设期投资达标" in html and "T §5" in html and re.search(r" 12(\.\d+)? 亿元$", named_value(html, "cum_investment"))
    assert "verdict-pass" in html


def test_a_failed_field_assessment_fails_the_acceptance_and_proposes_the_extension(
    reviewed_enrolment, town_clerk, province_officer, expert_a, expert_b, signed_in
):
    acceptance = apply(reviewed_enrolment, town_clerk)
    actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass", reason="材料齐全")
    panel = field_panel(acceptance, province_officer, [expert_a, expert_b])
    low = {"industry": "弱", "investment": "弱", "mechanism": "弱"}
    declare_and_score(panel, expert_a, 20, 15, 15, comments=low)
    declare_and_score(panel, expert_b, 22, 16, 16, comments=low)
    actions.decide_panel(panel=panel, by=province_officer, outcome="fail", reason="产业支撑不足")
    acceptance.refresh_from_db()
    assert acceptance.status == Acceptance.Status.FAILED and "产业支撑不足" in acceptance.outcome_reason

    html = signed_in(province_officer).get(reverse("reviews:acceptance", args=[acceptance.pk])).content.decode()
    assert "验收未通过后延期" in html and "延期创建 Creation extended" in " ".join(visible_text(html))
    change = actions.extend_after_failed_acceptance(acceptance=acceptance, by=province_officer,
                                                    reason="给予一年整改期", decision_ref="桂科〔2026〕13号")
    reviewed_enrolment.refresh_from_db()
    assert change.transition_id == "extend_after_failed_acceptance" and reviewed_enrolment.tier == "creation_extended"
    with pytest.raises(ActionError):
        actions.extend_after_failed_acceptance(acceptance=acceptance, by=province_officer, reason="x", decision_ref="y")


def test_guangxi_innovation_towns_go_from_field_assessment_straight_to_naming(
    innovation_towns, qingxiu_town, province_officer, town_clerk, expert_a, expert_b
):
    enrolment, acceptance = guangxi_acceptance(innovation_towns, qingxiu_town, province_officer, town_clerk)
    assert [s["id"] for s in acceptance.steps] == ["expert_assessment", "name_town"]
    assert acceptance.steps[0]["clause"] == "000 第四部分(五)" and not acceptance.steps[0]["default"]
    panel = scored_field_panel(acceptance, province_officer, [expert_a, expert_b])
    actions.decide_panel(panel=panel, by=province_officer, outcome="pass", reason="现场评估合格")
    acceptance.refresh_from_db()
    acceptance = actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass",
                                                reason="命名", decision_ref="桂科〔2026〕1号")
    enrolment.refresh_from_db()
    assert enrolment.tier == "named"
    assert acceptance.tier_change.transition_id == "name_after_assessment"


@pytest.mark.parametrize("outcome, recorded", [("pass", 1.0), ("fail", 0.0)])
def test_a_decided_guangxi_field_panel_records_expert_assessment_passed_for_the_year(
    innovation_towns, qingxiu_town, province_officer, town_clerk, expert_a, expert_b, outcome, recorded
):
    from django.utils import timezone

    from towns.facts import facts_frame
    from towns.models import IndicatorValue

    _, acceptance = guangxi_acceptance(innovation_towns, qingxiu_town, province_officer, town_clerk)
    assert acceptance.steps[0]["confirms"] == ["expert_assessment_passed"]
    panel = scored_field_panel(acceptance, province_officer, [expert_a, expert_b])
    actions.decide_panel(panel=panel, by=province_officer, outcome=outcome, reason="现场评估")
    year = str(timezone.localdate().year)
    value = IndicatorValue.objects.get(town=qingxiu_town, programme=innovation_towns,
                                       indicator_id="expert_assessment_passed", period=year, basis="actual")
    assert value.number == recorded and value.source == "acceptance" and value.source_ref == acceptance.subject_ref
    frame = facts_frame(programme=innovation_towns, basis="actual")
    row = frame.filter((frame["town_id"] == qingxiu_town.code) & (frame["period"].cast(str) == year))
    assert row["expert_assessment_passed"].to_list() == [outcome == "pass"]


def test_a_non_delegated_city_is_refused_the_provincial_steps(reviewed_enrolment, town_clerk, nanning_reviewer):
    acceptance = apply(reviewed_enrolment, town_clerk)
    assert not can_take_acceptance_step(nanning_reviewer, acceptance)
    with pytest.raises(NotAllowed):
        actions.decide_acceptance_step(acceptance=acceptance, by=nanning_reviewer, outcome="pass", reason="x")
    assert not can_set_up_panel(nanning_reviewer, acceptance.programme, acceptance.town, "acceptance")


def test_a_delegated_city_takes_the_check_and_field_assessment_but_naming_stays_with_the_province(
    reviewed_enrolment, town_clerk, province_officer, nanning_reviewer, liuzhou_reviewer, expert_a, expert_b
):
    from regions.models import Region

    actions.delegate_acceptance(by=province_officer, programme=reviewed_enrolment.programme,
                                region=Region.objects.get(code="450100"), reason="004 §三7 委托市级组织验收")
    acceptance = apply(reviewed_enrolment, town_clerk)
    assert not can_take_acceptance_step(liuzhou_reviewer, acceptance)
    actions.decide_acceptance_step(acceptance=acceptance, by=nanning_reviewer, outcome="pass", reason="材料齐全")
    acceptance.refresh_from_db()
    panel = field_panel(acceptance, nanning_reviewer, [expert_a, expert_b])
    declare_and_score(panel, expert_a, 34, 25, 24)
    declare_and_score(panel, expert_b, 33, 26, 25)
    actions.decide_panel(panel=panel, by=nanning_reviewer, outcome="pass", reason="合格")
    acceptance.refresh_from_db()
    assert acceptance.current_step["id"] == "acceptance_approve"
    assert not can_take_acceptance_step(nanning_reviewer, acceptance)
    assert can_take_acceptance_step(province_officer, acceptance)


def test_only_the_provincial_officer_delegates_and_only_to_a_city_or_county(
    reviewed_programme, province_officer, nanning_reviewer, hangzhou_officer
):
    from regions.models import Region

    nanning = Region.objects.get(code="450100")
    with pytest.raises(NotAllowed):
        actions.delegate_acceptance(by=nanning_reviewer, programme=reviewed_programme, region=nanning)
    with pytest.raises(NotAllowed):
        actions.delegate_acceptance(by=hangzhou_officer, programme=reviewed_programme, region=nanning)
    with pytest.raises(NotAllowed):
        actions.delegate_acceptance(by=province_officer, programme=reviewed_programme,
                                    region=Region.objects.get(code="450000"))
    delegation = actions.delegate_acceptance(by=province_officer, programme=reviewed_programme, region=nanning)
    with pytest.raises(ActionError, match="already exists"):
        actions.delegate_acceptance(by=province_officer, programme=reviewed_programme, region=nanning)
    actions.revoke_delegation(delegation=delegation, by=province_officer)
    assert AuditEntry.objects.filter(verb__in=["delegate_acceptance", "revoke_delegation"]).count() == 2


def test_a_town_body_applies_through_the_pages(reviewed_enrolment, town_clerk, signed_in):
    client = signed_in(town_clerk)
    listing = client.get(reverse("reviews:acceptances")).content.decode()
    assert reverse("reviews:apply", args=[reviewed_enrolment.pk]) in listing
    empty = client.post(reverse("reviews:apply", args=[reviewed_enrolment.pk]), {"summary": ""})
    assert empty.status_code == 400
    response = client.post(reverse("reviews:apply", args=[reviewed_enrolment.pk]), {"summary": "三年总结"})
    acceptance = Acceptance.objects.get(enrolment=reviewed_enrolment)
    assert response.status_code == 302 and response["Location"] == reverse("reviews:acceptance", args=[acceptance.pk])


def test_another_citys_reviewer_cannot_see_the_acceptance(reviewed_enrolment, town_clerk, liuzhou_reviewer, signed_in):
    acceptance = apply(reviewed_enrolment, town_clerk)
    assert signed_in(liuzhou_reviewer).get(reverse("reviews:acceptance", args=[acceptance.pk])).status_code == 403


def test_the_officer_is_offered_the_panel_set_up_at_the_field_assessment_step(
    reviewed_enrolment, town_clerk, province_officer, signed_in
):
    acceptance = apply(reviewed_enrolment, town_clerk)
    actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass", reason="齐全")
    html = signed_in(province_officer).get(reverse("reviews:acceptance", args=[acceptance.pk])).content.decode()
    assert "组织专家评审" in html and "Set up the expert panel" in html
    assert "subject_ref=acceptance%3A" in html
    assert not Panel.objects.exists()


def test_a_town_already_moved_on_cannot_be_named_twice(reviewed_enrolment, town_clerk, province_officer):
    acceptance = apply(reviewed_enrolment, town_clerk)
    change_tier(enrolment=reviewed_enrolment, to_tier="named", by=province_officer, reason="x", decision_ref="y",
                transition_id="name_town")
    actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass", reason="齐全")
    acceptance.refresh_from_db()
    assert acceptance.current_step["action"] == "expert_review"


def test_a_field_panel_must_be_on_the_acceptance_of_that_town_at_its_expert_step(
    reviewed_enrolment, town_clerk, province_officer, xixiangtang_town
):
    acceptance = apply(reviewed_enrolment, town_clerk)
    with pytest.raises(ActionError, match="expert assessment step"):  # still at the check
        field_panel(acceptance, province_officer, [])
    actions.decide_acceptance_step(acceptance=acceptance, by=province_officer, outcome="pass", reason="齐全")
    with pytest.raises(ActionError) as exc:
        actions.create_panel(by=province_officer, programme=acceptance.programme, town=xixiangtang_town,
                             purpose="acceptance", subject_ref=acceptance.subject_ref, title="x")
    assert exc.value.field == "subject_ref"
    assert field_panel(acceptance, province_officer, []).subject_ref == acceptance.subject_ref


def test_the_town_page_offers_acceptance_and_then_shows_its_progress(reviewed_enrolment, town_clerk, signed_in):
    client = signed_in(town_clerk)
    url = reverse("towns:detail", args=[reviewed_enrolment.town.code])
    assert reverse("reviews:apply", args=[reviewed_enrolment.pk]) in client.get(url).content.decode()
    apply(reviewed_enrolment, town_clerk)
    html = client.get(url).content.decode()
    assert "验收中" in html and "审核验收申请" in html
    assert reverse("reviews:apply", args=[reviewed_enrolment.pk]) not in html
