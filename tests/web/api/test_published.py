"""Published lists and assessment results through the API: the owning apps' own predicates
decide who reads what, for tokens as for pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from assessments.actions import publish_assessment, start_assessment
from lists.actions import create_list, open_notice
from programmes.actions import sync_programmes
from programmes.models import Programme
from towns.actions import change_tier, enrol_town, record_indicator_values

pytestmark = pytest.mark.django_db

ASSESSMENT_POLICIES = Path(__file__).parents[1] / "assessments" / "policies"


# --- lists ----------------------------------------------------------------------------------

@pytest.fixture
def draft_list(programme, province_officer, qingxiu_town, xixiangtang_town, liuzhou_town):
    for town in (qingxiu_town, xixiangtang_town, liuzhou_town):
        enrol_town(town=town, programme=programme, tier="creation", started_on=dt.date(2024, 1, 1),
                   by=province_officer)
    return create_list(programme=programme, tier="creation", year=2025, by=province_officer,
                       title_zh="2025年度创新小镇创建名单", title_en="2025 creation list",
                       document_number="桂科〔2025〕1号")


@pytest.fixture
def noticed_list(draft_list, province_officer):
    today = timezone.localdate()
    return open_notice(publication=draft_list, by=province_officer, opens_on=today,
                       closes_on=today + dt.timedelta(days=7))


def test_a_draft_list_is_read_only_by_the_officer_who_publishes_it(api_as, province_officer, nanning_reviewer,
                                                                   draft_list):
    mine = api_as(province_officer).get("/api/lists/").json()
    assert [(item["id"], item["status"]) for item in mine["items"]] == [(draft_list.pk, "draft")]
    reviewer = api_as(nanning_reviewer)
    assert reviewer.get("/api/lists/").json()["count"] == 0
    assert reviewer.get(f"/api/lists/{draft_list.pk}").status_code == 404


def test_a_list_on_notice_is_read_by_every_role_with_its_towns(api_as, town_clerk, expert, noticed_list, towns):
    for user in (town_clerk, expert):
        api = api_as(user)
        [item] = api.get("/api/lists/", {"status": "notice"}).json()["items"]
        assert (item["title_zh"], item["tier_label_en"], item["entry_count"]) == (
            "2025年度创新小镇创建名单", "Creation", 3)
        detail = api.get(f"/api/lists/{noticed_list.pk}").json()
        assert {e["town_code"] for e in detail["entries"]} == {
            towns["qingxiu"].code, towns["xixiangtang"].code, towns["liuzhou"].code}
        assert {e["town_name_zh"] for e in detail["entries"]} == {"青秀创新小镇", "西乡塘科创小镇", "柳北汽车小镇"}
        assert [e["position"] for e in detail["entries"]] == [1, 2, 3]


def test_lists_filter_by_programme_year_and_status(api_as, province_officer, noticed_list):
    api = api_as(province_officer)
    assert api.get("/api/lists/", {"programme": "test-guangxi-towns", "year": 2025}).json()["count"] == 1
    assert api.get("/api/lists/", {"year": 2024}).json()["count"] == 0
    assert api.get("/api/lists/", {"status": "final"}).json()["count"] == 0


# --- assessment results ---------------------------------------------------------------------

@pytest.fixture
def assessed_programme(db) -> Programme:
    report = sync_programmes(directory=ASSESSMENT_POLICIES)
    assert report.ok, report.problems
    return Programme.objects.get(policy_id="test-assessed-towns")


@pytest.fixture
def assessment_run(assessed_programme, province_officer, qingxiu_town, xixiangtang_town, liuzhou_town):
    """2020 for three towns: Qingxiu behind (demote), Xixiangtang met, Liuzhou met in cultivation (promote)."""
    p, by = assessed_programme, province_officer
    enrolments = {town.pk: enrol_town(town=town, programme=p, tier="creation", started_on=dt.date(2019, 1, 1), by=by)
                  for town in (qingxiu_town, xixiangtang_town, liuzhou_town)}
    change_tier(enrolment=enrolments[liuzhou_town.pk], to_tier="cultivation", by=by, reason="2019 考核",
                decision_ref="桂考〔2020〕1号", effective_on=dt.date(2020, 1, 1), transition_id="demote")
    for town, (y2019, y2020) in ((qingxiu_town, (3, 1)), (xixiangtang_town, (5, 5)), (liuzhou_town, (1, 7))):
        record_indicator_values(town=town, programme=p, by=by, source="manual", values=[
            {"indicator": "investment", "period": str(year), "basis": "actual", "value": v}
            for year, v in ((2019, y2019), (2020, y2020))])
    return start_assessment(programme=p, year=2020, by=by, document_number="桂考〔2021〕1号")


def results(api, year: int = 2020) -> list[dict]:
    response = api.get(f"/api/programmes/test-assessed-towns/assessments/{year}")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_results_stay_unseen_until_the_run_is_published(api_as, province_officer, assessment_run):
    assert results(api_as(province_officer)) == []


def test_published_results_carry_the_decision_its_clause_and_the_numbers(api_as, province_officer, qingxiu_town,
                                                                         assessment_run):
    publish_assessment(run=assessment_run, by=province_officer)
    by_town = {r["town_code"]: r for r in results(api_as(province_officer))}
    assert len(by_town) == 3
    qingxiu = by_town[qingxiu_town.code]
    assert (qingxiu["tier"], qingxiu["action"], qingxiu["next_tier"]) == ("creation", "demote", "cultivation")
    assert qingxiu["clause"] and qingxiu["transition_id"] == "demote" and qingxiu["annual_met"] is False
    assert qingxiu["document_number"] == "桂考〔2021〕1号" and qingxiu["effective_on"] == "2021-01-01"
    assert any(o["values"] for o in qingxiu["outcomes"]) and all(o["label_zh"] for o in qingxiu["outcomes"])
    assert qingxiu["programme_version_hash"] == assessment_run.programme_version.content_hash


def test_each_tokens_results_are_its_users_towns_only(api_as, province_officer, nanning_reviewer, liuzhou_reviewer,
                                                      town_clerk, towns, assessment_run):
    publish_assessment(run=assessment_run, by=province_officer)
    assert {r["town_code"] for r in results(api_as(nanning_reviewer))} == {towns["qingxiu"].code,
                                                                          towns["xixiangtang"].code}
    assert {r["town_code"] for r in results(api_as(liuzhou_reviewer))} == {towns["liuzhou"].code}
    assert {r["town_code"] for r in results(api_as(town_clerk))} == {towns["qingxiu"].code}


def test_a_year_without_a_run_gives_no_results_and_an_unknown_programme_404(api_as, province_officer,
                                                                            assessment_run):
    api = api_as(province_officer)
    assert results(api, 2019) == []
    assert api.get("/api/programmes/no-such-programme/assessments/2020").status_code == 404
    assert api.get("/api/programmes/test-assessed-towns/assessments/20").status_code == 422
