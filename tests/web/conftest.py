"""Web test personas and the small world they live in.

Guangxi (450000) has two cities here: Nanning (450100, with the counties Qingxiu 450103
and Xixiangtang 450107) and Liuzhou (450200, Liubei 450205). Zhejiang's Xihu (330106)
is the far-away province.

    province_officer    Guo, provincial officer of Guangxi — sees all Guangxi towns
    nanning_reviewer    Ning, city reviewer of Nanning — sees Nanning's towns only
    liuzhou_reviewer    Liu, city reviewer of Liuzhou ("another city") — Liuzhou's only
    county_office       Qing, Qingxiu county office — Qingxiu's towns only
    town_clerk          Xiao, clerk of the Qingxiu innovation town — that town only
    expert              Zhuan, expert assigned to the Liuzhou town — that town only
    auditor             Shen, nationwide auditor — sees everything, changes nothing

Towns: ``qingxiu_town`` (Nanning/Qingxiu), ``xixiangtang_town`` (Nanning/Xixiangtang),
``liuzhou_town`` (Liuzhou/Liubei), ``hangzhou_town`` (Zhejiang/Xihu). ``programme`` is the
test programme in tests/web/policies (decided by the provincial officer).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.web.sso.provider import oidc_provider, sso, sso_signing_out_here_only  # noqa: F401  (single sign-on: a real provider)

from accounts.actions import create_user
from accounts.models import Role
from programmes.actions import sync_programmes
from programmes.models import Programme
from regions.models import Region
from towns.actions import assign_expert, create_town, enrol_town

TEST_POLICIES = Path(__file__).parent / "policies"
PASSWORD = "persona-password-1"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests only need passwords to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def persona(username: str, role: str, *, region_code: str | None = None, town=None, full_name: str = ""):
    return create_user(
        username=username, password=PASSWORD, role=role, region=region(region_code) if region_code else None,
        town=town, full_name=full_name, check_password=False,
    )


@pytest.fixture
def programme(db) -> Programme:
    report = sync_programmes(directory=TEST_POLICIES)
    assert report.ok, report.problems
    return Programme.objects.get(policy_id="test-guangxi-towns")


def shipped(policy_id: str) -> Programme:
    """One of the programmes shipped under policies/, after syncing them all (cheap: each file is parsed once)."""
    report = sync_programmes()
    assert report.ok, report.problems
    return Programme.objects.get(policy_id=policy_id)


@pytest.fixture
def tongzhou(db) -> Programme:
    """Tongzhou's characteristic towns (003)."""
    return shipped("tongzhou-towns")


@pytest.fixture
def zhejiang(db) -> Programme:
    """Zhejiang's characteristic towns (002)."""
    return shipped("zhejiang-towns")


@pytest.fixture
def tongzhou_office(db):
    """Tongzhou district's joint-meeting office (区联席会议办公室, 003 §四(一)): the county office."""
    return persona("gu", Role.COUNTY_OFFICE, region_code="320612", full_name="通州联席办")


@pytest.fixture
def province_officer(db):
    return persona("guo", Role.PROVINCIAL_OFFICER, region_code="450000", full_name="郭省")


@pytest.fixture
def hangzhou_officer(db):
    return persona("hang", Role.PROVINCIAL_OFFICER, region_code="330000", full_name="杭省")


@pytest.fixture
def nanning_reviewer(db):
    return persona("ning", Role.CITY_REVIEWER, region_code="450100", full_name="宁审")


@pytest.fixture
def liuzhou_reviewer(db):
    return persona("liu", Role.CITY_REVIEWER, region_code="450200", full_name="柳审")


@pytest.fixture
def county_office(db):
    return persona("qing", Role.COUNTY_OFFICE, region_code="450103", full_name="青秀办")


@pytest.fixture
def qingxiu_town(province_officer):
    return create_town(by=province_officer, region=region("450103"), name_zh="青秀创新小镇",
                       name_en="Qingxiu Innovation Town", category="manufacturing", sub_sector="电子")


@pytest.fixture
def xixiangtang_town(province_officer):
    return create_town(by=province_officer, region=region("450107"), name_zh="西乡塘科创小镇",
                       name_en="Xixiangtang Tech Town", category="manufacturing", sub_sector="机械")


@pytest.fixture
def liuzhou_town(province_officer):
    return create_town(by=province_officer, region=region("450205"), name_zh="柳北汽车小镇",
                       name_en="Liubei Auto Town", category="manufacturing", sub_sector="机械")


@pytest.fixture
def hangzhou_town(hangzhou_officer):
    return create_town(by=hangzhou_officer, region=region("330106"), name_zh="云栖小镇",
                       name_en="Yunqi Town", category="services")


@pytest.fixture
def towns(qingxiu_town, xixiangtang_town, liuzhou_town, hangzhou_town):
    return {"qingxiu": qingxiu_town, "xixiangtang": xixiangtang_town, "liuzhou": liuzhou_town,
            "hangzhou": hangzhou_town}


@pytest.fixture
def town_clerk(qingxiu_town):
    return persona("xiao", Role.TOWN_BODY, town=qingxiu_town, full_name="小镇办")


@pytest.fixture
def expert(province_officer, liuzhou_town):
    user = persona("zhuan", Role.EXPERT, full_name="专家")
    assign_expert(expert=user, town=liuzhou_town, by=province_officer, purpose="field_visit")
    return user


@pytest.fixture
def auditor(db):
    return persona("shen", Role.AUDITOR, full_name="审计")


@pytest.fixture
def enrolment(programme, qingxiu_town, province_officer):
    return enrol_town(town=qingxiu_town, programme=programme, tier="creation",
                      started_on=dt.date(2019, 1, 1), by=province_officer)


@pytest.fixture
def signed_in(client):
    """signed_in(user) → the test client, signed in as that persona."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def debug_on(settings):
    """DEBUG on, as `make demo` sets it: ``load_demo`` refuses to run without it."""
    settings.DEBUG = True


@pytest.fixture
def demo_output(request, debug_on) -> str:
    """The whole demo in the test database, as ``manage.py load_demo`` leaves it; returns what it printed.
    Loaded once per test process and copied back for each test (tests/web/demo_snapshot.py)."""
    request.getfixturevalue("_django_db_helper")
    from tests.web.demo_snapshot import load_demo

    return load_demo()
