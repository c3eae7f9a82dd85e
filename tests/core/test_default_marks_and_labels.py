"""Defaults are marked wherever `evaluate` decides (issue 9 item 9), and a window's sum reaches a person by
its label, never by the engine's identifier (`sum_first_investment_window_years__counted_investment`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xiaozhen.cli import main
from xiaozhen.policy import apply_reform, criterion_defaults, get_policy, parse_reform
from xiaozhen.present import label_of

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = str(ROOT / "examples" / "tongzhou-towns" / "application.csv")
WINDOW = "sum_first_investment_window_years__counted_investment"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _defaulted(policy_id: str, stage: str) -> set[str]:
    policy = get_policy(policy_id)
    return {c.id for c in policy.criteria_for(stage) if criterion_defaults(policy, c.id)}


def test_criterion_defaults_name_the_parameter_with_a_default_source_and_skip_seed_lines():
    policy = get_policy("tongzhou-towns")
    found = {d.id for d in criterion_defaults(policy, "app_planned_area")}
    assert "planning_area_max_km2" in found  # "一般控制在3平方公里左右" read as at most 3.5 km²
    assert all(policy.parameter(i).default_source for i in found if i != "app_planned_area")
    assert criterion_defaults(policy, "app_feature_share") == []  # 70 % is the seed's own number


def test_evaluate_marks_every_outcome_of_a_defaulted_criterion_and_lists_the_sources(capsys):
    out = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", APPLICATION)
    defaulted = _defaulted("tongzhou-towns", "application")
    data = json.loads(run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application",
                          "--format", "json", APPLICATION))
    towns = len(data["towns"])
    # one mark per town per defaulted criterion in the detail tables, and one on the legend line
    assert out.count("默认 default") == towns * len(defaulted) + 1
    policy = get_policy("tongzhou-towns")
    for cid in defaulted:
        assert policy.criteria_for("application") and any(c.id == cid for c in policy.criteria)
        label = next(c.label for c in policy.criteria if c.id == cid)
        assert f"· {label.zh} / {label.en}:" in out
    assert set(data["defaults"]) == defaulted
    assert all(d["default_source"] for found in data["defaults"].values() for d in found)


def test_the_evaluate_workbook_marks_each_defaulted_outcome_row(capsys, tmp_path):
    target = tmp_path / "out.xlsx"
    run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--format", "xlsx",
        "--output", str(target), APPLICATION)
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("明细 Outcomes").to_python()
    header, body = rows[0], rows[1:]
    criterion, mark = header.index("准则 criterion"), header.index("默认 default")
    defaulted = _defaulted("tongzhou-towns", "application")
    assert {r[criterion] for r in body if r[mark]} == defaulted
    assert all(not r[mark] for r in body if r[criterion] not in defaulted)


def test_a_window_sum_is_labelled_with_its_length_read_from_the_parameter():
    policy = get_policy("tongzhou-towns")
    assert label_of(policy, WINDOW) == ("前3年计入考核的投资(不含住宅)合计",
                                        "investment that counts (residential excluded), first 3 years")
    longer = apply_reform(policy, parse_reform(
        "name: {zh: 四年, en: four years}\nparameters:\n  investment_window_years: [{from: 2017-12-07, value: 4}]\n"))
    assert label_of(longer, WINDOW)[0].startswith("前4年")


def test_evaluate_prints_a_window_sum_by_its_label_not_its_identifier(capsys):
    out = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", APPLICATION)
    assert "sum_first" not in out
    assert label_of(get_policy("tongzhou-towns"), WINDOW)[0] in out.replace("\n", "").replace(" ", "")


def test_an_assessment_reason_names_a_window_sum_by_its_label():
    from xiaozhen.engine import evaluate
    from xiaozhen.facts import read_facts
    from xiaozhen.glossary import Glossary

    policy = get_policy("tongzhou-towns")
    verdict = evaluate(policy, read_facts(APPLICATION, policy), "application").town("TZ02")
    raw = next(o for o in verdict.outcomes if o.criterion_id == "app_investment_total").explain("zh")
    assert WINDOW in raw  # the engine's own explanation reads the frame column …
    shown = next(o for o in verdict.outcomes if o.criterion_id == "app_investment_total").explain(
        "zh", Glossary(policy))  # … and a reason an officer reads (assessment reasons pass the glossary) names it
    assert "sum_first" not in shown and label_of(policy, WINDOW)[0] in shown
