"""`xiaozhen per-mu` as a user runs it: the table, json, csv and xlsx, and how it refuses bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xiaozhen.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "per-mu" / "enterprises.csv")
WORKED = str(ROOT / "examples" / "per-mu" / "worked.csv")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_the_table_shows_each_firm_its_class_the_town_counts_and_the_run_record(capsys):
    code, out, _ = run(capsys, "per-mu", "--method", "zhejiang-county", WORKED)
    assert code == 0
    assert "A 优先发展类" in out and "丁 恒达电子" in out and "新办投产未满两年" in out and "用地不足3亩" in out
    assert "各镇 per town" in out and "各县 per county" in out and "亩均领跑 Leader" in out
    assert "method_sha256:" in out and "data_sha256:" in out


def test_json_carries_every_firm_the_towns_and_a_record_that_repeats_run_to_run(capsys):
    _, first, _ = run(capsys, "per-mu", "--method", "zhejiang-county", "--format", "json", EXAMPLE)
    _, second, _ = run(capsys, "per-mu", "--method", "zhejiang-county", "--format", "json", EXAMPLE)
    doc = json.loads(first)
    assert len(doc["firms"]) == 27 and len(doc["towns"]) == 3
    assert doc["run"]["year"] == 2024 and sum(doc["run"]["classes"].values()) == doc["run"]["graded"]
    assert doc["run"] == json.loads(second)["run"]


def test_csv_and_xlsx_files_hold_one_row_per_firm(capsys, tmp_path):
    out_csv, out_xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    assert run(capsys, "per-mu", "--method", "zhejiang-county", "--year", "2023", "--format", "csv", "-o", str(out_csv), EXAMPLE)[0] == 0
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 28 and rows[0][1] == "统一社会信用代码 credit_code"
    assert run(capsys, "per-mu", "--method", "zhejiang-county", "--format", "xlsx", "-o", str(out_xlsx), EXAMPLE)[0] == 0
    book = CalamineWorkbook.from_path(str(out_xlsx))
    assert book.sheet_names[:2] == ["企业 Enterprises", "各镇 Towns"]
    assert len(book.get_sheet_by_name("企业 Enterprises").to_python()) == 28


def test_a_year_not_in_the_file_is_refused_with_exit_code_2(capsys):
    code, _, err = run(capsys, "per-mu", "--method", "zhejiang-county", "--year", "2019", EXAMPLE)
    assert code == 2 and "the file has 2023, 2024" in err


def test_a_bad_credit_code_stops_the_run_and_names_row_and_column(capsys, tmp_path):
    lines = Path(WORKED).read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("91330681MA20000036", "91330681MA20000037")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "per-mu", "--method", "zhejiang-county", str(bad))
    assert code == 2 and out == ""
    assert "第 4 行 row 4, 列 column credit_code" in err and "position 18 should be '6', got '7'" in err


def test_an_unknown_method_is_refused_with_exit_code_2(capsys):
    code, _, err = run(capsys, "per-mu", "--method", "no-such-method", EXAMPLE)
    assert code == 2 and "no-such-method" in err
