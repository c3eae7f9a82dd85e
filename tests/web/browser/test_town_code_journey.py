"""一码 (002 §二(四)1): the QR code on a town's plaque leads anyone to its public profile."""

from __future__ import annotations

import datetime as dt
import io
import json

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from towns.actions import change_tier, enrol_town, set_town_boundary

BOUNDARY = {"type": "Polygon", "coordinates": [[[120.06, 30.23], [120.09, 30.23], [120.10, 30.25], [120.07, 30.26],
                                                 [120.06, 30.23]]]}


def test_decoding_a_towns_qr_code_opens_its_public_profile(page, live_server, shot, settings, programme,
                                                             province_officer, qingxiu_town):
    settings.XIAOZHEN_PUBLIC_URL = live_server.url
    enrolment = enrol_town(town=qingxiu_town, programme=programme, tier="creation", started_on=dt.date(2020, 1, 1),
                           by=province_officer)
    change_tier(enrolment=enrolment, to_tier="named", by=province_officer, reason="验收合格",
                decision_ref="桂科〔2024〕9号", effective_on=dt.date(2024, 5, 1), transition_id="name_town")
    set_town_boundary(town=qingxiu_town, geojson=json.dumps(BOUNDARY), by=province_officer)

    response = page.request.get(f"{live_server.url}/t/{qingxiu_town.code}/qr.png")
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.body())))
    assert code.text == f"{live_server.url}/t/{qingxiu_town.code}/"

    page.goto(code.text)  # nobody is signed in
    expect(page.get_by_role("heading", name=qingxiu_town.name_zh)).to_be_visible()
    expect(page.get_by_text("有效 valid")).to_be_visible()
    expect(page.get_by_role("img", name="边界示意 boundary sketch")).to_be_visible()
    shot(page, "public-profile")
