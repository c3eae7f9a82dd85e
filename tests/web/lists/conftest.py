"""Fixtures for the lists tests: the shipped Tongzhou programme (one town per sub-sector,
003 §三(一)), its district office and two of its towns, besides the shared personas."""

from __future__ import annotations

import pytest
from tests.web.conftest import persona, region

from accounts.models import Role
from towns.actions import create_town


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


@pytest.fixture
def creation_towns(programme, province_officer, qingxiu_town, xixiangtang_town, liuzhou_town):
    """Three Guangxi towns on the test programme's creation tier (Qingxiu, Xixiangtang, Liuzhou)."""
    import datetime as dt

    from towns.actions import enrol_town

    for town in (qingxiu_town, xixiangtang_town, liuzhou_town):
        enrol_town(town=town, programme=programme, tier="creation", started_on=dt.date(2024, 1, 1),
                   by=province_officer)
    return [qingxiu_town, xixiangtang_town, liuzhou_town]


@pytest.fixture
def draft(programme, province_officer, creation_towns):
    from lists.actions import create_list

    return create_list(programme=programme, tier="creation", year=2025, by=province_officer,
                       title_zh="2025年度创新小镇创建名单", title_en="2025 creation list", document_number="桂科〔2025〕1号")


@pytest.fixture
def on_notice(draft, province_officer):
    """The draft on notice, window open from today for a week."""
    import datetime as dt

    from django.utils import timezone

    from lists.actions import open_notice

    today = timezone.localdate()
    return open_notice(publication=draft, by=province_officer, opens_on=today, closes_on=today + dt.timedelta(days=7))
