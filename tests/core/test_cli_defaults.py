"""`xiaozhen policies defaults`: every number or reading not in a seed, with its source (issue 9, Deliver 9)."""

from __future__ import annotations

import json

from xiaozhen.cli import main
from xiaozhen.policy import load_all


def test_defaults_json_lists_every_default_of_every_programme_with_its_source(capsys):
    assert main(["policies", "defaults", "--format", "json"]) == 0
    listed = {item["policy"]: item["defaults"] for item in json.loads(capsys.readouterr().out)}
    assert set(listed) == {p.id for p in load_all().values()}
    for policy in load_all().values():
        expected = {p.id for p in policy.parameters if p.default_source}
        expected |= {t.id for t in policy.lifecycle.transitions if t.default_source}
        got = {d["id"] for d in listed[policy.id] if d["kind"] in ("parameter", "transition")}
        assert got == expected, policy.id
        assert all(d["default_source"] and d["clause"] is not None for d in listed[policy.id])


def test_the_miscited_rules_are_listed_as_defaults_not_as_seed_text(capsys):
    assert main(["policies", "defaults", "--format", "json"]) == 0
    listed = {(item["policy"], d["id"]): d for item in json.loads(capsys.readouterr().out) for d in item["defaults"]}
    assert "never says" in listed[("zhejiang-towns", "cancel_for_fraud")]["default_source"]
    assert "city's funds at least equal" in listed[("guangxi-innovation-towns", "city_funding_ratio_min")]["default_source"]
    assert listed[("tongzhou-towns", "excellence")]["value"] == {"score": "cum_counted_investment / min_investment_3y", "top": 3}
    assert "3~5" in listed[("guangdong-specialised-towns", "app_pilot_duration")]["default_source"]


def test_defaults_for_one_programme_print_a_table_with_the_source(capsys):
    assert main(["policies", "defaults", "--policy", "zhejiang-towns"]) == 0
    out = capsys.readouterr().out
    assert "zhejiang-towns" in out and "tongzhou-towns" not in out
    assert "green_coverage_severity" in out and "默认依据 Default source" in out


def test_an_assessment_reason_marks_a_default_rule_as_default(capsys):
    from xiaozhen.engine import assess
    from xiaozhen.facts import frame_from_records
    from xiaozhen.policy import get_policy

    policy = get_policy("national-guideline-2021")
    facts = frame_from_records(policy, [{"town_id": "N", "period": "2024", "basis": "actual", "tier": "listed",
                                         "employees": 1999, "construction_land_km2": 1}])  # 2000 jobs is a must
    [proposal] = assess(policy, facts, 2024)
    assert proposal.action == "demote"
    assert "[默认 default:" in proposal.reasons[0]
