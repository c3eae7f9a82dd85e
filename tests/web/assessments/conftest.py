"""The assessment tests' small worlds.

``assessed`` — the test programme of tests/web/assessments/policies (Guangxi, decided by the
provincial officer) with three towns and two years of figures (2020 is their second year):

    qingxiu_town      creation, invested 3 + 1 by 2020 (needs 6): behind → demote
    xixiangtang_town  creation, invested 5 + 5: met → stays, the year's top investment → excellent
    liuzhou_town      cultivation since 2020 (its first year there), invested 4 + 4: met → promote

``zhejiang`` — the shipped Zhejiang programme with Hangzhou towns (decided by the Zhejiang
provincial officer) for grades, star ratings and the five-year risk review.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.web.conftest import region

from programmes.actions import sync_programmes
from programmes.models import Programme
from towns.actions import change_tier, create_town, enrol_town, record_indicator_values

POLICIES = Path(__file__).parent / "policies"
DOC = "桂考〔2021〕1号"


@pytest.fixture
def assessed_programme(db) -> Programme:
    report = sync_programmes(directory=POLICIES)
    assert report.ok, report.problems
    return Programme.objects.get(policy_id="test-assessed-towns")


def figures(town, programme, by, per_year: dict[int, float], **extra):
    rows = [{"indicator": "investment", "period": str(y), "basis": "actual", "value": v} for y, v in per_year.items()]
    for ident, (year, value) in extra.items():
        rows.append({"indicator": ident, "period": str(year), "basis": "actual", "value": value})
    record_indicator_values(town=town, programme=programme, values=rows, by=by, source="manual")


@pytest.fixture
def assessed(assessed_programme, province_officer, qingxiu_town, xixiangtang_town, liuzhou_town):
    p, by = assessed_programme, province_officer
    enrolments = {}
    for key, town, tier in (("qingxiu", qingxiu_town, "creation"), ("xixiangtang", xixiangtang_town, "creation"),
                            ("liuzhou", liuzhou_town, "creation")):
        enrolments[key] = enrol_town(town=town, programme=p, tier=tier, started_on=dt.date(2019, 1, 1), by=by)
    change_tier(enrolment=enrolments["liuzhou"], to_tier="cultivation", by=by, reason="2019 考核", decision_ref="桂考〔2020〕1号",
                effective_on=dt.date(2020, 1, 1), transition_id="demote")
    figures(qingxiu_town, p, by, {2019: 3, 2020: 1})
    figures(xixiangtang_town, p, by, {2019: 5, 2020: 5})
    figures(liuzhou_town, p, by, {2019: 1, 2020: 7})
    for e in enrolments.values():
        e.refresh_from_db()
    return enrolments



@pytest.fixture
def zhejiang_towns(zhejiang, hangzhou_officer):
    """A named town (figures for a four-star year), and a creation town five years in (2020–2024)."""
    by = hangzhou_officer
    named = create_town(by=by, region=region("330106"), name_zh="云栖小镇", category="digital_economy")
    creation = create_town(by=by, region=region("330110"), name_zh="梦想小镇", category="digital_economy")
    e_named = enrol_town(town=named, programme=zhejiang, tier="creation", started_on=dt.date(2019, 1, 1), by=by)
    change_tier(enrolment=e_named, to_tier="named", by=by, reason="验收命名", decision_ref="浙特镇〔2023〕1号",
                effective_on=dt.date(2023, 1, 1), transition_id="name_after_acceptance")
    e_creation = enrol_town(town=creation, programme=zhejiang, tier="creation", started_on=dt.date(2020, 1, 1), by=by)
    base = {"investment": 10, "feature_investment": 8, "planned_investment": 10, "green_coverage": 0.3,
            "incubated_enterprises": 15, "crosses_ecological_red_line": False, "occupies_permanent_farmland": False,
            "outside_development_boundary": False, "excluded_investment": 0}
    rows = [{"indicator": k, "period": str(y), "basis": "actual", "value": v}
            for y in range(2020, 2025) for k, v in base.items()]
    record_indicator_values(town=creation, programme=zhejiang, values=rows, by=by, source="manual")
    # Named: share 70 % → 30, tax 6亿元 on 1 km² = 40万元/亩 → 24, green 30 % → 20, 20 of 40 high-tech → 10: 84 → four stars.
    named_year = {"output": 100, "feature_output": 70, "tax": 6, "high_tech_enterprises": 20, "investment": 5,
                  "feature_investment": 4, "green_coverage": 0.3, "planned_area_km2": 3, "construction_area_km2": 1,
                  "three_year_action_plan": True, "digital_platform_connected": True,
                  "crosses_ecological_red_line": False, "occupies_permanent_farmland": False,
                  "outside_development_boundary": False}
    rows = [{"indicator": k, "period": str(y), "basis": "actual", "value": v}
            for y in (2023, 2024) for k, v in named_year.items()]
    record_indicator_values(town=named, programme=zhejiang, values=rows, by=by, source="manual")
    e_named.refresh_from_db()
    return {"named": e_named, "creation": e_creation}
