"""Fixtures for the applications tests: the real Guangxi innovation towns programme
(chain city_check → city_recommend → region_review → publish_list), an open call, and
helpers that fill in, upload and submit like a town body would.

    guangxi            the programme, synced from policies/guangxi-innovation-towns.yaml
    guangxi_call       an open call of the Guangxi provincial officer (year 1 = this year)
    good_facts(call)   form data that passes every application criterion a town answers
    pdf(name)          a small valid PDF upload
    submitted(town_clerk_or_other, town)  an application filled in, with materials, submitted
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.conftest import persona

from accounts.models import Role
from applications.actions import (
    open_call,
    save_draft,
    start_application,
    submit_application,
    upload_material,
)
from programmes.actions import sync_programmes
from programmes.models import Programme

REPO = Path(__file__).resolve().parents[3]
GUANGXI_FILE = REPO / "policies" / "guangxi-innovation-towns.yaml"

YEARLY = {"fixed_asset_investment": ("3.5", "4.5", "4"), "feature_investment": ("2.8", "3.6", "3.2")}
ONCE = {
    "leadership_mechanism": "是", "main_industry_count": "1", "linked_industry_count": "2",
    "conforms_urban_rural_plan": "是", "conforms_land_use_plan": "是", "independent_of_centre": "是",
    "urban_rural_fringe": "是", "contiguous_development": "是", "convenient_transport": "是",
    "public_services_complete": "是", "above_scale_enterprises": "18", "above_scale_with_rd": "5",
    "industry_academia_enterprises": "12", "high_tech_enterprises": "4", "maker_space": "是",
    "city_policy_issued": "是", "city_policy_drafting": "否", "region_funds_to_date": "1000",
    "city_funds_to_date": "1200", "in_characteristic_town_programme": "是",
}


@pytest.fixture
def guangxi(db, tmp_path) -> Programme:
    folder = tmp_path / "policies"
    folder.mkdir()
    shutil.copy(GUANGXI_FILE, folder / GUANGXI_FILE.name)
    report = sync_programmes(directory=folder)
    assert report.ok, report.problems
    return Programme.objects.get(policy_id="guangxi-innovation-towns")


@pytest.fixture
def guangxi_call(guangxi, province_officer):
    today = dt.date.today()
    return open_call(programme=guangxi, title="2026年自治区创新小镇申报", opens_on=today - dt.timedelta(days=1),
                     closes_on=today + dt.timedelta(days=30), by=province_officer, first_plan_year=today.year)


def good_facts(call, **changes) -> dict[str, str]:
    data = {"category": "high_tech_zone", "sub_sector": "电子信息"}
    periods = call.plan_periods
    for ident, values in YEARLY.items():
        for period, value in zip(periods, values, strict=True):
            data[f"{ident}__{period}"] = value
    data.update(ONCE)
    data.update(changes)
    return data


def pdf(name: str = "plan.pdf", body: bytes = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def fill_in(application, by, **changes):
    data = good_facts(application.call, **changes)
    return save_draft(application=application, data=data, by=by, category=data.get("category"),
                      sub_sector=data.get("sub_sector"))


def upload_all(application, by):
    for item in application.programme.policy.materials:
        upload_material(application=application, material_id=item.id, upload=pdf(f"{item.id}.pdf"), by=by)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def submitted(guangxi_call):
    """submitted(clerk) → that clerk's town's application, filled in, with every material, submitted."""

    def make(clerk, **changes):
        application = start_application(call=guangxi_call, town=clerk.town, by=clerk)
        fill_in(application, clerk, **changes)
        upload_all(application, clerk)
        submit_application(application=application, by=clerk)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def liuzhou_clerk(liuzhou_town):
    return persona("liu-clerk", Role.TOWN_BODY, town=liuzhou_town, full_name="柳北小镇办")


@pytest.fixture
def xixiangtang_clerk(xixiangtang_town):
    return persona("xi-clerk", Role.TOWN_BODY, town=xixiangtang_town, full_name="西乡塘小镇办")
