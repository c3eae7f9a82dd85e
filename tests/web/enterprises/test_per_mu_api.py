"""The enterprises API: push a county's figures (all or nothing), pull them and the per-mu results."""

from __future__ import annotations

from typing import Any

from enterprises import actions
from enterprises.models import EnterpriseYear
from regions.models import Region
from xiaozhen.codes import credit_code_check_char


def code(n: int) -> str:
    first = f"91450103MA6{n:06d}"
    return first + credit_code_check_char(first)


def row(n: int, town: str, **override: Any) -> dict[str, Any]:
    return {"credit_code": code(n), "name": f"推送企业{n}", "town_id": town, "year": 2024, "above_scale": True,
            "land_owned_mu": 12, "tax": 30 * n, "value_added": 150 * n, "revenue": 600 * n, "employees": 20, **override}


def test_a_county_office_pushes_rows_and_pulls_them_back(api_as, county_office, qingxiu_town):
    api = api_as(county_office)
    answer = api.post("/api/enterprises/", {"county": "450103", "rows": [row(1, qingxiu_town.code), row(2, qingxiu_town.code)]})
    assert answer.status_code == 201 and answer.json()["rows"] == 2
    pulled = api.get("/api/enterprises/", {"county": "450103", "year": 2024}).json()
    assert pulled["count"] == 2 and pulled["items"][0]["town"] == qingxiu_town.code


def test_a_bad_item_is_named_and_nothing_is_stored(api_as, county_office, qingxiu_town):
    answer = api_as(county_office).post("/api/enterprises/", {"county": "450103", "rows": [
        row(1, qingxiu_town.code), row(2, qingxiu_town.code, tax="很多")]})
    assert answer.status_code == 422
    text = str(answer.json())
    assert "第 2 项 item 2" in text and "tax" in text
    assert EnterpriseYear.objects.count() == 0


def test_another_city_can_neither_push_nor_see_the_figures(api_as, county_office, liuzhou_reviewer, qingxiu_town):
    api_as(county_office).post("/api/enterprises/", {"county": "450103", "rows": [row(1, qingxiu_town.code)]})
    other = api_as(liuzhou_reviewer)
    assert other.post("/api/enterprises/", {"county": "450103", "rows": [row(3, qingxiu_town.code)]}).status_code == 403
    assert other.get("/api/enterprises/").json()["count"] == 0


def test_results_of_a_draft_run_are_only_for_its_county(api_as, county_office, liuzhou_reviewer, qingxiu_town):
    api_as(county_office).post("/api/enterprises/", {"county": "450103", "rows": [row(n, qingxiu_town.code) for n in range(1, 6)]})
    run = actions.run_per_mu(by=county_office, county=Region.objects.get(code="450103"), year=2024)
    mine = api_as(county_office).get(f"/api/per-mu/runs/{run.pk}/results/").json()
    assert mine["count"] == 5 and mine["items"][0]["rank"] == 1 and mine["items"][0]["klass"] == "A"
    assert api_as(liuzhou_reviewer).get(f"/api/per-mu/runs/{run.pk}/results/").status_code == 404
