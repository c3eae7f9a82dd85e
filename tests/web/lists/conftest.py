"""Fixtures for the lists tests: the shipped Tongzhou programme (one town per sub-sector,
003 §三(一)), its district office and two of its towns, besides the shared personas."""

from __future__ import annotations

import pytest
from tests.web.conftest import persona, region

from accounts.models import Role
from programmes.actions import sync_programmes
from programmes.models import Programme
from towns.actions import create_town


@pytest.fixture
def tongzhou(db) -> Programme:
    report = sync_programmes()
    assert report.ok, report.problems
    return Programme.objects.get(policy_id="tongzhou-towns")


@pytest.fixture
def tongzhou_office(db):
    return persona("gu", Role.COUNTY_OFFICE, region_code="320612", full_name="通州办")


@pytest.fixture
def jiangsu_officer(db):
    return persona("su", Role.PROVINCIAL_OFFICER, region_code="320000", full_name="苏省")


@pytest.fixture
def shigang_town(tongzhou_office):
    return create_town(by=tongzhou_office, region=region("320612"), name_zh="石港家纺小镇",
                       name_en="Shigang Textile Town", category="high_end_manufacturing", sub_sector="高端家纺")


@pytest.fixture
def chuanjiang_town(tongzhou_office):
    return create_town(by=tongzhou_office, region=region("320612"), name_zh="川姜家纺小镇",
                       name_en="Chuanjiang Textile Town", category="high_end_manufacturing", sub_sector="高端家纺")
