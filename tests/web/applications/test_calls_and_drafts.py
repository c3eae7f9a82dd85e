"""Calls with a window; drafts kept as typed; submission checks facts and materials."""

from __future__ import annotations

import datetime as dt

import pytest

from applications.actions import open_call, save_draft, start_application, submit_application
from applications.models import Application
from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed

from .conftest import fill_in, good_facts, upload_all


def test_the_provincial_officer_opens_a_call_and_it_is_audited(guangxi, province_officer):
    call = open_call(programme=guangxi, title="申报通知", opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 4, 1),
                     by=province_officer)
    assert call.region.code == "450000" and call.plan_periods == ["2026", "2027", "2028"]
    entry = AuditEntry.objects.get(verb="open_call")
    assert entry.actor == province_officer and entry.to_state == "open"


@pytest.mark.parametrize("who", ["nanning_reviewer", "county_office", "town_clerk", "auditor", "hangzhou_officer"])
def test_only_the_programmes_deciding_role_inside_its_region_may_open_a_call(guangxi, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        open_call(programme=guangxi, title="申报通知", opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 4, 1),
                  by=user)


def test_a_call_cannot_close_before_it_opens(guangxi, province_officer):
    with pytest.raises(ActionError) as err:
        open_call(programme=guangxi, title="x", opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 2, 1),
                  by=province_officer)
    assert err.value.field == "closes_on"


def test_applying_before_the_window_opens_is_refused_with_the_opening_date(guangxi_call, town_clerk):
    early = guangxi_call.opens_on - dt.timedelta(days=3)
    with pytest.raises(ActionError) as err:
        start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk, today=early)
    assert "尚未开始" in str(err.value) and f"{guangxi_call.opens_on:%Y-%m-%d}" in str(err.value)


def test_applying_after_the_window_closes_is_refused_with_the_closing_date(guangxi_call, town_clerk):
    late = guangxi_call.closes_on + dt.timedelta(days=1)
    with pytest.raises(ActionError) as err:
        start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk, today=late)
    assert "已于" in str(err.value) and "closed" in str(err.value)
    assert not Application.objects.exists()


def test_a_town_applies_once_per_call(guangxi_call, town_clerk):
    start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    with pytest.raises(ActionError):
        start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)


def test_a_draft_keeps_invalid_answers_as_typed(guangxi_call, town_clerk):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    period = guangxi_call.plan_periods[0]
    save_draft(application=application, data={f"fixed_asset_investment__{period}": "很多", "maker_space": "也许"},
               by=town_clerk)
    application.refresh_from_db()
    assert application.facts == {"fixed_asset_investment": {period: "很多"}, "maker_space": {period: "也许"}}
    assert application.state == "draft"


def test_submitting_without_required_facts_lists_each_missing_one(guangxi_call, town_clerk):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    data = good_facts(guangxi_call)
    third = guangxi_call.plan_periods[2]
    del data[f"fixed_asset_investment__{third}"], data["high_tech_enterprises"]
    save_draft(application=application, data=data, by=town_clerk, category="high_tech_zone")
    upload_all(application, town_clerk)
    with pytest.raises(ActionError) as err:
        submit_application(application=application, by=town_clerk)
    text = str(err.value)
    assert f"第3年({third})" in text and "高新技术企业数" in text
    application.refresh_from_db()
    assert application.state == "draft" and not application.submissions.exists()


def test_submitting_with_an_invalid_value_names_it(guangxi_call, town_clerk):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    fill_in(application, town_clerk, above_scale_with_rd="30")  # more than the 18 above-scale enterprises
    upload_all(application, town_clerk)
    with pytest.raises(ActionError) as err:
        submit_application(application=application, by=town_clerk)
    assert "大于规上企业数" in str(err.value)


def test_submitting_without_every_material_names_the_missing_ones_with_their_clause(guangxi_call, town_clerk):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    fill_in(application, town_clerk)
    with pytest.raises(ActionError) as err:
        submit_application(application=application, by=town_clerk)
    assert "缺少材料：创新小镇创建方案(000 第四部分(一))" in str(err.value)


def test_a_failing_application_may_still_be_submitted_and_its_verdict_says_why(guangxi_call, town_clerk):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    periods = guangxi_call.plan_periods
    fill_in(application, town_clerk, **{f"fixed_asset_investment__{p}": "1" for p in periods},
            **{f"feature_investment__{p}": "0.8" for p in periods})
    upload_all(application, town_clerk)
    submission = submit_application(application=application, by=town_clerk)
    assert submission.verdict["verdict"] == "fail"
    failed = [o for o in submission.verdict["outcomes"] if o["outcome"] == "fail"]
    assert [o["criterion_id"] for o in failed] == ["app_investment_total"]
    # 000 第二部分(四) is judged on the first three plan years (SUM_FIRST_YEARS), so the figure shown is that sum
    assert failed[0]["values"]["sum_first_investment_window_years__counted_investment"] == 3.0
    assert failed[0]["thresholds"]["min_investment_3y"] == 10


def test_submitting_needs_the_programmes_category(guangxi_call, town_clerk):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    fill_in(application, town_clerk, category="")
    upload_all(application, town_clerk)
    with pytest.raises(ActionError) as err:
        submit_application(application=application, by=town_clerk)
    assert "类别" in str(err.value)
