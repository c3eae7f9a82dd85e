"""The one spreadsheet writer: formula-like text escaped (OWASP), numbers kept as numbers, CSV and XLSX alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from xiaozhen.tabular import (
    Column,
    Table,
    csv_bytes,
    safe_text,
    safe_value,
    sheet_title,
    xlsx_bytes,
)


@pytest.mark.parametrize("text", ["=1+1", "+86 10 1234", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=", "-"])
def test_text_starting_with_a_formula_trigger_gets_a_leading_quote(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["川姜家纺小镇", "a=b", "1-2", " =1+1", "'quoted", "", "（=全角）", "50%"])
def test_other_text_is_left_as_it_is(text):
    assert safe_text(text) == text


@pytest.mark.parametrize("number", [-1, -0.5, 0, 3.25, -1e9, Decimal("-12.50")])
def test_numbers_negative_ones_too_stay_numbers(number):
    assert safe_value(number) == number and not isinstance(safe_value(number), str)


def test_text_that_reads_as_a_negative_number_is_still_text_and_is_escaped():
    assert safe_value("-5") == "'-5"


def test_nan_and_infinity_are_written_blank_and_control_characters_dropped():
    assert safe_value(float("nan")) is None and safe_value(float("inf")) is None
    assert safe_value(Decimal("NaN")) is None
    assert safe_value("川\x00姜\x01") == "川姜"
    assert safe_value("\x00=1+1") == "'=1+1"  # the control character cannot hide a formula


def test_sheet_titles_are_cut_to_31_characters_without_characters_excel_refuses():
    assert sheet_title("a/b:c*d?e[f]g\\h") == "a_b_c_d_e_f_g_h"
    assert len(sheet_title("x" * 40)) == 31


def test_an_xlsx_keeps_numbers_dates_and_escaped_text_with_a_bold_frozen_header():
    table = Table("台账 ledger", [Column.bi("项目", "Project", key="name"),
                                Column.bi("金额", "Amount", key="amount", number_format="#,##0.00"),
                                Column.bi("日期", "Date", key="on")],
                  [{"name": "=HYPERLINK(\"x\")", "amount": -3.5, "on": dt.date(2025, 3, 1)},
                   {"name": "二期\n厂房", "amount": Decimal("12"), "on": None}],
                  preamble=[["合同 / Contract", "HT-1"]])
    sheet = load_workbook(io.BytesIO(xlsx_bytes([table])))["台账 ledger"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("合同 / Contract", "HT-1")
    assert rows[1] == ("项目 / Project", "金额 / Amount", "日期 / Date")
    assert rows[2] == ("'=HYPERLINK(\"x\")", -3.5, dt.datetime(2025, 3, 1))
    assert rows[3] == ("二期\n厂房", 12.0, None)
    assert sheet["A2"].font.bold and sheet.freeze_panes == "A3"
    assert sheet["B3"].number_format == "#,##0.00" and sheet["A4"].alignment.wrap_text
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_csv_has_a_bom_escaped_text_and_plain_numbers():
    table = Table("audit", ["时间 / At", "理由 / Reason", "金额"],
                  iter([["2025-01-01", "=cmd|' /C calc'!A0", -2], ["2025-01-02", "@x", 1.5]]))
    data = csv_bytes(table)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["时间 / At", "理由 / Reason", "金额"], ["2025-01-01", "'=cmd|' /C calc'!A0", "-2"],
                    ["2025-01-02", "'@x", "1.5"]]
