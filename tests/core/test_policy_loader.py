"""Programme files: a malformed one is rejected with its path, key path and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xiaozhen.policy import PolicyFileError, load_all, load_policy_file, resolve_parameter_value
from xiaozhen.policy._language import LanguageError, evaluate_row, parse

TONGZHOU = Path(__file__).resolve().parents[2] / "policies" / "tongzhou-characteristic-towns.yaml"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = TONGZHOU.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_every_shipped_programme_file_loads():
    policies = load_all()
    assert "tongzhou-towns" in policies
    for policy in policies.values():
        assert policy.criteria, policy.id
        assert all(c.clause for c in policy.criteria)


def test_a_misspelt_key_is_rejected_with_its_line(tmp_path):
    path = _broken(
        tmp_path,
        "    severity_parameter: planning_area_severity\n    clause: 003 §三(二)",
        "    severity_parameter: planning_area_severity\n    clauze: 003 §三(二)",
    )
    with pytest.raises(PolicyFileError) as err:
        load_policy_file(path)
    problems = {p.key_path: p for p in err.value.problems}
    assert any("clauze" in key for key in problems), problems
    problem = next(p for k, p in problems.items() if "clauze" in k)
    assert problem.path == str(path)
    assert problem.line == _line_of(path, "clauze")


def test_an_unknown_name_in_a_criterion_is_rejected_with_its_line(tmp_path):
    path = _broken(tmp_path, "expr: towns_in_sub_sector <= 1", "expr: towns_in_subsector <= 1")
    with pytest.raises(PolicyFileError) as err:
        load_policy_file(path)
    [problem] = err.value.problems
    assert "towns_in_subsector" in problem.message
    assert problem.key_path.startswith("criteria[") and problem.key_path.endswith(".expr")
    assert problem.line == _line_of(path, "towns_in_subsector")
    assert str(path) in str(err.value)


def test_a_criterion_without_a_clause_is_rejected(tmp_path):
    path = _broken(tmp_path, "    clause: 003 §三(一)\n    expr: towns_in_sub_sector", "    expr: towns_in_sub_sector")
    with pytest.raises(PolicyFileError) as err:
        load_policy_file(path)
    assert any(p.key_path.endswith(".clause") and "required" in p.message.lower() for p in err.value.problems)


def test_a_transition_to_an_unknown_tier_is_rejected(tmp_path):
    path = _broken(tmp_path, "to: exited", "to: gone")
    with pytest.raises(PolicyFileError) as err:
        load_policy_file(path)
    assert any("gone" in p.message and p.key_path.endswith(".to") for p in err.value.problems)


def test_a_review_step_may_confirm_only_a_reported_yes_no_indicator(tmp_path):
    path = _broken(tmp_path, "action: check, clause: 003 §四(一)}", "action: check, clause: 003 §四(一), confirms: [investment]}")
    with pytest.raises(PolicyFileError) as err:
        load_policy_file(path)
    [problem] = err.value.problems
    assert "investment" in problem.message and "yes/no" in problem.message
    assert problem.key_path.startswith("review_chain[") and problem.line == _line_of(path, "confirms")


def test_guangxi_innovation_towns_city_steps_confirm_materials_and_recommendation():
    policy = load_all()["guangxi-innovation-towns"]
    confirms = {step.id: step.confirms for step in policy.review_steps("application")}
    assert confirms["city_check"] == ["materials_complete"]
    assert confirms["city_recommend"] == ["city_recommended"]


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("schema_version: 1\nidentity: [unclosed\n", encoding="utf-8")
    with pytest.raises(PolicyFileError) as err:
        load_policy_file(path)
    assert err.value.problems[0].line is not None
    assert "YAML" in err.value.problems[0].message


def test_a_parameter_resolves_by_date_and_category():
    policy = load_policy_file(TONGZHOU)
    at = dt.date(2018, 1, 1)
    assert resolve_parameter_value(policy, "min_investment_3y", at, "high_end_manufacturing") == 30
    assert resolve_parameter_value(policy, "min_investment_3y", at, "tourism") == 20
    with pytest.raises(LookupError):
        resolve_parameter_value(policy, "min_investment_3y", dt.date(2017, 1, 1), "tourism")


def test_a_later_dated_value_replaces_an_earlier_one(tmp_path):
    path = _broken(
        tmp_path,
        "      - from: 2017-12-07\n        value: 20\n        by_category: {high_end_manufacturing: 30}",
        "      - from: 2017-12-07\n        value: 20\n        by_category: {high_end_manufacturing: 30}\n"
        "      - from: 2021-01-01\n        value: 25\n        by_category: {high_end_manufacturing: 35}",
    )
    policy = load_policy_file(path)
    assert resolve_parameter_value(policy, "min_investment_3y", dt.date(2020, 12, 31), "other") == 20
    assert resolve_parameter_value(policy, "min_investment_3y", dt.date(2021, 1, 1), "other") == 25
    assert resolve_parameter_value(policy, "min_investment_3y", dt.date(2021, 1, 1), "high_end_manufacturing") == 35


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('true')", "a; DROP TABLE towns", "a >= ", "CASE WHEN a THEN 1", "lambda: 1", "a.b"],
)
def test_the_criteria_language_refuses_anything_but_expressions(text):
    with pytest.raises(LanguageError):
        parse(text)


def test_the_criteria_language_follows_three_valued_logic():
    assert evaluate_row(parse("a >= 1 AND b"), {"a": None, "b": False}) is False
    assert evaluate_row(parse("a >= 1 AND b"), {"a": None, "b": True}) is None
    assert evaluate_row(parse("a >= 1 OR b"), {"a": None, "b": True}) is True
    assert evaluate_row(parse("a / b >= 0.7"), {"a": 0.0, "b": 0.0}) is None
    assert evaluate_row(parse("CASE WHEN x = 2 THEN 'two' ELSE 'other' END"), {"x": 2.0}) == "two"
    assert evaluate_row(parse("c NOT IN ('a', 'b')"), {"c": "z"}) is True
