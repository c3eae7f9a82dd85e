"""Each role's token sees exactly what the role sees in the pages — never more."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from towns.actions import change_tier, enrol_town

pytestmark = pytest.mark.django_db


def api_town_codes(api) -> set[str]:
    body = api.get("/api/towns/", {"page_size": 200}).json()
    return {t["code"] for t in body["items"]}


def page_town_codes(client) -> set[str]:
    html = client.get(reverse("towns:list")).content.decode()
    return set(re.findall(r'href="/towns/([\w-]+)/"', html)) - {"new"}


PERSONAS = ["province_officer", "nanning_reviewer", "liuzhou_reviewer", "county_office", "town_clerk", "expert",
            "auditor", "hangzhou_officer"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_tokens_towns_are_the_towns_its_user_sees_in_the_town_list(persona, request, towns, api_as, signed_in):
    user = request.getfixturevalue(persona)
    assert api_town_codes(api_as(user)) == page_town_codes(signed_in(user))


def test_a_city_reviewers_token_never_lists_another_citys_towns(api_as, nanning_reviewer, towns):
    codes = api_town_codes(api_as(nanning_reviewer))
    assert codes == {towns["qingxiu"].code, towns["xixiangtang"].code}


def test_a_city_reviewers_token_cannot_read_another_citys_town(api_as, nanning_reviewer, towns):
    api = api_as(nanning_reviewer)
    response = api.get(f"/api/towns/{towns['liuzhou'].code}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert api.get(f"/api/towns/{towns['liuzhou'].code}/enrolments").status_code == 404
    assert api.get(f"/api/towns/{towns['qingxiu'].code}").json()["name_zh"] == "青秀创新小镇"


def test_filtering_by_another_citys_region_gives_nothing_not_its_towns(api_as, nanning_reviewer, towns):
    body = api_as(nanning_reviewer).get("/api/towns/", {"region": "450200"}).json()
    assert body["count"] == 0 and body["items"] == []


def test_a_region_filter_keeps_what_is_inside_the_region(api_as, province_officer, towns):
    body = api_as(province_officer).get("/api/towns/", {"region": "450100"}).json()
    assert {t["code"] for t in body["items"]} == {towns["qingxiu"].code, towns["xixiangtang"].code}


def test_a_town_bodys_token_sees_only_its_town(api_as, town_clerk, towns):
    api = api_as(town_clerk)
    assert api_town_codes(api) == {towns["qingxiu"].code}
    assert api.get(f"/api/towns/{towns['xixiangtang'].code}").status_code == 404


def test_an_experts_token_sees_only_the_assigned_town(api_as, expert, towns):
    assert api_town_codes(api_as(expert)) == {towns["liuzhou"].code}


def test_another_provinces_officer_sees_none_of_guangxi(api_as, hangzhou_officer, towns):
    assert api_town_codes(api_as(hangzhou_officer)) == {towns["hangzhou"].code}


@pytest.fixture
def enrolments(programme, towns, province_officer):
    made = {
        key: enrol_town(town=towns[key], programme=programme, tier="creation", started_on=dt.date(2019, 1, 1),
                        by=province_officer)
        for key in ("qingxiu", "xixiangtang", "liuzhou")
    }
    change_tier(enrolment=made["liuzhou"], to_tier="cultivation", by=province_officer, reason="2020 年度未达标",
                decision_ref="桂科〔2021〕3号", effective_on=dt.date(2021, 3, 1))
    return made


def test_a_city_reviewers_token_lists_only_its_citys_enrolments(api_as, nanning_reviewer, enrolments, towns):
    body = api_as(nanning_reviewer).get("/api/enrolments/").json()
    assert {e["town_code"] for e in body["items"]} == {towns["qingxiu"].code, towns["xixiangtang"].code}
    assert body["count"] == 2


def test_an_enrolment_carries_its_tier_history_with_clause_and_reason(api_as, liuzhou_reviewer, enrolments, programme):
    [item] = api_as(liuzhou_reviewer).get("/api/enrolments/").json()["items"]
    assert (item["tier"], item["tier_since"], item["initial_tier"]) == ("cultivation", "2021-03-01", "creation")
    assert (item["tier_label_zh"], item["tier_label_en"]) == ("培育", "Cultivation")
    [change] = item["tier_history"]
    assert change["from_tier"] == "creation" and change["to_tier"] == "cultivation"
    assert change["transition_id"] == "demote" and change["clause"] == "T §4"
    assert change["reason"] == "2020 年度未达标" and change["decision_ref"] == "桂科〔2021〕3号"
    assert change["programme_version_hash"] == programme.current_version.content_hash


def test_enrolments_filter_by_tier_and_town(api_as, province_officer, enrolments, towns):
    api = api_as(province_officer)
    assert [e["town_code"] for e in api.get("/api/enrolments/", {"tier": "cultivation"}).json()["items"]] == [
        towns["liuzhou"].code]
    assert api.get("/api/enrolments/", {"town": towns["qingxiu"].code}).json()["count"] == 1
    assert api.get("/api/enrolments/", {"open": "false"}).json()["count"] == 0


def test_a_town_bodys_token_reads_only_its_towns_tiers(api_as, town_clerk, enrolments, towns):
    api = api_as(town_clerk)
    assert [e["town_code"] for e in api.get("/api/enrolments/").json()["items"]] == [towns["qingxiu"].code]
    assert len(api.get(f"/api/towns/{towns['qingxiu'].code}/enrolments").json()) == 1
    assert api.get(f"/api/towns/{towns['liuzhou'].code}/enrolments").status_code == 404


def test_every_role_reads_the_programmes_with_their_version_hash(api_as, town_clerk, programme):
    api = api_as(town_clerk)
    [item] = api.get("/api/programmes/").json()["items"]
    assert item["id"] == "test-guangxi-towns"
    assert item["current_version"]["content_hash"] == programme.current_version.content_hash
    assert api.get("/api/programmes/test-guangxi-towns").json()["name_en"] == "Test Guangxi innovation towns"
    assert api.get("/api/programmes/no-such-programme").status_code == 404


def test_pages_hold_page_size_rows_and_say_how_many_there_are(api_as, province_officer, towns):
    api = api_as(province_officer)
    first = api.get("/api/towns/", {"page_size": 2}).json()
    second = api.get("/api/towns/", {"page_size": 2, "page": 2}).json()
    assert (first["count"], first["pages"], len(first["items"]), len(second["items"])) == (3, 2, 2, 1)
    assert not {t["code"] for t in first["items"]} & {t["code"] for t in second["items"]}
    assert api.get("/api/towns/", {"page_size": 2, "page": 9}).json()["items"] == []
