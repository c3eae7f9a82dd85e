"""Fixtures of the reviews tests: a programme with a rubric, three experts and a panel.

    reviewed_programme   tests/web/reviews/policies/test-reviewed-towns.yaml: Guangxi-wide, decided
                         by the provincial officer, rubric 40/30/30, acceptance after 3 years with
                         no acceptance steps (the default chain), an extension after a failure
    innovation_towns     the shipped Guangxi innovation towns file (expert field assessment → naming)
    expert_a/_b/_c       three experts with no assignment of their own
    reviewed_enrolment   the Qingxiu town in the reviewed programme, in creation since 2019
    panel                an assessment panel on that town set up by the provincial officer, with
                         experts A and B on it (nothing declared yet)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.web.conftest import persona

from accounts.models import Role
from programmes.actions import sync_programme
from programmes.models import Programme
from reviews import actions
from towns.actions import enrol_town, record_indicator_values
from xiaozhen.policy import load_policy_file

HERE = Path(__file__).parent
REPO = HERE.parents[2]


def _sync(path: Path) -> Programme:
    policy = load_policy_file(path)
    sync_programme(policy=policy, path=path)
    return Programme.objects.get(policy_id=policy.id)


@pytest.fixture
def reviewed_programme(db) -> Programme:
    return _sync(HERE / "policies" / "test-reviewed-towns.yaml")


@pytest.fixture
def innovation_towns(db) -> Programme:
    return _sync(REPO / "policies" / "guangxi-innovation-towns.yaml")


@pytest.fixture
def expert_a(db):
    return persona("expert-a", Role.EXPERT, full_name="甲专家")


@pytest.fixture
def expert_b(db):
    return persona("expert-b", Role.EXPERT, full_name="乙专家")


@pytest.fixture
def expert_c(db):
    return persona("expert-c", Role.EXPERT, full_name="丙专家")


@pytest.fixture
def reviewed_enrolment(reviewed_programme, qingxiu_town, province_officer):
    enrolment = enrol_town(town=qingxiu_town, programme=reviewed_programme, tier="creation",
                           started_on=dt.date(2019, 1, 1), by=province_officer)
    record_indicator_values(
        town=qingxiu_town, programme=reviewed_programme, by=province_officer, source="manual",
        values=[{"indicator": "investment", "period": str(year), "basis": "actual", "value": 4}
                for year in (2019, 2020, 2021)],
    )
    return enrolment


@pytest.fixture
def panel(reviewed_enrolment, province_officer, expert_a, expert_b):
    p = actions.create_panel(by=province_officer, programme=reviewed_enrolment.programme,
                             town=reviewed_enrolment.town, purpose="annual_assessment",
                             subject_ref="assessment:2024", title="青秀 2024 年度考核专家评审")
    actions.add_panel_member(panel=p, expert=expert_a, by=province_officer)
    actions.add_panel_member(panel=p, expert=expert_b, by=province_officer)
    return p


def member(panel, expert):
    return panel.members.get(expert=expert, active=True)


def declare_and_score(panel, expert, industry, investment, mechanism, comments=None):
    m = member(panel, expert)
    actions.declare_conflict(member=m, by=expert, conflicted=False)
    return actions.submit_scores(member=m, by=expert, comments=comments or {},
                                 scores={"industry": industry, "investment": investment, "mechanism": mechanism})
