"""The quarterly report workbook (季度报送模板) a county office or town fills in.

One workbook per programme and period: a report sheet with one row per town
(so a county office can fill many towns at once), the project ledger (项目台账),
the previous period's figures for reference, and bilingual instructions.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..periods import normalise_period
from ..policy import Indicator, Policy
from ..tabular import safe_text
from ._cells import in_sentence
from ._layout import (
    EN_ROW,
    FIRST_DATA_ROW,
    ID_ROW,
    LEDGER_COLUMNS,
    LEDGER_FIRST_DATA_ROW,
    LEDGER_ID_ROW,
    LEDGER_SHEET,
    META_ROW,
    PERIOD_LABEL,
    PREVIOUS_SHEET,
    PROGRAMME_LABEL,
    PROJECT_TYPES,
    README_SHEET,
    REPORT_SHEET,
    TOWN_COLUMNS,
    ZH_ROW,
    period_meaning,
    project_type_choice,
    reported_indicators,
)
from ._ledger import LedgerLink, ledger_link_for, ledger_unit

Towns = Mapping[str, str] | Iterable[tuple[str, str]]
Previous = Mapping[str, Mapping[str, Any]]

#: Blank rows left below the towns for towns added by hand.
SPARE_ROWS = 100
#: Ledger rows given drop-downs: a few key projects per town.
LEDGER_ROWS_PER_TOWN = 10
LEDGER_MIN_ROWS = 500

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_META_FILL = PatternFill("solid", fgColor="FFF2CC")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

_TYPE_RULES: dict[str, tuple[str, str]] = {
    "amount": ("不小于 0 的数字，只填数字不带单位", "a number ≥ 0, without the unit"),
    "number": ("不小于 0 的数字，只填数字不带单位", "a number ≥ 0, without the unit"),
    "count": ("不小于 0 的整数", "a whole number ≥ 0"),
    "year": ("四位年份，如 2025", "a year such as 2025"),
    "share": ("小数 0–1 (0.72) 或带 % 的百分数 (72%)", "a fraction 0–1 (0.72) or a percentage with % (72%)"),
    "boolean": ("是 或 否", "是 or 否 (yes or no)"),
    "text": ("文字", "text"),
}


def _town_pairs(towns: Towns) -> list[tuple[str, str]]:
    if isinstance(towns, Mapping):
        return [(str(k), str(v)) for k, v in towns.items()]
    return [(str(k), str(v)) for k, v in towns]


def _english_header(ind: Indicator) -> str:
    if ind.type in ("share", "boolean", "text") or ind.unit in ("share", "文本"):
        kind = {"share": "share, 0–1 or %", "boolean": "是/否 yes/no", "text": "text"}.get(ind.type, ind.unit)
        return f"{ind.label.en} ({kind})"
    return f"{ind.label.en} ({ind.unit})"


def _cell_value(ind: Indicator, value: Any) -> Any:
    if value is None:
        return None
    if ind.type == "boolean" and isinstance(value, bool | int | float):
        return "是" if value else "否"
    return value


def _as_text_cell(cell: Any) -> Any:
    """Text carried over is read back as typed, so it is not quote-escaped: it is stored as a string cell,
    which a spreadsheet program never runs as a formula (openpyxl would write text starting with = as one)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _style_header(ws: Worksheet, rows: Iterable[int], width: int) -> None:
    for row in rows:
        for col in range(1, width + 1):
            cell = ws.cell(row=row, column=col)
            cell.font = _BOLD
            cell.fill = _HEADER_FILL
            cell.alignment = _WRAP


def _write_town_sheet(
    ws: Worksheet, policy: Policy, meta: list[Any], indicators: list[Indicator], width_hint: int
) -> None:
    """Row 1 meta cells, rows 2–4 headers (the id row hidden)."""
    for col, value in enumerate(meta, start=1):
        cell = ws.cell(row=META_ROW, column=col, value=value)
        cell.fill = _META_FILL
        cell.font = _BOLD
    ids = [*TOWN_COLUMNS, *(i.id for i in indicators)]
    zh = [label[0] for label in TOWN_COLUMNS.values()] + [i.label.zh for i in indicators]
    en = [label[1] for label in TOWN_COLUMNS.values()] + [_english_header(i) for i in indicators]
    for col, (z, e, ident) in enumerate(zip(zh, en, ids, strict=True), start=1):
        ws.cell(row=ZH_ROW, column=col, value=z)
        ws.cell(row=EN_ROW, column=col, value=e)
        ws.cell(row=ID_ROW, column=col, value=ident)
    _style_header(ws, (ZH_ROW, EN_ROW), len(ids))
    ws.row_dimensions[ID_ROW].hidden = True
    ws.row_dimensions[EN_ROW].height = 45
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 24
    for col in range(3, len(ids) + 1):
        ws.column_dimensions[get_column_letter(col)].width = width_hint
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"


def _validation(ind: Indicator, cells: str) -> DataValidation:
    """A drop-down for yes/no, a range for numbers; a warning only: the reader decides."""
    rule_zh, rule_en = _TYPE_RULES[ind.type]
    when_zh, when_en = period_meaning(ind)
    prompt = f"{ind.unit}；{rule_zh}；{when_zh}。{rule_en}; {when_en}."
    kwargs: dict[str, Any] = {}
    if ind.type == "boolean":
        kwargs = {"type": "list", "formula1": '"是,否"'}
    elif ind.type in ("amount", "number"):
        kwargs = {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"}
    elif ind.type == "count":
        kwargs = {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"}
    elif ind.type == "share":
        kwargs = {"type": "decimal", "operator": "between", "formula1": "0", "formula2": "1"}
    elif ind.type == "year":
        kwargs = {"type": "whole", "operator": "between", "formula1": "1900", "formula2": "2100"}
    dv = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=ind.label.zh[:32],
        prompt=prompt[:255],
        showErrorMessage=ind.type != "text",
        errorStyle="warning",
        errorTitle="请检查 Please check"[:32],
        error=f"{rule_zh} / {rule_en}"[:255],
        **kwargs,
    )
    dv.add(cells)
    return dv


def _report_sheet(
    ws: Worksheet, policy: Policy, period: str, towns: list[tuple[str, str]], previous: Previous
) -> None:
    indicators = reported_indicators(policy)
    meta = [PERIOD_LABEL, period, PROGRAMME_LABEL, policy.id, f"{policy.identity.name.zh} / {policy.identity.name.en}"]
    _write_town_sheet(ws, policy, meta, indicators, width_hint=16)
    last_row = FIRST_DATA_ROW + len(towns) + SPARE_ROWS - 1
    for offset, (town_id, name) in enumerate(towns):
        row = FIRST_DATA_ROW + offset
        ws.cell(row=row, column=1, value=town_id)
        ws.cell(row=row, column=2, value=safe_text(name))  # not read back: escaped as every export escapes it
        before = previous.get(town_id, {})
        for col, ind in enumerate(indicators, start=3):
            # Levels (stocks, yes/no facts) carry over until changed; a period's flow
            # (aggregate: sum) must be typed afresh, so it is never pre-filled.
            if ind.aggregate != "sum" and not ind.cumulative and before.get(ind.id) is not None:
                _as_text_cell(ws.cell(row=row, column=col, value=_cell_value(ind, before[ind.id])))
    for col, ind in enumerate(indicators, start=3):
        letter = get_column_letter(col)
        cells = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
        ws.add_data_validation(_validation(ind, cells))
        if ind.type == "share":
            for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(towns)):
                ws.cell(row=row, column=col).number_format = "0.0%"


def _previous_sheet(ws: Worksheet, policy: Policy, towns: list[tuple[str, str]], previous: Previous) -> None:
    indicators = reported_indicators(policy)
    meta = ["上期数值，仅供参考，不会被读取", "Previous figures, for reference only: this sheet is not read back"]
    _write_town_sheet(ws, policy, meta, indicators, width_hint=14)
    for offset, (town_id, name) in enumerate(towns):
        row = FIRST_DATA_ROW + offset
        ws.cell(row=row, column=1, value=town_id)
        ws.cell(row=row, column=2, value=safe_text(name))
        before = previous.get(town_id, {})
        for col, ind in enumerate(indicators, start=3):
            cell = _as_text_cell(ws.cell(row=row, column=col, value=_cell_value(ind, before.get(ind.id))))
            if ind.type == "share":
                cell.number_format = "0.0%"


def _ledger_sheet(ws: Worksheet, policy: Policy, link: LedgerLink, town_count: int) -> None:
    unit = ledger_unit(policy, link)
    for col, (ident, (zh, en)) in enumerate(LEDGER_COLUMNS.items(), start=1):
        if ident.endswith("_investment"):
            zh, en = f"{zh}({unit})", f"{en} ({unit})"
        ws.cell(row=1, column=col, value=zh)
        ws.cell(row=2, column=col, value=en)
        ws.cell(row=LEDGER_ID_ROW, column=col, value=ident)
        ws.column_dimensions[get_column_letter(col)].width = 30 if ident == "project_name" else 20
    _style_header(ws, (1, 2), len(LEDGER_COLUMNS))
    ws.row_dimensions[LEDGER_ID_ROW].hidden = True
    ws.freeze_panes = f"A{LEDGER_FIRST_DATA_ROW}"
    last = LEDGER_FIRST_DATA_ROW + max(LEDGER_MIN_ROWS, LEDGER_ROWS_PER_TOWN * town_count) - 1
    first = LEDGER_FIRST_DATA_ROW
    town_range = f"'{REPORT_SHEET}'!$A${FIRST_DATA_ROW}:$A${FIRST_DATA_ROW + town_count + SPARE_ROWS - 1}"
    choices = ",".join(project_type_choice(t) for t in PROJECT_TYPES)
    rules: list[tuple[str, dict[str, Any], str]] = [
        (f"A{first}:A{last}", {"type": "list", "formula1": town_range}, "报送表中的小镇编号 / a town id from the report sheet"),
        (f"C{first}:C{last}", {"type": "list", "formula1": f'"{choices}"'}, "从下拉列表选择 / pick from the list"),
        (f"D{first}:E{last}", {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"},
         f"不小于 0 的数字({unit}) / a number ≥ 0 ({unit})"),
    ]
    for cells, kwargs, text in rules:
        dv = DataValidation(allow_blank=True, showInputMessage=True, prompt=text[:255],
                            showErrorMessage=True, errorStyle="warning", error=text[:255], **kwargs)
        dv.add(cells)
        ws.add_data_validation(dv)


def _readme_sheet(ws: Worksheet, policy: Policy, period: str, link: LedgerLink) -> None:
    indicators = reported_indicators(policy)
    excluded = "、".join(PROJECT_TYPES[t][0] for t in link.excluded_types) or "无"
    excluded_en = ", ".join(PROJECT_TYPES[t][1].lower() for t in link.excluded_types) or "none"
    total = policy.indicator(link.total) if link.total else None
    lines: list[tuple[str, str]] = [
        (f"{policy.identity.name.zh} {period} 报送", f"{policy.identity.name.en}: report for {period}"),
        (f"依据 {policy.reporting.clause}，期限为期末后 {policy.reporting.deadline_days} 天内",
         f"Under {policy.reporting.clause}; due within {policy.reporting.deadline_days} days after the period ends"),
        ("", ""),
        (f"1.「{REPORT_SHEET}」每个小镇一行，可一次填报多个小镇；不要修改第 1 行的期间和项目，也不要删除或移动列",
         f"1. '{REPORT_SHEET}' has one row per town, so many towns can be filled at once; do not change the period "
         "and programme in row 1, nor delete or move columns"),
        ("2. 数字只填数字，不带单位；单位见第 3 行。占比填小数 (0.72) 或带 % 的百分数 (72%)；是/否 从下拉列表选择",
         "2. Write numbers without units (row 3 gives the unit). Shares as a fraction (0.72) or with % (72%); "
         "pick 是/否 (yes/no) from the list"),
        ("3. 空白表示未知，不是 0；已预填上期的存量数值，如有变化请改写。本期发生数(投资等)不预填",
         "3. A blank means unknown, not zero. Levels carried over from the previous period are pre-filled: "
         "change them where they changed. Flows for the period (investment, …) are never pre-filled"),
        (f"4.「{LEDGER_SHEET}」列出每个重点项目一行；同一小镇本期完成投资之和应等于报送表中的"
         f"{total.label.zh if total else '投资'}。{excluded}项目不计入考核投资 ({link.clause or '—'})",
         f"4. '{LEDGER_SHEET}' lists one key project per row; a town's completed investment this period must add up to "
         f"{in_sentence(total.label.en) if total else 'its investment'} in the report. Projects of type {excluded_en} do not count "
         f"towards the assessed investment ({link.clause or '—'})"),
        (f"5.「{PREVIOUS_SHEET}」为上期数值，仅供参考，不会被读取",
         f"5. '{PREVIOUS_SHEET}' shows the previous figures for reference; it is not read back"),
        ("6. 上传时逐格检查，有任何问题则整份不保存，并列出每个问题所在的工作表、行和列",
         "6. On upload every cell is checked; if anything is wrong nothing is saved and every problem is listed "
         "with its sheet, row and column"),
        ("", ""),
        ("指标 Indicators", ""),
    ]
    for row, (zh, en) in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=zh)
        ws.cell(row=row, column=2, value=en)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    head = len(lines) + 1
    columns = ("编号 id", "中文名称", "English", "单位 unit", "类型 type", "本期含义", "Meaning for the period", "条款 clause")
    for col, text in enumerate(columns, start=1):
        ws.cell(row=head, column=col, value=text)
    _style_header(ws, (head,), len(columns))
    for row, ind in enumerate(indicators, start=head + 1):
        when_zh, when_en = period_meaning(ind)
        for col, value in enumerate(
            (ind.id, ind.label.zh, ind.label.en, ind.unit, ind.type, when_zh, when_en, ind.clause or ""), start=1
        ):
            ws.cell(row=row, column=col, value=value)
    for letter, width in zip("ABCDEFGH", (60, 60, 40, 12, 10, 22, 30, 18), strict=True):
        ws.column_dimensions[letter].width = width


def build_template(
    policy: Policy,
    period: str,
    towns: Towns,
    previous: Previous | None = None,
    *,
    ledger: LedgerLink | None = None,
) -> bytes:
    """The report workbook for ``policy`` and ``period`` ("2025Q3" or "2025"), as XLSX bytes.

    ``towns`` maps town_id → town name (or is a list of pairs), one report row each,
    in that order. ``previous`` maps town_id → {indicator id: value}: every value is
    shown in the "上期 Previous" sheet, and levels (indicators not summed over the
    period) pre-fill the report. ``ledger`` overrides the programme's ledger link.
    """
    period = normalise_period(period)
    pairs = _town_pairs(towns)
    previous = previous or {}
    link = ledger or ledger_link_for(policy)
    link.check(policy)
    wb = Workbook()
    report = wb.active
    assert report is not None
    report.title = REPORT_SHEET
    _report_sheet(report, policy, period, pairs, previous)
    _ledger_sheet(wb.create_sheet(LEDGER_SHEET), policy, link, len(pairs))
    _previous_sheet(wb.create_sheet(PREVIOUS_SHEET), policy, pairs, previous)
    _readme_sheet(wb.create_sheet(README_SHEET), policy, period, link)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
