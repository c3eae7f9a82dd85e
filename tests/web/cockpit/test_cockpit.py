"""The cockpit, as each office sees it: scoped map, targets with projections, rankings, drill-down, XLSX."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from boundaries.actions import upload_boundary
from cockpit.actions import upload_base_layer
from cockpit.colourings import Colouring, register_colouring
from portal.errors import ActionError, NotAllowed
from programmes.models import Programme
from towns.actions import enrol_town, record_indicator_values

from ..conftest import region, shipped


def ring(lon: float, lat: float, r: float = 0.01) -> list[list[float]]:
    pts = [[round(lon + r * math.cos(a / 12 * 2 * math.pi), 6), round(lat + 0.8 * r * math.sin(a / 12 * 2 * math.pi), 6)]
           for a in range(12)]
    return [*pts, pts[0]]


def fc(*features: tuple[str, list[list[float]]]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [r]}}
        for name, r in features]}, ensure_ascii=False).encode()


@pytest.fixture
def hitech(db) -> Programme:
    return shipped("guangxi-hitech-zones")


@pytest.fixture
def guangxi(hitech, towns, province_officer):
    """Qingxiu and Xixiangtang (Nanning) and Liubei (Liuzhou) in the hi-tech zone plan, with boundaries."""
    places = {"qingxiu": (108.38, 22.80), "xixiangtang": (108.28, 22.85), "liuzhou": (109.41, 24.33)}
    for key, (lon, lat) in places.items():
        town = towns[key]
        enrol_town(town=town, programme=hitech, tier=hitech.policy.lifecycle.entry_tiers[0],
                   started_on=dt.date(2017, 6, 1), by=province_officer, category=hitech.policy.categories[0].id if hitech.policy.categories else "")
        upload_boundary(town=town, layer="planned", data=fc((town.name_zh, ring(lon, lat))), filename="b.geojson",
                        by=province_officer)
    return towns


def test_the_province_sees_all_its_towns_on_a_schematic_labelled_as_such(guangxi, province_officer, signed_in):
    client = signed_in(province_officer)
    page = client.get(reverse("cockpit:index")).content.decode()
    assert "示意图" in page and "Schematic" in page
    option = client.get(reverse("cockpit:map_data")).json()
    assert "not a map" in option["title"]["text"]
    codes = {item["c"] for series in option["series"] for item in series["data"]}
    assert codes == {guangxi["qingxiu"].code, guangxi["xixiangtang"].code, guangxi["liuzhou"].code}
    cells = [f["properties"]["name"] for f in next(iter(option["xzMaps"].values()))["features"]]
    assert any("南宁" in c for c in cells) and any("柳州" in c for c in cells)


def test_a_city_reviewer_sees_only_its_city_and_is_refused_another(guangxi, nanning_reviewer, signed_in):
    client = signed_in(nanning_reviewer)
    option = client.get(reverse("cockpit:map_data")).json()
    codes = {item["c"] for series in option["series"] for item in series["data"]}
    assert codes == {guangxi["qingxiu"].code, guangxi["xixiangtang"].code}
    assert client.get(reverse("cockpit:index") + "?region=450200").status_code == 403
    assert client.get(reverse("cockpit:map_data") + "?region=450000").status_code == 403


def test_a_town_body_and_an_expert_have_no_cockpit(town_clerk, signed_in):
    assert signed_in(town_clerk).get(reverse("cockpit:index")).status_code == 403


def test_towns_are_coloured_by_tier_with_a_legend_and_open_their_page(guangxi, province_officer, signed_in, hitech):
    option = signed_in(province_officer).get(reverse("cockpit:map_data")).json()
    entry = hitech.policy.lifecycle.tiers[[t.id for t in hitech.policy.lifecycle.tiers].index(hitech.policy.lifecycle.entry_tiers[0])]
    series = {s["name"]: s for s in option["series"]}
    assert len(series[f"{entry.label.zh} {entry.label.en.lower()}"]["data"]) == 3
    assert option["xzLink"] == "/towns/{code}/"


def test_another_app_can_add_a_colouring(guangxi, province_officer, signed_in):
    @register_colouring(key="test_index", zh="活力指数", en="Vitality index", order=99)
    def by_index(programme, town_ids):
        return Colouring(classes=[("high", "高 high", "#006400")], town_class={guangxi["qingxiu"].pk: "high"})

    option = signed_in(province_officer).get(reverse("cockpit:map_data") + "?colour=test_index").json()
    series = {s["name"]: s for s in option["series"]}
    assert [i["c"] for i in series["高 high"]["data"]] == [guangxi["qingxiu"].code]
    assert len(series["无数据 no data"]["data"]) == 2


def test_drill_down_goes_province_to_city_to_county_to_town(guangxi, province_officer, signed_in):
    client = signed_in(province_officer)
    page = client.get(reverse("cockpit:index")).content.decode()
    assert "?region=450100" in page and "?region=450200" in page
    page = client.get(reverse("cockpit:index") + "?region=450100").content.decode()
    assert "?region=450103" in page
    page = client.get(reverse("cockpit:index") + "?region=450103").content.decode()
    assert reverse("towns:detail", args=[guangxi["qingxiu"].code]) in page


def test_targets_show_progress_a_projection_with_its_band_and_a_flag(guangxi, province_officer, signed_in, hitech):
    for year, output in ((2017, 6000.0), (2018, 6900.0), (2019, 8100.0)):
        record_indicator_values(town=guangxi["qingxiu"], programme=hitech, by=province_officer, source="manual",
                                values=[{"indicator": "industrial_output", "period": str(year), "basis": "actual", "value": output}])
    data = signed_in(province_officer).get(reverse("cockpit:kpi_data")).json()
    row = next(t for t in data["targets"] if t["target_id"] == "industrial_output_total")
    assert row["target"] == 10000 and row["target_year"] == 2020 and row["clause"].startswith("001 §二")
    assert row["latest"] == 8100.0 and row["progress"] == pytest.approx(0.81)
    assert row["projected"] == pytest.approx(9100.0)  # slope 1050 a year from 6900 at 2018 → 2020
    assert row["low"] < row["projected"] < row["high"]
    assert row["status"] == "at_risk"
    page = signed_in(province_officer).get(reverse("cockpit:index")).content.decode()
    assert "95%预测区间" in page and "有风险" in page


def _chart(page: str, chart_id: str) -> dict:
    """The option a page hands to charts.js: the json_script with that id."""
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', page, re.S)
    assert match, chart_id
    return json.loads(match.group(1))


def test_each_target_is_drawn_with_the_figures_of_its_table(guangxi, province_officer, signed_in, hitech):
    for year, output in ((2017, 6000.0), (2018, 6900.0), (2019, 8100.0)):
        record_indicator_values(town=guangxi["qingxiu"], programme=hitech, by=province_officer, source="manual",
                                values=[{"indicator": "industrial_output", "period": str(year), "basis": "actual",
                                         "value": output}])
    client = signed_in(province_officer)
    rows = client.get(reverse("cockpit:kpi_data")).json()["targets"]
    page = client.get(reverse("cockpit:index")).content.decode()
    with_figures = [i for i, row in enumerate(rows) if any(v is not None for _, v in row["series"])]
    assert with_figures and page.count('data-echart="cockpit-kpi-') == len(with_figures)  # none for a target without figures
    for i in with_figures:
        row = rows[i]
        option = _chart(page, f"cockpit-kpi-{i}")
        scale, digits = (100, 2) if row["is_share"] else (1, 4)
        years = [int(y) for y in option["xAxis"]["data"]]
        actual, projection, extent, *band = option["series"]
        assert extent["data"][-1] == round(row["target"] * scale, digits)
        assert years[-1] == row["target_year"]
        assert {y: v for y, v in zip(years, actual["data"], strict=True) if v is not None} == {
            y: round(v * scale, digits) for y, v in row["series"] if v is not None}
        assert actual["markLine"]["data"][0]["yAxis"] == round(row["target"] * scale, digits)
        if row["projected"] is not None:
            assert projection["data"][-1] == round(row["projected"] * scale, digits)
        if band:
            low, width = band
            assert low["data"][-1] == round(row["low"] * scale, digits)
            assert width["data"][-1] == round((row["high"] - row["low"]) * scale, digits)
    output = next(i for i, r in enumerate(rows) if r["target_id"] == "industrial_output_total")
    drawn = _chart(page, f"cockpit-kpi-{output}")
    assert drawn["series"][1]["data"][-1] == pytest.approx(9100.0)  # the projection the table shows


def test_the_trends_are_drawn_with_the_figures_of_their_tables(hitech, towns, hangzhou_officer, signed_in):
    zhejiang = Programme.objects.get(policy_id="zhejiang-towns")
    enrol_town(town=towns["hangzhou"], programme=zhejiang, tier="creation", started_on=dt.date(2017, 8, 1),
               by=hangzhou_officer, category="digital_economy")
    record_indicator_values(town=towns["hangzhou"], programme=zhejiang, by=hangzhou_officer, source="manual", values=[
        {"indicator": "investment", "period": str(y), "basis": "actual", "value": 10.0 + y - 2018} for y in (2018, 2019)])
    response = signed_in(hangzhou_officer).get(reverse("cockpit:index"))
    page = response.content.decode()
    by_year = response.context["rankings"]["investment_by_year"]
    assert [(r["year"], r["investment"]) for r in by_year] == [(2018, 10.0), (2019, 11.0)]
    investment = _chart(page, "cockpit-trend-investment")
    assert investment["xAxis"]["data"] == [str(r["year"]) for r in by_year]
    assert investment["series"][0]["data"] == [r["investment"] for r in by_year]
    reports = response.context["reports"]
    if reports:
        drawn = _chart(page, "cockpit-trend-reports")
        assert [s["data"] for s in drawn["series"]] == [[r[k] for r in reports] for k in ("on_time", "late", "not_submitted")]


def test_each_panel_downloads_as_xlsx(guangxi, province_officer, signed_in):
    client = signed_in(province_officer)
    for panel in ("map", "targets", "rankings", "trends", "drilldown"):
        response = client.get(reverse("cockpit:export", args=[panel]))
        assert response.status_code == 200, panel
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames, panel
    book = load_workbook(io.BytesIO(client.get(reverse("cockpit:export", args=["map"])).content))
    codes = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert guangxi["liuzhou"].code in codes


def test_an_office_uploads_its_approved_outlines_and_the_map_uses_them(guangxi, province_officer, signed_in):
    with pytest.raises(ActionError, match="审图号"):
        upload_base_layer(region=region("450000"), name="广西标准地图", approval_number=" ", data=b"{}",
                          filename="gx.geojson", by=province_officer)
    layer = upload_base_layer(region=region("450000"), name="广西标准地图(县级)", approval_number="桂S(2023)1号",
                              data=fc(("南宁市", ring(108.35, 22.8, 0.6)), ("柳州市", ring(109.4, 24.3, 0.6))),
                              filename="gx.geojson", by=province_officer)
    assert AuditEntry.objects.filter(verb="upload_base_layer", to_state="v1").exists()
    option = signed_in(province_officer).get(reverse("cockpit:map_data")).json()
    assert "桂S(2023)1号" in option["title"]["text"] and "示意图" not in option["title"]["text"]
    lons = [item["value"][0] for series in option["series"] for item in series["data"]]
    assert all(108 < lon < 110 for lon in lons)
    assert layer.number == 1


def test_only_the_office_itself_uploads_its_outlines(db, nanning_reviewer, province_officer):
    with pytest.raises(NotAllowed):
        upload_base_layer(region=region("450000"), name="x", approval_number="y", data=b"{}", filename="a.geojson",
                          by=nanning_reviewer)


def test_towns_can_be_coloured_by_control_line_findings(guangxi, province_officer, signed_in, settings,
                                                        django_capture_on_commit_callbacks):
    from boundaries.actions import upload_red_line_layer

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):  # the comparison task runs as the upload commits
        upload_red_line_layer(region=region("450000"), kind="ecological_red_line", name="青秀山生态保护红线(测试)",
                              dated=dt.date(2023, 10, 31), source="测试数据",
                              data=fc(("红线", ring(108.385, 22.80, 0.006))), filename="r.geojson", by=province_officer)
    option = signed_in(province_officer).get(reverse("cockpit:map_data") + "?colour=red_lines").json()
    series = {s["name"]: [i["c"] for i in s["data"]] for s in option["series"]}
    assert series["触碰控制线 crosses a control line"] == [guangxi["qingxiu"].code]
    assert sorted(series["未触碰 clear"]) == sorted([guangxi["xixiangtang"].code, guangxi["liuzhou"].code])


def test_the_map_is_not_sent_again_until_the_data_change(guangxi, province_officer, signed_in):
    client = signed_in(province_officer)
    first = client.get(reverse("cockpit:map_data"))
    again = client.get(reverse("cockpit:map_data"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert "private" in first["Cache-Control"]
    from django.core.cache import cache

    upload_boundary(town=guangxi["liuzhou"], layer="planned", data=fc(("新边界", ring(109.42, 24.33))),
                    filename="b2.geojson", by=province_officer)
    cache.clear()  # the stamp is re-read every 5 s; a test does not wait
    changed = client.get(reverse("cockpit:map_data"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_exported_text_that_excel_would_run_as_a_formula_is_quoted():
    from cockpit.export import _sheet

    sheet = _sheet("t", ["a"], [["=HYPERLINK(\"x\")", "+1", "-2", "@cmd", "通州", 3.5]])
    assert sheet.rows[0] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@cmd", "通州", 3.5]
