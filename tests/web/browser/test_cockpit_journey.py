"""A provincial officer opens the cockpit (its map and target charts drawn), drills down to a county and opens a town's boundary map.

Screenshots: test-artifacts/test_the_cockpit_map_drills_down_to_a_towns_boundary/ (01-cockpit, 02-city, 03-town-boundary).
"""

from __future__ import annotations

import datetime as dt
import json
import math

from boundaries.actions import upload_boundary, upload_red_line_layer
from programmes.actions import sync_programmes
from programmes.models import Programme
from towns.actions import enrol_town, record_indicator_values

from ..conftest import region


def _fc(name: str, lon: float, lat: float, r: float) -> bytes:
    pts = [[lon + r * math.cos(a / 16 * 2 * math.pi) * (1 + 0.1 * math.sin(3 * a)), lat + 0.8 * r * math.sin(a / 16 * 2 * math.pi)]
           for a in range(16)]
    return json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": name},
                       "geometry": {"type": "Polygon", "coordinates": [[*pts, pts[0]]]}}]}, ensure_ascii=False).encode()


def test_the_cockpit_map_drills_down_to_a_towns_boundary(page, live_server, sign_in, shot, towns, province_officer,
                                                         settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # no worker here
    sync_programmes()
    hitech = Programme.objects.get(policy_id="guangxi-hitech-zones")
    for key, (lon, lat) in {"qingxiu": (108.38, 22.80), "xixiangtang": (108.28, 22.85), "liuzhou": (109.41, 24.33)}.items():
        enrol_town(town=towns[key], programme=hitech, tier=hitech.policy.lifecycle.entry_tiers[0],
                   started_on=dt.date(2017, 6, 1), by=province_officer,
                   category=hitech.policy.categories[0].id if hitech.policy.categories else "")
        upload_boundary(town=towns[key], layer="planned", data=_fc(towns[key].name_zh, lon, lat, 0.012),
                        filename="b.geojson", by=province_officer)
    upload_boundary(town=towns["qingxiu"], layer="construction", data=_fc("建设", 108.38, 22.80, 0.005),
                    filename="c.geojson", by=province_officer)
    upload_red_line_layer(region=region("450000"), kind="ecological_red_line", name="青秀山生态保护红线(测试)",
                          dated=dt.date(2023, 10, 31), source="测试数据", data=_fc("红线", 108.386, 22.80, 0.006),
                          filename="r.geojson", by=province_officer)
    for year, output in ((2017, 6000.0), (2018, 6900.0), (2019, 8100.0)):
        record_indicator_values(town=towns["qingxiu"], programme=hitech, by=province_officer, source="manual",
                                values=[{"indicator": "industrial_output", "period": str(year), "basis": "actual",
                                         "value": output}])

    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, province_officer)
    page.goto(f"{live_server.url}/cockpit/")
    page.wait_for_selector(".cockpit-map[data-drawn='1'] svg")
    page.wait_for_selector(".kpi-charts .chart[data-drawn='1'] svg")  # the targets drawn beside their table
    assert page.locator(".kpi-charts .chart[data-drawn='1']").count() == page.locator(".kpi-charts .chart").count()
    assert errors == []
    assert page.locator(".cockpit-map svg").inner_html().count("<path") > 3
    assert "示意图" in page.inner_text("#main")
    shot(page, "cockpit")

    page.click("ul.drill a:has-text('南宁')")
    page.wait_for_selector(".cockpit-map[data-drawn='1'] svg")
    assert "region=450100" in page.url
    shot(page, "city")

    page.goto(f"{live_server.url}/towns/{towns['qingxiu'].code}/")
    page.wait_for_selector("#boundary .chart[data-drawn='1'] svg")
    text = page.inner_text("#boundary")
    assert "触碰控制线" in text and "EPSG:4545" in text
    shot(page, "town-boundary")
