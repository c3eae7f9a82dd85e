"""Helpers for the report tests: fill a template as a county clerk would (with openpyxl), find problems.

No tests here; test_reports_template, test_reports_reading and test_reports_ledger use these.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import openpyxl
import yaml
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xiaozhen.policy import Policy, get_policy, policies_dir
from xiaozhen.reports import LEDGER_SHEET, REPORT_SHEET, ReportProblem, ReportUpload, build_template

TONGZHOU = get_policy("tongzhou-towns")
ZHEJIANG = get_policy("zhejiang-towns")
GUANGXI = get_policy("guangxi-innovation-towns")
PERIOD = "2025Q3"
#: Two Tongzhou towns, as the district office would list them.
TOWNS = {"TZ01": "川姜家纺小镇", "TZ02": "二甲小镇"}


def id_columns(ws: Worksheet, id_row: int) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[id_row] if c.value is not None}


def town_rows(ws: Worksheet) -> dict[str, int]:
    return {str(ws.cell(r, 1).value): r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value is not None}


def column_of(policy: Policy, ident: str) -> str:
    """The letter of ``ident``'s column in the policy's template, found as a clerk would (openpyxl)."""
    ws = openpyxl.load_workbook(io.BytesIO(build_template(policy, PERIOD, TOWNS)))[REPORT_SHEET]
    return get_column_letter(id_columns(ws, 4)[ident])


def fill(
    template: bytes,
    report: Mapping[str, Mapping[str, Any]] | None = None,
    ledger: Iterable[tuple[Any, ...]] = (),
    edit: Callable[[openpyxl.Workbook], None] | None = None,
) -> bytes:
    """Type ``report`` (town → {indicator id: cell value}) and ``ledger`` rows into the template.

    Columns are found by the hidden id row, towns by column A; a town not in the
    template gets a new row under the others. ``edit`` may change anything else.
    """
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[REPORT_SHEET]
    cols = id_columns(ws, 4)
    rows = town_rows(ws)
    for town_id, values in (report or {}).items():
        if town_id not in rows:
            rows[town_id] = max([*rows.values(), 4]) + 1
            ws.cell(rows[town_id], 1, town_id)
        for ident, value in values.items():
            ws.cell(rows[town_id], cols[ident], value)
    led = wb[LEDGER_SHEET]
    for offset, project in enumerate(ledger):
        for col, value in enumerate(project, start=1):
            led.cell(4 + offset, col, value)
    if edit is not None:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cells(upload: ReportUpload) -> list[tuple[str | None, int | None, str | None, str | None]]:
    """Where each problem is: (sheet, row, column letter, indicator)."""
    return [(p.sheet, p.row, p.column, p.indicator) for p in upload.problems]


def only_problem(upload: ReportUpload) -> ReportProblem:
    assert len(upload.problems) == 1, upload.summary()
    return upload.problems[0]


def values_of(upload: ReportUpload) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for v in upload.values:
        out.setdefault(v.town_id, {})[v.indicator] = v.value
    return out


def programme_with(policy_file: str, new_id: str, *indicators: dict[str, Any]) -> Policy:
    """A shipped programme file plus extra indicators, under another id (no shipped one is cumulative)."""
    data = yaml.safe_load((policies_dir() / policy_file).read_text(encoding="utf-8"))
    data["identity"]["id"] = new_id
    data["indicators"].extend(indicators)
    return Policy.model_validate(data)
