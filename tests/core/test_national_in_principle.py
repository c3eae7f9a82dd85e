"""The national guideline's in-principle (原则上) annual lines behave as every other 原则上 line (ADR 0010,
issue 9 item 5): a should with a named switch, so a town a step outside is told but not failed, unless an
office sets the switch to must. The towns are those of tests/cases/national-guideline-2021/annual_in_principle.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from xiaozhen.engine import evaluate
from xiaozhen.facts import frame_from_records
from xiaozhen.policy import apply_reform, get_policy, parse_reform

CASE = Path(__file__).resolve().parents[1] / "cases" / "national-guideline-2021" / "annual_in_principle.yaml"
LINES = {"ann_planned_area": "planned_area_severity", "ann_residential_share": "residential_share_severity",
         "ann_feature_investment_share": "feature_investment_share_severity",
         "ann_investment_per_mu": "investment_per_mu_severity", "ann_debt_risk": "debt_risk_severity"}


def _verdicts(policy):
    facts = frame_from_records(policy, yaml.safe_load(CASE.read_text(encoding="utf-8"))["facts"], source=str(CASE))
    return {tv.town_id: tv for tv in evaluate(policy, facts, "annual", dt.date(2024, 12, 31))}


def test_each_in_principle_annual_line_is_a_should_on_the_same_switch_as_its_application_line():
    policy = get_policy("national-guideline-2021")
    for cid, switch in LINES.items():
        criterion = next(c for c in policy.criteria if c.id == cid)
        assert (criterion.severity, criterion.severity_parameter) == ("should", switch)
        assert "原则上" in criterion.label.zh
        assert any(c.severity_parameter == switch for c in policy.criteria_for("application"))


def test_on_the_line_and_a_step_inside_pass_a_step_outside_is_missed_but_not_failed():
    verdicts = _verdicts(get_policy("national-guideline-2021"))
    for town in ("ON", "IN"):
        assert {o.criterion_id: o.outcome for o in verdicts[town].outcomes if o.criterion_id in LINES} == dict.fromkeys(LINES, "pass")
    out = {o.criterion_id: o for o in verdicts["OUT"].outcomes if o.criterion_id in LINES}
    assert {cid: (o.outcome, o.severity) for cid, o in out.items()} == dict.fromkeys(LINES, ("fail", "should"))
    assert verdicts["OUT"].verdict == "pass"
    assert verdicts["A6"].verdict == "pass"


def test_an_office_that_sets_the_switches_to_must_fails_the_town_a_step_outside_and_only_that_one():
    policy = get_policy("national-guideline-2021")
    reform = parse_reform("name: {zh: 原则上改为必须, en: In principle made binding}\nparameters:\n"
                          + "".join(f"  {p}: [{{from: 2024-01-01, value: must}}]\n" for p in set(LINES.values())))
    verdicts = _verdicts(apply_reform(policy, reform))
    assert {t: v.verdict for t, v in verdicts.items()} == {
        "ON": "pass", "IN": "pass", "OUT": "fail", "A5": "pass", "A4": "pass", "A6": "fail"}
    assert {o.severity for o in verdicts["OUT"].outcomes if o.criterion_id in LINES} == {"must"}
