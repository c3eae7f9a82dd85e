"""Pushing quarterly reports: the same checks as Excel, at most once per idempotency key,
and only for the towns the token's user may report for."""

from __future__ import annotations

import datetime as dt

import pytest

from api.models import ReportPush
from audit.models import AuditEntry
from reports.actions import open_reporting_period
from reports.models import Report, ReportRevision
from towns.actions import enrol_town
from towns.models import IndicatorValue

pytestmark = pytest.mark.django_db

PERIOD = "2025Q3"


@pytest.fixture
def open_period(programme, province_officer, enrolment):
    return open_reporting_period(programme=programme, period=PERIOD, by=province_officer)


def push(api, town, *, key="q3-first", values=None, period=PERIOD, **extra):
    body = {"town": town.code, "programme": "test-guangxi-towns", "period": period,
            "values": {"investment": 2.5, "feature_investment": 2, "has_maker_space": "是"} if values is None else values,
            "idempotency_key": key, **extra}
    return api.post("/api/reports/", body)


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message_zh"] and error["message_en"]
    return error


def test_a_town_body_pushes_its_report_and_the_values_land_as_actuals(api_as, town_clerk, qingxiu_town, open_period):
    response = push(api_as(town_clerk), qingxiu_town)
    assert response.status_code == 201, response.content
    assert response["Idempotent-Replayed"] == "false"
    body = response.json()
    assert (body["town"], body["period"], body["status"], body["revision"]) == (qingxiu_town.code, PERIOD, "late", 1)
    assert body["values"]["investment"] == 2.5 and body["values"]["has_maker_space"] is True
    stored = {v.indicator_id: v.number for v in IndicatorValue.objects.filter(town=qingxiu_town, period=PERIOD)}
    assert stored == {"investment": 2.5, "feature_investment": 2.0, "has_maker_space": 1.0}
    revision = ReportRevision.objects.get()
    assert (revision.source, revision.key, revision.by) == ("api", "q3-first", town_clerk)
    entry = AuditEntry.objects.get(verb="push_report")
    assert entry.actor == town_clerk and entry.data["token"].startswith("xz_")


def test_the_same_key_and_body_again_answers_the_same_with_200_and_stores_nothing(
        api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    first = push(api, qingxiu_town)
    again = push(api, qingxiu_town)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ReportRevision.objects.count() == 1 and ReportPush.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_409(api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    push(api, qingxiu_town)
    error = error_of(push(api, qingxiu_town, values={"investment": 9}), 409, "idempotency_conflict")
    assert error["details"][0]["field"] == "idempotency_key"
    assert IndicatorValue.objects.get(town=qingxiu_town, indicator_id="investment").number == 2.5


def test_a_new_key_corrects_the_report_as_a_new_revision(api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    push(api, qingxiu_town)
    corrected = push(api, qingxiu_town, key="q3-correction", values={"investment": 3, "feature_investment": 2})
    assert corrected.status_code == 201 and corrected.json()["revision"] == 2
    assert IndicatorValue.objects.get(town=qingxiu_town, indicator_id="investment").number == 3


def test_a_push_with_two_values_patches_the_submitted_report_and_keeps_the_rest(
        api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    push(api, qingxiu_town)
    patched = push(api, qingxiu_town, key="q3-patch", values={"investment": 3, "feature_investment": 2.5})
    assert patched.status_code == 201, patched.content
    assert patched.json()["values"] == {"investment": 3.0, "feature_investment": 2.5, "has_maker_space": True}
    stored = {v.indicator_id: v.number for v in IndicatorValue.objects.filter(town=qingxiu_town, period=PERIOD)}
    assert stored == {"investment": 3.0, "feature_investment": 2.5, "has_maker_space": 1.0}
    assert ReportRevision.objects.order_by("-number").first().changes == [
        {"indicator": "feature_investment", "old": 2.0, "new": 2.5}, {"indicator": "investment", "old": 2.5, "new": 3.0}]


def test_a_patch_clears_only_what_it_sends_as_null(api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    push(api, qingxiu_town)
    patched = push(api, qingxiu_town, key="q3-patch", values={"has_maker_space": None})
    assert patched.json()["values"] == {"investment": 2.5, "feature_investment": 2.0}
    assert IndicatorValue.objects.get(town=qingxiu_town, indicator_id="has_maker_space").number is None


def test_a_push_that_says_replace_replaces_the_whole_report(api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    push(api, qingxiu_town)
    replaced = push(api, qingxiu_town, key="q3-replace", values={"investment": 3, "feature_investment": 2},
                    mode="replace")
    assert replaced.status_code == 201, replaced.content
    assert replaced.json()["values"] == {"investment": 3.0, "feature_investment": 2.0}
    assert IndicatorValue.objects.get(town=qingxiu_town, indicator_id="has_maker_space").number is None


def test_an_unknown_mode_is_refused_naming_the_field(api_as, town_clerk, qingxiu_town, open_period):
    error = error_of(push(api_as(town_clerk), qingxiu_town, mode="overwrite"), 422, "validation_error")
    assert [d["field"] for d in error["details"]] == ["mode"]
    assert not Report.objects.exists()


def test_a_resubmission_moves_submitted_at_and_the_late_status_stays(api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    push(api, qingxiu_town)
    first = dt.datetime(2025, 10, 20, 8, tzinfo=dt.UTC)
    Report.objects.update(submitted_at=first)
    again = push(api, qingxiu_town, key="q3-correction", values={"investment": 3, "feature_investment": 2}).json()
    report = Report.objects.get()
    assert report.submitted_at > first and report.status == "late"
    answered = dt.datetime.fromisoformat(again["submitted_at"].replace("Z", "+00:00"))
    assert abs(answered - report.submitted_at) < dt.timedelta(milliseconds=1)  # the API answers in milliseconds


def test_values_failing_the_checks_are_listed_by_indicator_and_nothing_is_stored(
        api_as, town_clerk, qingxiu_town, open_period):
    api = api_as(town_clerk)
    error = error_of(push(api, qingxiu_town, values={"investment": "-1", "feature_share": "72", "happiness": 9}),
                     422, "invalid")
    by_indicator = {d["indicator"]: d for d in error["details"]}
    assert {"investment", "feature_share", "happiness"} <= set(by_indicator)
    assert by_indicator["investment"]["field"] == "values.investment"
    assert "negative" in by_indicator["investment"]["message_en"] and by_indicator["investment"]["message_zh"]
    assert not IndicatorValue.objects.filter(town=qingxiu_town).exists() and not ReportPush.objects.exists()
    # The key of a refused push is not spent: the corrected report goes through under it.
    assert push(api, qingxiu_town).status_code == 201


def test_a_town_bodys_token_cannot_push_for_another_town(api_as, town_clerk, programme, province_officer,
                                                         xixiangtang_town, liuzhou_town, open_period):
    enrol_town(town=xixiangtang_town, programme=programme, tier="creation", started_on=dt.date(2019, 1, 1),
               by=province_officer)
    api = api_as(town_clerk)
    for town in (xixiangtang_town, liuzhou_town):
        error_of(push(api, town), 404, "not_found")
    assert not Report.objects.exists()


def test_a_county_office_pushes_for_its_countys_towns_only(api_as, county_office, qingxiu_town, xixiangtang_town,
                                                            open_period):
    api = api_as(county_office)
    assert push(api, qingxiu_town).status_code == 201
    error_of(push(api, xixiangtang_town), 404, "not_found")


@pytest.mark.parametrize("persona", ["nanning_reviewer", "province_officer", "auditor"])
def test_roles_that_do_not_file_reports_are_refused_with_403(persona, request, api_as, qingxiu_town, open_period):
    error_of(push(api_as(request.getfixturevalue(persona)), qingxiu_town), 403, "forbidden")
    assert not Report.objects.exists()


def test_an_expert_cannot_push_for_a_town_it_was_not_assigned(api_as, expert, qingxiu_town, open_period):
    error_of(push(api_as(expert), qingxiu_town), 404, "not_found")


def test_a_refused_user_learns_nothing_about_a_towns_keys(api_as, town_clerk, nanning_reviewer, qingxiu_town,
                                                          open_period):
    push(api_as(town_clerk), qingxiu_town)
    error_of(push(api_as(nanning_reviewer), qingxiu_town, values={"investment": 1}), 403, "forbidden")


def test_a_period_not_open_for_reporting_is_refused_naming_the_period(api_as, town_clerk, qingxiu_town, open_period):
    error = error_of(push(api_as(town_clerk), qingxiu_town, period="2025Q4"), 422, "invalid")
    assert error["details"][0]["field"] == "period"


def test_a_town_not_in_the_programme_is_refused(api_as, county_office, qingxiu_town, programme, province_officer):
    open_reporting_period(programme=programme, period=PERIOD, by=province_officer)
    error = error_of(push(api_as(county_office), qingxiu_town), 422, "invalid")
    assert error["details"][0]["field"] == "town"


def test_a_push_without_an_idempotency_key_or_with_a_bad_period_is_refused(api_as, town_clerk, qingxiu_town,
                                                                           open_period):
    api = api_as(town_clerk)
    body = {"town": qingxiu_town.code, "programme": "test-guangxi-towns", "period": "2025Q5", "values": {}}
    error = error_of(api.post("/api/reports/", body), 422, "validation_error")
    assert {d["field"] for d in error["details"]} == {"period", "idempotency_key"}


def test_control_characters_in_values_are_refused(api_as, town_clerk, qingxiu_town, open_period):
    # Since the hostile-bodies work (test_hostile_bodies.py) a value that cannot be stored is refused as the
    # body is read: code invalid_body, with the value's JSON path as the detail's field (i10b, docs/api.md).
    error = error_of(push(api_as(town_clerk), qingxiu_town, values={"investment": "2\x00"}), 422, "invalid_body")
    assert error["details"][0]["field"] == "values.investment"


def test_reports_are_listed_to_those_who_see_the_town(api_as, town_clerk, nanning_reviewer, liuzhou_reviewer,
                                                     qingxiu_town, open_period):
    push(api_as(town_clerk), qingxiu_town)
    listed = api_as(nanning_reviewer).get("/api/reports/", {"period": PERIOD}).json()
    assert [(r["town"], r["revision"]) for r in listed["items"]] == [(qingxiu_town.code, 1)]
    assert api_as(liuzhou_reviewer).get("/api/reports/").json()["count"] == 0
