"""The `xiaozhen` command as a user runs it: what it prints, what it writes, how it refuses bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from python_calamine import CalamineWorkbook

from xiaozhen.cli import main
from xiaozhen.policy import Policy, load_policy_file, policy_files

from .test_facts_readers import extended_programme, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "tongzhou-towns"
APPLICATION = str(EXAMPLES / "application.csv")
HISTORY = str(EXAMPLES / "history.csv")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# ---------------------------------------------------------------- policies

def test_policies_list_shows_every_programme_file_present(capsys):
    code, out, _ = run(capsys, "policies", "list")
    assert code == 0
    files = policy_files()
    assert files, "the repository ships programme files"
    for path in files:
        ident = yaml.safe_load(path.read_text(encoding="utf-8"))["identity"]["id"]
        assert ident in out, f"{path.name} ({ident}) is not listed"
        assert path.name in out
    assert f"{len(files)} programme(s)" in out


def test_policies_list_as_json_gives_names_seed_and_criteria_count(capsys):
    code, out, _ = run(capsys, "policies", "list", "--format", "json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    tongzhou = rows["tongzhou-towns"]
    assert tongzhou["name"] == {"zh": "通州区特色小镇培育创建", "en": "Tongzhou District characteristic towns"}
    assert tongzhou["seed"] == "003_70a32f71217e4c8f.txt"
    assert tongzhou["criteria"] == len(load_policy_file(tongzhou["file"]).criteria)


def test_policies_show_prints_dated_parameters_indicators_criteria_tiers_and_transitions(capsys):
    code, out, _ = run(capsys, "policies", "show", "tongzhou-towns")
    assert code == 0
    assert "min_investment_3y" in out and "2017-12-07 起 from: 20 亿元" in out
    assert "高端制造 high_end_manufacturing: 30 亿元" in out
    assert "residential_investment" in out and "空白为 0 / blank is zero" in out and "不大于 ≤ investment" in out
    assert "app_investment_total" in out and "SUM_FIRST_YEARS(counted_investment," in out and "003 §三(四)" in out
    assert "培育 Cultivation" in out and "年度考核 annual assessment" in out
    assert "demote_after_missed_year" in out and "creation → cultivation" in out and "降格 demote" in out
    assert "年度优秀特色小镇 / Annual excellent town — 前 top 3" in out


def test_policies_show_json_is_the_programme_itself(capsys):
    code, out, _ = run(capsys, "policies", "show", "tongzhou-towns", "--format", "json")
    assert code == 0
    data = json.loads(out)
    path = data.pop("file")
    assert Policy.model_validate(data) == load_policy_file(path)


def test_an_unknown_programme_lists_the_known_ones(capsys):
    code, _, err = run(capsys, "policies", "show", "no-such-programme")
    assert code == 2
    assert "no programme 'no-such-programme'" in err and "tongzhou-towns" in err


def test_policies_validate_accepts_the_shipped_programmes(capsys):
    code, out, err = run(capsys, "policies", "validate")
    assert code == 0, err
    assert f"{len(policy_files())} valid, 0 with problems" in out


def test_policies_validate_prints_path_line_and_key_path_of_each_problem(capsys, tmp_path):
    source = (ROOT / "policies" / "tongzhou-characteristic-towns.yaml").read_text(encoding="utf-8")
    broken = source.replace("expr: towns_in_sub_sector <= 1", "expr: towns_in_sub_sektor <= 1").replace(
        "    severity: should\n    severity_parameter: planning_area_severity", "    severity: maybe\n    severity_parameter: planning_area_severity", 1
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    code, _, err = run(capsys, "policies", "validate", str(path))
    assert code == 2
    lines = source.splitlines()
    severity_line = next(i for i, line in enumerate(broken.splitlines(), 1) if "severity: maybe" in line)
    assert f"{path}:{severity_line}: criteria[1].severity:" in err
    assert any(line.strip() == "expr: towns_in_sub_sector <= 1" for line in lines)


def test_policies_validate_checks_every_file_in_a_folder_and_a_missing_path(capsys, tmp_path):
    extended_programme(tmp_path)
    (tmp_path / "bad.yaml").write_text("schema_version: 1\nidentity: [\n", encoding="utf-8")
    code, out, err = run(capsys, "policies", "validate", str(tmp_path))
    assert code == 2
    assert "tongzhou-extended" in out and "1 valid, 1 with problems" in out
    assert f"{tmp_path / 'bad.yaml'}:" in err and "not valid YAML" in err
    code, _, err = run(capsys, "policies", "validate", str(tmp_path / "nowhere"))
    assert code == 2 and "no such file or folder" in err


# ---------------------------------------------------------------- evaluate

def _table_rows(table: str) -> dict[str, str]:
    """A printed table's rows by their first cell; a row's continuation lines (blank first cell) join it."""
    rows: dict[str, str] = {}
    current = None
    for line in table.splitlines()[2:]:  # past the header and its rule
        if line and not line.startswith(" "):
            current = line.split()[0]
            rows[current] = ""
        if current and line:
            rows[current] += line + "\n"
    return rows


def test_evaluate_the_example_application_prints_each_verdict_citing_clauses(capsys):
    code, out, _ = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", APPLICATION)
    assert code == 0
    assert "申报 application" in out
    # The summary table: one row per town (a cell may run over several lines) with its verdict and failed criteria.
    summary = _table_rows(out.split("结论 Verdicts")[1].split("■")[0])
    assert "✓ 符合 pass" in summary["TZ01"]
    assert "✗ 不符合 fail" in summary["TZ02"] and "app_investment_total" in summary["TZ02"]
    assert "app_first_year_share" in summary["TZ03"]
    assert "✓ 符合 pass" in summary["TZ04"] and "app_scenic_standard" in summary["TZ04"]  # a "should" missed
    assert "app_feature_share" in summary["TZ05"]
    assert "? 待定 unknown" in summary["TZ06"] and "app_construction_subject" in summary["TZ06"]
    # The detail: the clause, the label in Chinese then English, the values and the thresholds.
    section = out.split("■ TZ02")[1].split("■ TZ03")[0]
    failing = next(line for line in section.splitlines() if line.startswith("  ✗ 不符合 fail"))
    assert "003 §三(四)" in failing and "3年内计划完成项目投资(不含住宅)达标" in failing
    # The three-year window's total (003 §三(四) "3年内"), on the lines under the failing one.
    assert "26 亿元" in section and "min_investment_3y = 30 亿元" in section
    assert "Three-year planned investment" in section
    assert "6 town(s): 2 pass, 3 fail, 1 unknown" in out


def test_evaluate_tables_stay_aligned_with_chinese_text(capsys):
    from xiaozhen._output import display_width

    code, out, _ = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--summary", APPLICATION)
    assert code == 0
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("小镇 Town"))
    rule = lines[header + 1]
    # Each column starts where the rule under the header starts it, counted in display columns.
    starts = [i for i in range(1, len(rule)) if rule[i] == "─" and rule[i - 1] == " "]
    verdict_col = display_width(rule[: starts[1]])
    for line in lines[header + 2 : header + 8]:
        if line.startswith("TZ"):
            prefix = line[: next(i for i in range(len(line)) if display_width(line[:i]) >= verdict_col)]
            assert display_width(prefix) == verdict_col
            assert line[len(prefix)] in "✓✗?", line


def test_evaluate_gives_the_same_verdicts_from_csv_xlsx_and_json(capsys):
    verdicts = []
    for name in ("application.csv", "application.xlsx", "application.json"):
        code, out, _ = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--format", "json",
                           str(EXAMPLES / name))
        assert code == 0
        verdicts.append({t["town_id"]: t["verdict"] for t in json.loads(out)["towns"]})
    assert verdicts[0] == {"TZ01": "pass", "TZ02": "fail", "TZ03": "fail", "TZ04": "pass", "TZ05": "fail", "TZ06": "unknown"}
    assert verdicts[0] == verdicts[1] == verdicts[2]


def test_evaluate_json_carries_every_criterion_with_values_thresholds_and_clause(capsys):
    code, out, _ = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--format", "json", APPLICATION)
    assert code == 0
    tz02 = next(t for t in json.loads(out)["towns"] if t["town_id"] == "TZ02")
    outcome = next(o for o in tz02["outcomes"] if o["criterion_id"] == "app_investment_total")
    assert outcome["outcome"] == "fail" and outcome["clause"] == "003 §三(四)"
    assert outcome["values"]["sum_first_investment_window_years__counted_investment"] == 26 and outcome["thresholds"]["min_investment_3y"] == 30
    assert outcome["label"]["en"].startswith("Three-year planned investment")


def test_evaluate_writes_an_xlsx_with_verdicts_and_outcomes(capsys, tmp_path):
    target = tmp_path / "verdicts.xlsx"
    code, out, _ = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--format", "xlsx",
                       "--output", str(target), APPLICATION)
    assert code == 0 and str(target) in out
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["结论 Verdicts", "明细 Outcomes"]
    verdicts = book.get_sheet_by_name("结论 Verdicts").to_python()
    assert verdicts[0][:4] == ["小镇 town_id", "名称 town_name", "年份 period_year", "结论 verdict"]
    assert {r[0]: r[3] for r in verdicts[1:]}["TZ05"] == "fail"
    outcomes = book.get_sheet_by_name("明细 Outcomes").to_python()
    assert len(outcomes) == 1 + 6 * 10  # six towns, ten application criteria each


def test_xlsx_needs_an_output_file(capsys):
    code, out, err = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--format", "xlsx", APPLICATION)
    assert code == 2 and out == ""
    assert "xlsx output needs --output" in err


def test_evaluate_an_annual_stage_on_the_history_reads_the_latest_year(capsys):
    code, out, _ = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "annual", "--format", "json", HISTORY)
    assert code == 0
    towns = {t["town_id"]: t for t in json.loads(out)["towns"]}
    assert {t["period_year"] for t in towns.values()} == {2020}
    assert towns["TZ12"]["verdict"] == "fail" and towns["TZ16"]["verdict"] == "pass"
    code, out, _ = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "annual", "--at", "2019-12-31", "--format", "json", HISTORY)
    assert {t["period_year"] for t in json.loads(out)["towns"]} == {2019}


def test_a_programme_file_can_be_named_by_its_path(capsys, tmp_path):
    path, _ = extended_programme(tmp_path)
    code, out, _ = run(capsys, "evaluate", "--policy", str(path), "--stage", "application", "--summary", APPLICATION)
    assert code == 0 and "(tongzhou-extended)" in out


# ------------------------------------------------------------------ assess

def _assess(capsys: pytest.CaptureFixture[str], year: int) -> dict[str, dict]:
    code, out, _ = run(capsys, "assess", "--policy", "tongzhou-towns", "--year", str(year), "--format", "json", HISTORY)
    assert code == 0
    return {t["town_id"]: t for t in json.loads(out)["towns"]}


def test_assess_2020_proposes_demotion_exit_promotion_and_naming(capsys):
    towns = _assess(capsys, 2020)
    moves = {k: (t["tier"], t["action"], t["next_tier"]) for k, t in towns.items()}
    assert moves == {
        "TZ11": ("creation", "name", "named"),
        "TZ12": ("creation", "demote", "cultivation"),
        "TZ13": ("cultivation", "exit", "exited"),
        "TZ14": ("cultivation", "promote", "creation"),
        "TZ15": ("cultivation", "stay", "cultivation"),
        "TZ16": ("creation", "stay", "creation"),
    }
    assert towns["TZ13"]["missed_streak"] == 2
    assert {k for k, t in towns.items() if t["excellent"]} == {"TZ11", "TZ15", "TZ16"}
    assert any("003 §四(三)" in r for r in towns["TZ12"]["reasons"])


def test_assess_2019_demotes_the_one_town_behind_schedule(capsys):
    towns = _assess(capsys, 2019)
    assert [k for k, t in towns.items() if t["action"] != "stay"] == ["TZ13"]
    assert towns["TZ13"]["action"] == "demote" and towns["TZ13"]["next_tier"] == "cultivation"


def test_assess_table_gives_tier_action_next_tier_excellence_and_bilingual_reasons(capsys):
    code, out, _ = run(capsys, "assess", "--policy", "tongzhou-towns", "--year", "2020", HISTORY)
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("TZ13"))
    assert "培育 cultivation" in row and "退出 exit" in row and "退出 exited" in row
    assert "★ 优秀 excellent" in next(line for line in out.splitlines() if line.startswith("TZ16"))
    reasons = out.split("■ TZ12")[1].split("■ TZ13")[0]
    assert "未完成建设进度，次年降格为培育名单 / Behind schedule this year" in reasons
    assert "完成年度建设进度 / Year's construction progress completed (003 §四(三))" in reasons


def test_assess_writes_xlsx(capsys, tmp_path):
    target = tmp_path / "assess.xlsx"
    code, _, _ = run(capsys, "assess", "--policy", "tongzhou-towns", "--year", "2020", "--format", "xlsx", "-o", str(target), HISTORY)
    assert code == 0
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert rows[0][7] == "建议 action"
    assert sorted(r[7] for r in rows[1:]) == sorted(["命名 name", "降格 demote", "退出 exit", "升格 promote", "保持 stay", "保持 stay"])


def test_assess_a_year_missing_from_the_history_names_the_years_present(capsys):
    code, _, err = run(capsys, "assess", "--policy", "tongzhou-towns", "--year", "2031", HISTORY)
    assert code == 2 and "no actual rows for 2031; years present: 2018, 2019, 2020" in err


def test_assess_without_a_tier_column_says_what_is_needed(capsys, tmp_path):
    path = write_csv(tmp_path / "h.csv", [["town_id", "period", "basis", "investment"], ["A", "2020", "actual", "3"]])
    code, _, err = run(capsys, "assess", "--policy", "tongzhou-towns", "--year", "2020", str(path))
    assert code == 2 and "tier" in err


# ----------------------------------------------------------------- targets

def test_targets_show_latest_progress_projection_and_whether_on_track(capsys, tmp_path):
    path, _ = extended_programme(tmp_path)
    code, out, _ = run(capsys, "targets", "--policy", str(path), "--format", "json", HISTORY)
    assert code == 0
    targets = {t["target_id"]: t for t in json.loads(out)["targets"]}
    counted = targets["counted_investment_total"]
    # Counted investment over all towns: 31 (2018), 43 (2019), 49 (2020): a line rising 9 a year reaches 68 in 2022.
    assert counted["latest_year"] == 2020 and counted["latest"] == pytest.approx(49)
    assert counted["progress"] == pytest.approx(49 / 60)
    assert counted["projected"] == pytest.approx(68)
    assert counted["on_track"] is True
    assert targets["feature_investment_total"]["on_track"] is False
    code, out, _ = run(capsys, "targets", "--policy", str(path), HISTORY)
    row = next(line for line in out.splitlines() if line.startswith("counted_investment_total"))
    assert "49 亿元 (2020)" in row and "81.67%" in row and "68 亿元" in row and "✓ 是 on track" in row
    assert "✗ 否 behind" in out


def test_targets_for_a_programme_without_targets_says_so(capsys):
    code, out, _ = run(capsys, "targets", "--policy", "tongzhou-towns", HISTORY)
    assert code == 0 and "has no programme targets" in out


# --------------------------------------------------------------- bad input

def _bad_files(tmp: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each bad-input case: the file, and what the message must name (file, row, column)."""
    header = ["town_id", "category", "period", "basis", "investment", "residential_investment", "feature_investment"]
    good = ["A", "其他", "2018", "plan", "10", "1", "8"]
    cases: dict[str, tuple[Path, list[str]]] = {}

    def csv_case(name: str, rows: list[list[str]], *where: str) -> None:
        cases[name] = (write_csv(tmp / f"{name}.csv", rows), list(where))

    csv_case("unknown_indicator", [[*header, "gdp"], [*good, "5"]], "row 1", "column gdp", "unknown indicator 'gdp'")
    csv_case("wrong_type", [header, good, ["A", "其他", "2019", "plan", "十亿", "", ""]], "row 3", "column investment", "expected a number")
    csv_case("negative", [header, ["A", "其他", "2018", "plan", "-2", "", ""]], "row 2", "column investment", "negative")
    csv_case("part_larger", [header, ["A", "其他", "2018", "plan", "10", "11", ""]], "row 2", "column residential_investment",
             "larger than Project investment")
    csv_case("feature_larger", [header, ["A", "其他", "2018", "plan", "10", "", "12"]], "row 2", "column feature_investment",
             "larger than Project investment")
    csv_case("duplicate_period", [header, good, good], "row 3", "column period", "twice")
    csv_case("bad_period", [header, ["A", "其他", "2018Q7", "plan", "1", "", ""]], "row 2", "column period", "quarter")
    csv_case("bad_boolean", [["town_id", "period", "town_parlour"], ["A", "2018", "maybe"]], "row 2", "column town_parlour", "yes or no")
    csv_case("bad_category", [header, ["A", "太空", "2018", "plan", "1", "", ""]], "row 2", "column category", "unknown category")
    csv_case("bad_basis", [header, ["A", "其他", "2018", "budget", "1", "", ""]], "row 2", "column basis", "plan (计划) or actual")
    csv_case("header_only", [header], "only a header row (row 1)")
    cases["empty"] = (tmp / "empty.csv", ["the file is empty"])
    cases["empty"][0].write_bytes(b"")
    cases["missing"] = (tmp / "missing.csv", ["no such file"])
    cases["wrong_extension"] = (tmp / "facts.docx", ["unsupported file type '.docx'"])
    cases["wrong_extension"][0].write_bytes(b"whatever")
    cases["malformed_json"] = (tmp / "bad.json", ["malformed JSON at line 2 column"])
    cases["malformed_json"][0].write_text('[{"town_id": "A",\n  "period": }]', encoding="utf-8")
    cases["json_item"] = (tmp / "item.json", ["item 2", "field investment", "negative"])
    cases["json_item"][0].write_text(json.dumps([{"town_id": "A", "period": "2018"}, {"town_id": "B", "period": "2018", "investment": -1}]))
    cases["malformed_csv"] = (tmp / "quotes.csv", ["row 2", "malformed CSV"])
    cases["malformed_csv"][0].write_text('town_id,period\n"A"B,2018\n', encoding="utf-8")
    cases["malformed_xlsx"] = (tmp / "broken.xlsx", ["not a readable Excel workbook"])
    cases["malformed_xlsx"][0].write_bytes(b"PK\x03\x04 not really a zip")
    cases["xlsx_cell"] = (write_xlsx(tmp / "cells.xlsx", [header, ["A", "其他", 2018, "plan", "abc", None, None]], title="facts"),
                          ["工作表 sheet facts", "row 2", "column E (investment)", "expected a number"])
    return cases


CASE_NAMES = ["unknown_indicator", "wrong_type", "negative", "part_larger", "feature_larger", "duplicate_period", "bad_period",
              "bad_boolean", "bad_category", "bad_basis", "header_only", "empty", "missing", "wrong_extension",
              "malformed_json", "json_item", "malformed_csv", "malformed_xlsx", "xlsx_cell"]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_bad_input_exits_2_naming_file_row_and_column(capsys, tmp_path, case):
    path, where = _bad_files(tmp_path)[case]
    code, out, err = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", str(path))
    assert code == 2
    assert out == "", "nothing is printed as a result when the input is bad"
    assert str(path) in err
    for piece in where:
        assert piece in err, f"{piece!r} missing from:\n{err}"


def test_a_share_written_as_a_bare_number_above_one_exits_2(capsys, tmp_path):
    policy_path, _ = extended_programme(tmp_path)
    path = write_csv(tmp_path / "s.csv", [["town_id", "period", "basis", "land_built_share"], ["A", "2018", "plan", "72"]])
    code, _, err = run(capsys, "evaluate", "--policy", str(policy_path), "--stage", "application", str(path))
    assert code == 2
    assert "row 2" in err and "column land_built_share" in err and "a percentage with % (72%)" in err


def test_a_long_list_of_problems_is_cut_with_a_count(capsys, tmp_path):
    rows = [["town_id", "period", "investment"]] + [[f"T{i}", "2018", "x"] for i in range(80)]
    code, _, err = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", str(write_csv(tmp_path / "many.csv", rows)))
    assert code == 2
    assert "80 problem(s)" in err and "… and 30 more problem(s)" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["evaluate", "--policy", "tongzhou-towns", "--stage", "someday", APPLICATION], "invalid choice: 'someday'"),
        (["evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--at", "2020-02-30", APPLICATION], "YYYY-MM-DD"),
        (["evaluate", "--policy", "tongzhou-towns", "--stage", "named", APPLICATION], "has no criteria for stage named"),
        (["evaluate", "--policy", "tongzhou-towns", "--stage", "annual", APPLICATION], "no actual rows"),
        (["evaluate", "--policy", "tongzhou-towns", "--stage", "application", HISTORY], "no plan rows"),
        (["assess", "--policy", "tongzhou-towns", "--year", "twenty", HISTORY], "invalid int value"),
        (["evaluate", "--policy", "nowhere.yaml", "--stage", "application", APPLICATION], "cannot read"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_2_with_one_message(capsys, argv, expected):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert expected in err


def test_an_unwritable_output_is_bad_input_not_a_crash(capsys, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "out.json"
    code, _, err = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--format", "json",
                       "-o", str(target), APPLICATION)
    assert code == 2 and "cannot write" in err


def test_an_internal_error_exits_1_with_a_message_and_no_traceback(capsys, monkeypatch):
    import xiaozhen.cli._runs as runs

    def broken(*args, **kwargs):
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(runs, "evaluate", broken)
    monkeypatch.delenv("XIAOZHEN_DEBUG", raising=False)
    code, _, err = run(capsys, "evaluate", "--policy", "tongzhou-towns", "--stage", "application", APPLICATION)
    assert code == 1
    assert "internal error: RuntimeError: the engine fell over" in err and "please report it" in err


def test_help_and_version_exit_0(capsys):
    assert run(capsys, "--help")[0] == 0
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("xiaozhen ")


# ------------------------------------------------------ the installed command

def _installed() -> str:
    script = Path(sys.executable).with_name("xiaozhen")
    if not script.exists():
        pytest.skip("the xiaozhen entry point is not installed in this environment")
    return str(script)


def test_the_installed_command_runs_the_demo_and_refuses_bad_input_with_exit_2(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("XIAOZHEN_DEBUG", None)
    done = subprocess.run([_installed(), "assess", "--policy", "tongzhou-towns", "--year", "2020", HISTORY],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "TZ13" in done.stdout and "退出 exit" in done.stdout
    bad = write_csv(tmp_path / "bad.csv", [["town_id", "period", "investment"], ["A", "2018", "-1"]])
    done = subprocess.run([_installed(), "evaluate", "--policy", "tongzhou-towns", "--stage", "application", str(bad)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{bad}, 第 2 行 row 2, 列 column investment" in done.stderr
