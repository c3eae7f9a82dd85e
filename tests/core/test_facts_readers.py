"""Reading facts files: CSV, XLSX and JSON give the same typed rows; every problem names file, row and column."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
import yaml
from polars.testing import assert_frame_equal

from xiaozhen.facts import FactsError, frame_from_records, read_facts, read_table
from xiaozhen.policy import Policy, get_policy, load_policy_file, policies_dir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "tongzhou-towns"
TONGZHOU = get_policy("tongzhou-towns")


def extended_programme(directory: Path) -> tuple[Path, Policy]:
    """The Tongzhou programme plus a reported share indicator and two targets, saved in ``directory``.

    Tongzhou reports no share and sets no targets, and the readers and the
    `targets` command must work for any valid programme file.
    """
    data = yaml.safe_load((policies_dir() / "tongzhou-characteristic-towns.yaml").read_text(encoding="utf-8"))
    data["identity"]["id"] = "tongzhou-extended"
    data["indicators"].append(
        {"id": "land_built_share", "label": {"zh": "已建成用地占比", "en": "Share of land built on"},
         "unit": "share", "type": "share", "clause": "003 §三(二)"}
    )
    data["targets"] = [
        {"id": "counted_investment_total", "label": {"zh": "年度计入考核投资合计", "en": "Counted investment per year, all towns"},
         "unit": "亿元", "expr": "SUM(counted_investment)", "target": 60, "year": 2022, "clause": "003 §二"},
        {"id": "feature_investment_total", "label": {"zh": "年度特色产业投资合计", "en": "Feature-industry investment per year"},
         "unit": "亿元", "expr": "SUM(feature_investment)", "target": 100, "year": 2021, "clause": "003 §二"},
    ]
    path = directory / "tongzhou-extended.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, load_policy_file(path)


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], title: str = "Sheet1", extra_first: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if extra_first:
        sheet.title = extra_first
        sheet.append(["说明 notes: this sheet is not the facts"])
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def problems_of(path: Path, policy: Policy = TONGZHOU) -> list[str]:
    with pytest.raises(FactsError) as caught:
        read_facts(path, policy)
    return [str(p) for p in caught.value.problems]


HEADER = ["town_id", "category", "period", "basis", "investment", "feature_investment", "town_parlour"]
GOOD = [["A", "高端制造", "2018", "plan", "10", "8", "是"], ["A", "高端制造", "2019", "plan", "20", "15", "否"]]


# ------------------------------------------------------------------ formats

def test_the_example_application_reads_the_same_from_csv_xlsx_and_json():
    from_csv = read_facts(EXAMPLES / "application.csv", TONGZHOU)
    assert from_csv.height == 18
    assert_frame_equal(read_facts(EXAMPLES / "application.xlsx", TONGZHOU), from_csv)
    assert_frame_equal(read_facts(EXAMPLES / "application.json", TONGZHOU), from_csv)


def test_the_example_formats_are_regenerated_from_the_csv_by_the_kept_script(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_formats", EXAMPLES / "make_formats.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    header, rows = module.read_csv(EXAMPLES / "application.csv")
    module.write_xlsx(tmp_path / "a.xlsx", header, rows)
    module.write_json(tmp_path / "a.json", header, rows)
    assert_frame_equal(read_facts(tmp_path / "a.xlsx", TONGZHOU), read_facts(EXAMPLES / "application.xlsx", TONGZHOU))
    assert_frame_equal(read_facts(tmp_path / "a.json", TONGZHOU), read_facts(EXAMPLES / "application.json", TONGZHOU))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_reads_utf8_with_or_without_bom_gbk_and_excel_unicode_text(tmp_path, encoding):
    rows = [HEADER, *GOOD]
    path = tmp_path / "facts.csv"
    if encoding == "utf-16":  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
        path.write_bytes("\n".join("\t".join(r) for r in rows).encode("utf-16"))
    else:
        write_csv(path, rows, encoding)
    frame = read_facts(path, TONGZHOU)
    assert frame["category"].to_list() == ["high_end_manufacturing"] * 2
    assert frame["investment"].to_list() == [10.0, 20.0]
    assert frame["town_parlour"].to_list() == [True, False]


def test_semicolon_separated_csv_is_read(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADER, *GOOD]), encoding="utf-8")
    assert read_facts(path, TONGZHOU)["feature_investment"].to_list() == [8.0, 15.0]


def test_json_reads_a_list_or_an_object_with_rows(tmp_path):
    items = [dict(zip(HEADER, r, strict=True)) for r in GOOD]
    (tmp_path / "a.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"rows": items}, ensure_ascii=False), encoding="utf-8")
    assert_frame_equal(read_facts(tmp_path / "a.json", TONGZHOU), read_facts(tmp_path / "b.json", TONGZHOU))


def test_xlsx_prefers_a_sheet_named_facts_or_shuju_over_the_first(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [HEADER, *GOOD], title="数据", extra_first="说明")
    table = read_table(path)
    assert table.sheet == "数据"
    assert read_facts(path, TONGZHOU).height == 2


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    rows = [["2020年通州区特色小镇申报汇总表"], [], HEADER, GOOD[0], [], ["A", "高端制造", "2019", "plan", "-5", "1", "是"]]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    problems = problems_of(path)
    assert problems == [
        f"{path}, 工作表 sheet Sheet1, 第 6 行 row 6, 列 column E (investment): "
        "-5 为负数，项目投资不能为负 / -5 is negative; project investment cannot be"
    ]


def test_chinese_headers_name_the_same_columns_as_ids(tmp_path):
    zh = ["小镇编号", "类别", "期间", "口径", "项目投资", "特色主导产业投资", "小镇客厅"]
    by_id = read_facts(write_csv(tmp_path / "id.csv", [HEADER, *GOOD]), TONGZHOU)
    by_label = read_facts(write_csv(tmp_path / "zh.csv", [zh, *GOOD]), TONGZHOU)
    assert_frame_equal(by_label, by_id)


@pytest.mark.parametrize(
    ("text", "value"),
    [("是", True), ("否", False), ("yes", True), ("No", False), ("true", True), ("FALSE", False), ("1", True), ("0", False)],
)
def test_booleans_are_written_shi_fou_yes_no_true_false_or_one_zero(tmp_path, text, value):
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "town_parlour"], ["A", "2018", text]])
    assert read_facts(path, TONGZHOU)["town_parlour"].to_list() == [value]


@pytest.mark.parametrize(("text", "value"), [("0.72", 0.72), ("72%", 0.72), ("100%", 1.0), ("0", 0.0), ("1", 1.0)])
def test_shares_are_fractions_or_percentages_with_a_percent_sign(tmp_path, text, value):
    _, policy = extended_programme(tmp_path)
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "land_built_share"], ["A", "2018", text]])
    assert read_facts(path, policy)["land_built_share"].to_list() == pytest.approx([value])


def test_blank_cells_are_unknown_not_zero(tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, ["A", "高端制造", "2018", "plan", "", "", ""]])
    row = read_facts(path, TONGZHOU).row(0, named=True)
    assert row["investment"] is None and row["town_parlour"] is None


def test_a_blank_basis_means_actual_and_chinese_basis_words_are_understood(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "basis"], ["A", "2018", ""], ["A", "2019", "计划"], ["A", "2020", "实际"]])
    assert read_facts(path, TONGZHOU)["basis"].to_list() == ["actual", "plan", "actual"]


def test_quarters_are_periods_too(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "investment"], ["A", "2018Q1", "1"], ["A", "2018q2", "2"]])
    assert read_facts(path, TONGZHOU)["period"].to_list() == ["2018Q1", "2018Q2"]


def test_records_from_code_still_convert_as_before():
    frame = frame_from_records(TONGZHOU, [{"town_id": "A", "period": "2018", "basis": "plan", "investment": 3}], source="x")
    assert frame["investment"].to_list() == [3.0]
    assert frame.schema["investment"] == pl.Float64


# ------------------------------------------------------------------ problems

def test_an_unknown_indicator_is_named_with_its_header_row(tmp_path):
    path = write_csv(tmp_path / "f.csv", [[*HEADER, "gdp"], [*GOOD[0], "1"]])
    assert problems_of(path) == [
        f"{path}, 第 1 行 row 1, 列 column gdp: tongzhou-towns 没有指标 'gdp' / unknown indicator 'gdp' for tongzhou-towns "
        "(see `xiaozhen policies show tongzhou-towns`)"
    ]


def test_a_derived_indicator_is_refused_as_a_column(tmp_path):
    path = write_csv(tmp_path / "f.csv", [[*HEADER, "counted_investment"], [*GOOD[0], "1"]])
    assert "is derived: the engine computes it" in problems_of(path)[0]


def test_every_problem_in_a_file_is_reported_at_once_and_nothing_is_returned(tmp_path):
    rows = [HEADER, ["A", "高端制造", "2018", "plan", "abc", "8", "是"], ["A", "太空", "2019", "plan", "10", "8", "maybe"]]
    problems = problems_of(write_csv(tmp_path / "f.csv", rows))
    assert len(problems) == 3
    assert "第 2 行 row 2, 列 column investment: 应为数字 / expected a number, got 'abc'" in problems[0]
    assert "第 3 行 row 3, 列 column category: 未知类别 / unknown category '太空'" in problems[1]
    assert "第 3 行 row 3, 列 column town_parlour: 应为是/否" in problems[2]


def test_a_whole_number_is_required_for_counts(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "scenic_standard_level"], ["A", "2018", "3.5"]])
    assert "expected a whole number" in problems_of(path)[0]


def test_a_bare_share_above_one_is_refused_with_how_to_write_it(tmp_path):
    _, policy = extended_programme(tmp_path)
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "land_built_share"], ["A", "2018", "72"], ["B", "2018", "150%"]])
    problems = problems_of(path, policy)
    assert "row 2, 列 column land_built_share" in problems[0] and "write a fraction 0–1 (0.72) or a percentage with % (72%)" in problems[0]
    assert "row 3" in problems[1] and "outside 0–1" in problems[1]


def test_a_part_larger_than_its_whole_is_refused(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "investment", "residential_investment"], ["A", "2018", "10", "12"]])
    assert problems_of(path) == [
        f"{path}, 第 2 行 row 2, 列 column residential_investment: 住宅项目投资 (12) 大于项目投资 (10) / "
        "Residential project investment (12) is larger than Project investment (10)"
    ]


def test_a_duplicated_period_names_both_rows(tmp_path):
    path = write_csv(tmp_path / "f.csv", [HEADER, GOOD[0], GOOD[1], GOOD[0]])
    (problem,) = problems_of(path)
    assert "第 4 行 row 4, 列 column period" in problem and "twice: rows 2 and 4" in problem


def test_a_year_reported_both_whole_and_by_quarter_is_refused(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["town_id", "period", "investment"], ["A", "2018", "4"], ["A", "2018Q1", "1"]])
    (problem,) = problems_of(path)
    assert "row 3" in problem and "it would count twice" in problem


def test_a_missing_town_id_column_is_one_problem_not_one_per_row(tmp_path):
    path = write_csv(tmp_path / "f.csv", [["period", "investment"], ["2018", "1"], ["2019", "2"]])
    assert problems_of(path) == [f"{path}, 第 1 行 row 1: 缺少 town_id 列 / the town_id column is missing"]


def test_a_json_problem_names_the_item_and_field(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps([{"town_id": "A", "period": "2018", "investment": 1}, {"town_id": "A", "period": "2019", "investment": "x"}]))
    assert problems_of(path) == [f"{path}, 第 2 项 item 2, 字段 field investment: 应为数字 / expected a number, got 'x'"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "文件是空的 / the file is empty"),
        ("blank.csv", b"\n\n  \n", "文件是空的 / the file is empty"),
        ("header.csv", b"town_id,period\n", "only a header row (row 1), no data rows"),
        ("header.xlsx", None, "only a header row (row 1), no data rows"),
        ("facts.txt", b"town_id,period\nA,2018\n", "unsupported file type '.txt'"),
        ("noext", b"town_id,period\nA,2018\n", "unsupported file type '(no extension)'"),
        ("bad.json", b'[{"town_id": "A",', "malformed JSON at line 1 column"),
        ("nan.json", b'[{"town_id": "A", "period": 2018, "investment": NaN}]', "NaN is not a JSON value"),
        ("scalar.json", b"42", 'JSON must be a list of objects or {"rows": [...]}'),
        ("empty.json", b"[]", "the file has no rows"),
        ("bad.csv", b'town_id,period\nA,"2018"x\n', "row 2: CSV 格式错误 / malformed CSV"),
        ("nul.csv", b"town_id,period\x00\n", "not a text CSV file"),
        ("renamed.csv", b"PK\x03\x04rest-of-a-zip", "this is an Excel workbook, not a CSV"),
        ("bad.xlsx", b"this is not a workbook", "not a readable Excel workbook"),
        ("latin.json", b'[{"town_id": "\xff"}]', "JSON must be UTF-8"),
    ],
)
def test_unusable_files_give_one_clear_problem(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is None:
        write_xlsx(path, [HEADER])
    else:
        path.write_bytes(content)
    (problem,) = problems_of(path)
    assert problem.startswith(str(path)) and expected in problem


def test_a_missing_file_and_a_folder_are_named(tmp_path):
    assert problems_of(tmp_path / "nowhere.csv") == [f"{tmp_path / 'nowhere.csv'}: 文件不存在 / no such file"]
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert "this is a folder" in problems_of(folder)[0]


def test_a_cell_with_no_header_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [["town_id", "period", None], ["A", "2018", 5]])
    assert problems_of(path) == [
        f"{path}, 工作表 sheet Sheet1, 第 2 行 row 2, 列 column C: 该单元格没有列名(标题行为第 1 行) / this cell has no header (the header is row 1)"
    ]


def test_a_date_typed_into_the_period_column_is_explained(tmp_path):
    import datetime as dt

    path = write_xlsx(tmp_path / "f.xlsx", [["town_id", "period"], ["A", dt.datetime(2018, 1, 1)]])
    (problem,) = problems_of(path)
    assert "列 column B (period)" in problem and "must be a year (2025) or a quarter (2025Q3)" in problem


def test_whole_numbers_from_a_workbook_keep_their_text_form(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [["town_id", "period", "region_code"], [101, 2018, 320612]])
    row = read_facts(path, TONGZHOU).row(0, named=True)
    assert (row["town_id"], row["period"], row["region_code"]) == ("101", "2018", "320612")
