"""Reforms (what-if, issue 9 Deliver 11): the same facts as-is and under a reform file; only changes shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xiaozhen.cli import main
from xiaozhen.engine import compare_evaluations
from xiaozhen.facts import read_facts
from xiaozhen.policy import PolicyFileError, Reform, apply_reform, get_policy, read_reform

ROOT = Path(__file__).resolve().parents[2]
REFORM = ROOT / "examples" / "zhejiang-towns" / "reform-green-cover-binding.yaml"
FACTS = ROOT / "examples" / "zhejiang-towns" / "application-whatif.csv"


def test_a_reform_replaces_a_parameter_from_its_date_and_leaves_the_programme_untouched():
    policy = get_policy("zhejiang-towns")
    reformed = apply_reform(policy, read_reform(REFORM))
    assert [v.value for v in reformed.parameter("green_coverage_severity").values] == ["must"]
    assert [v.value for v in policy.parameter("green_coverage_severity").values] == ["should"]


def test_making_green_cover_binding_fails_only_the_towns_below_the_line_with_numbers_and_clause():
    policy = get_policy("zhejiang-towns")
    changes = compare_evaluations(policy, apply_reform(policy, read_reform(REFORM)), read_facts(FACTS, policy), "application")
    by_town = {c.town_id: c for c in changes}
    assert set(by_town) == {"ZW02", "ZW03"}  # ZW01 (35 %, 3.5 km²) keeps its pass
    green = next(c for c in by_town["ZW02"].criteria if c.criterion_id == "app_green_coverage")
    assert (by_town["ZW02"].before, by_town["ZW02"].after) == ("pass", "fail")
    assert (green.before, green.after, green.clause) == ("fail (should)", "fail (must)", "002 §二(三)2")
    assert green.values["green_coverage"] == pytest.approx(0.29)
    assert [c.criterion_id for c in by_town["ZW03"].criteria] == ["app_planned_area"]


def test_a_reform_naming_an_unknown_parameter_or_criterion_is_refused_with_the_name():
    reform = Reform.model_validate({"name": {"zh": "错", "en": "wrong"}, "parameters": {"no_such": [{"from": "2024-01-01", "value": 1}]},
                                    "criteria": {"app_green_coverage": "maybe"}})
    with pytest.raises(PolicyFileError) as err:
        apply_reform(get_policy("zhejiang-towns"), reform, "r.yaml")
    text = str(err.value)
    assert "no_such" in text and "maybe" in text and "r.yaml" in text


def test_cli_evaluate_with_a_reform_prints_only_the_towns_that_change(capsys):
    code = main(["evaluate", "--policy", "zhejiang-towns", "--stage", "application", "--reform", str(REFORM), str(FACTS)])
    out = capsys.readouterr().out
    assert code == 0
    assert "不发布 never published" in out and "ZW02" in out and "ZW03" in out and "ZW01" not in out
    assert "2 个结果改变 / 2 result(s) change" in out


def test_cli_assess_with_a_reform_returns_the_changes_as_json(capsys):
    history = ROOT / "examples" / "tongzhou-towns" / "history.csv"
    reform = ROOT / "examples" / "tongzhou-towns" / "reform-higher-minimum.yaml"
    code = main(["assess", "--policy", "tongzhou-towns", "--year", "2020", "--format", "json", "--reform", str(reform), str(history)])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["reform"] == str(reform)
    assert data["changes"], "raising the three-year minimum changes some decision in the example history"
    for change in data["changes"]:
        assert change["before"] != change["after"]
