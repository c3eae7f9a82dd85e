"""Fixtures for quarterly reporting.

The Guangxi test programme (tests/web/policies, decided by the provincial officer) has no
ledger link, so its reports need no ledger. Tongzhou's real programme file (policies/,
decided by the Tongzhou district office, 003 §四(二)) ties the ledger to the reported
investment and leaves residential projects out (003 §三(四)):

    tongzhou            the programme
    tongzhou_office     Tong, the Tongzhou district office (county_office, 320612)
    chuanjiang_town     a Tongzhou creation town; ``chuanjiang_clerk`` is its town body
    ertong_town         a second Tongzhou town
    haimen_town         a town of Haimen (another county of Nantong), also in the programme
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.web.conftest import persona, region

from accounts.models import Role
from reports.actions import open_reporting_period
from towns.actions import create_town, enrol_town
from xiaozhen.periods import Period

REPO = Path(__file__).resolve().parents[3]
PAST = "2025Q3"  # due 2025-10-15 (test programme) — long past


def current_quarter() -> str:
    return str(Period.for_date(dt.date.today(), "quarter"))


@pytest.fixture
def past_period(programme, province_officer, enrolment):
    return open_reporting_period(programme=programme, period=PAST, by=province_officer)


@pytest.fixture
def current_period(programme, province_officer, enrolment):
    return open_reporting_period(programme=programme, period=current_quarter(), by=province_officer)




@pytest.fixture
def jiangsu_officer(db):
    return persona("su", Role.PROVINCIAL_OFFICER, region_code="320000", full_name="苏省")


def _tongzhou_town(by, tongzhou, code_region: str, name: str, enrol_by):
    town = create_town(by=by, region=region(code_region), name_zh=name, category="high_end_manufacturing")
    enrol_town(town=town, programme=tongzhou, tier="creation", started_on=dt.date(2020, 1, 1), by=enrol_by)
    return town


@pytest.fixture
def chuanjiang_town(jiangsu_officer, tongzhou, tongzhou_office):
    return _tongzhou_town(jiangsu_officer, tongzhou, "320612", "川姜家纺小镇", tongzhou_office)


@pytest.fixture
def ertong_town(jiangsu_officer, tongzhou, tongzhou_office):
    return _tongzhou_town(jiangsu_officer, tongzhou, "320612", "二甲小镇", tongzhou_office)


@pytest.fixture
def haimen_town(jiangsu_officer, tongzhou):
    town = create_town(by=jiangsu_officer, region=region("320614"), name_zh="海门叠石桥小镇", category="high_end_manufacturing")
    # Tongzhou's programme covers Tongzhou only: the Haimen town is enrolled in no programme of it.
    return town


@pytest.fixture
def chuanjiang_clerk(chuanjiang_town):
    return persona("chuan", Role.TOWN_BODY, town=chuanjiang_town, full_name="川姜办")


@pytest.fixture
def tongzhou_period(tongzhou, tongzhou_office, chuanjiang_town, ertong_town):
    return open_reporting_period(programme=tongzhou, period=PAST, by=tongzhou_office)


def tongzhou_values(investment: float = 3.0, feature: float = 2.0, residential: float = 1.0) -> dict:
    return {"investment": investment, "feature_investment": feature, "residential_investment": residential,
            "planning_area_km2": "3.2", "town_parlour": "是"}


def tongzhou_ledger(feature: float = 2.0, residential: float = 1.0) -> list[dict]:
    return [
        {"project_name": "家纺产业园二期", "project_type": "feature_industry", "planned_investment": 20,
         "completed_investment": feature},
        {"project_name": "川姜人才公寓", "project_type": "residential", "planned_investment": 5,
         "completed_investment": residential},
    ]
