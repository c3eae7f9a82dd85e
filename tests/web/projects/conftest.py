"""A small Guangdong world for the demonstration projects (004 §三5–7).

    gd_officer          Chen, provincial officer of Guangdong (440000)
    guangzhou_reviewer  Sui, city reviewer of Guangzhou (440100) — the contract's city party
    tianhe_office       Tian, county office of Tianhe (440106), in Guangzhou
    shenzhen_reviewer   Shen, city reviewer of Shenzhen (440300) — another city
    gd_clerk            the Tianhe specialised town's government (town body)
    other_clerk         the Nanshan town's government (another town, in Shenzhen)

``province_officer`` (Guangxi) and ``auditor`` come from tests/web/conftest.py.
``approved`` is the Tianhe town in the programme's project tier; ``contract`` is its drafted
contract (city party Guangzhou, 300 provincial / 150 city / 150 town, ratio 1, three years from
2024-01-01); ``in_force`` is that contract signed by all three and in force.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from tests.web.conftest import persona, region

from accounts.models import Role
from programmes.actions import sync_programmes
from programmes.models import Programme
from projects import actions
from projects.models import Party
from projects.texts import LOCAL_DUTIES, PROVINCE_DUTIES, TOWN_DUTIES
from towns.actions import create_town, enrol_town
from xiaozhen.policy import policies_dir

PROGRAMME = "guangdong-specialised-towns"


def policy_files_dir() -> Path:
    return policies_dir()


@pytest.fixture(scope="session")
def gd_policy_dir(tmp_path_factory) -> Path:
    """Only the Guangdong file, so each test syncs one programme rather than all of them."""
    folder = tmp_path_factory.mktemp("gd-policy")
    shutil.copy(policy_files_dir() / f"{PROGRAMME}.yaml", folder)
    return folder


@pytest.fixture
def gd_programme(db, gd_policy_dir) -> Programme:
    report = sync_programmes(directory=gd_policy_dir)
    assert report.ok, report.problems
    return Programme.objects.get(policy_id=PROGRAMME)


@pytest.fixture
def gd_officer(db):
    return persona("chen", Role.PROVINCIAL_OFFICER, region_code="440000", full_name="陈处长")


@pytest.fixture
def guangzhou_reviewer(db):
    return persona("sui", Role.CITY_REVIEWER, region_code="440100", full_name="穗科长")


@pytest.fixture
def tianhe_office(db):
    return persona("tian", Role.COUNTY_OFFICE, region_code="440106", full_name="天河科技局")


@pytest.fixture
def shenzhen_reviewer(db):
    return persona("shenzhen", Role.CITY_REVIEWER, region_code="440300", full_name="深科长")


@pytest.fixture
def tianhe_town(gd_officer):
    return create_town(by=gd_officer, region=region("440106"), name_zh="天河软件专业镇", name_en="Tianhe Software Town")


@pytest.fixture
def nanshan_town(gd_officer):
    return create_town(by=gd_officer, region=region("440305"), name_zh="南山科技专业镇", name_en="Nanshan Tech Town")


@pytest.fixture
def gd_clerk(tianhe_town):
    return persona("tianhe-town", Role.TOWN_BODY, town=tianhe_town, full_name="天河镇政府")


@pytest.fixture
def other_clerk(nanshan_town):
    return persona("nanshan-town", Role.TOWN_BODY, town=nanshan_town, full_name="南山镇政府")


@pytest.fixture
def approved(gd_programme, tianhe_town, gd_officer):
    return enrol_town(town=tianhe_town, programme=gd_programme, tier="project", started_on=dt.date(2023, 6, 1),
                      by=gd_officer)


def draft(enrolment, by, **overrides):
    kwargs = dict(
        enrolment=enrolment, by=by, local_party_region=region("440100"), term_start=dt.date(2024, 1, 1),
        provincial_amount=Decimal("300"), city_amount=Decimal("150"), town_amount=Decimal("150"),
        province_duties=PROVINCE_DUTIES, local_duties=LOCAL_DUTIES, town_duties=TOWN_DUTIES,
        targets={"platform_services": 1, "local_matching_to_date": 300},
    )
    kwargs.update(overrides)
    return actions.draft_contract(**kwargs)


@pytest.fixture
def contract(approved, gd_officer):
    return draft(approved, gd_officer)


@pytest.fixture
def in_force(contract, gd_officer, guangzhou_reviewer, gd_clerk):
    actions.sign_contract(contract=contract, party=Party.PROVINCE, by=gd_officer, signed_on=dt.date(2023, 12, 1))
    actions.sign_contract(contract=contract, party=Party.LOCAL, by=guangzhou_reviewer, signed_on=dt.date(2023, 12, 5))
    actions.sign_contract(contract=contract, party=Party.TOWN, by=gd_clerk, signed_on=dt.date(2023, 12, 9))
    return actions.bring_contract_into_force(contract=contract, by=gd_officer, on=dt.date(2024, 1, 1))
