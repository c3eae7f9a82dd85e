"""Read an uploaded report workbook and check it cell by cell.

The workbook is read with python-calamine (a Rust reader, many times faster
than openpyxl's cell objects). Every problem is collected, never just the
first, so a county office can fix a whole upload in one pass; if there is
any, the upload returns the problems and no rows at all.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from python_calamine import CalamineWorkbook

from .. import safefiles
from ..periods import normalise_period
from ..policy import Indicator, Policy
from ._cells import (
    CellError,
    Converter,
    as_text,
    converter_for,
    is_blank,
    refuse_control_characters,
    refuse_excel_error,
    to_amount,
)
from ._errors import error_cells, patch_errors
from ._layout import (
    HEADER_SEARCH_ROWS,
    LEDGER_COLUMNS,
    LEDGER_SHEET,
    PERIOD_LABEL,
    PROGRAMME_LABEL,
    PROJECT_TYPES,
    REPORT_SHEET,
    TOWN_ID,
    TOWN_NAME,
    column_letter,
    project_type_names,
    reported_indicators,
)
from ._ledger import LedgerLink, ledger_link_for, ledger_unit
from ._results import LedgerRow, ReportedValue, ReportProblem, ReportUpload, Value

Previous = Mapping[str, Mapping[str, Any]]
_EPSILON = 1e-9


class _Fatal(Exception):
    """The workbook cannot be read as this programme's report at all: stop at the problems so far."""


@dataclass
class _TownRow:
    town_id: str
    row: int
    values: dict[str, Value]
    #: indicators whose cell was refused (already reported): no later check looks at them.
    invalid: set[str] = field(default_factory=set)


@dataclass
class _Reading:
    policy: Policy
    period: str
    previous: Previous
    towns: frozenset[str] | None
    link: LedgerLink
    problems: list[ReportProblem] = field(default_factory=list)

    def problem(
        self, sheet: str | None, row: int | None, col: int | None, indicator: str | None, zh: str, en: str
    ) -> None:
        letter = column_letter(col) if col is not None else None
        self.problems.append(ReportProblem(sheet, row, letter, indicator, zh, en))


def _open(data: bytes | str | Path) -> CalamineWorkbook:
    if isinstance(data, bytes | bytearray):
        return CalamineWorkbook.from_filelike(io.BytesIO(bytes(data)))
    return CalamineWorkbook.from_path(str(data))


def _find_row(rows: list[list[Any]], first_cell: str) -> int | None:
    """The 0-based index of the first row, near the top, whose column A reads ``first_cell``."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if cells and isinstance(cells[0], str) and cells[0].strip() == first_cell:
            return index
    return None


def _labelled_cell(rows: list[list[Any]], label: str) -> tuple[int, int, Any] | None:
    """(row index, column index, value) of the cell right of ``label`` in the top rows."""
    for r, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for c, value in enumerate(cells[:-1]):
            if isinstance(value, str) and value.strip() == label:
                return r, c + 1, cells[c + 1]
    return None


def _sheet_rows(reading: _Reading, workbook: CalamineWorkbook, name: str) -> list[list[Any]] | None:
    if name not in workbook.sheet_names:
        reading.problem(
            name, None, None, None,
            f"缺少工作表「{name}」，请使用本期下载的模板",
            f"the sheet '{name}' is missing: use the template downloaded for this period",
        )
        return None
    # The area from A1 is materialised: read_report ran safefiles.check_workbook first to bound it.
    rows: list[list[Any]] = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return rows


def _check_meta(reading: _Reading, rows: list[list[Any]]) -> None:
    policy = reading.policy
    programme = _labelled_cell(rows, PROGRAMME_LABEL)
    period = _labelled_cell(rows, PERIOD_LABEL)
    if programme is None or period is None:
        reading.problem(
            REPORT_SHEET, 1, None, None,
            f"第 1 行没有“{PERIOD_LABEL}”和“{PROGRAMME_LABEL}”：这不是本系统生成的报送模板",
            f"row 1 has no '{PERIOD_LABEL}' and '{PROGRAMME_LABEL}' cells: this is not a report template from this system",
        )
        raise _Fatal
    r, c, value = programme
    found = as_text(value) if not is_blank(value) else ""
    if found != policy.id:
        reading.problem(
            REPORT_SHEET, r + 1, c, None,
            f"这是项目 {found or '(空)'} 的模板，不是 {policy.id} ({policy.identity.name.zh}) 的",
            f"this template is for programme {found or '(blank)'}, not {policy.id} ({policy.identity.name.en})",
        )
        raise _Fatal
    r, c, value = period
    try:
        shown = normalise_period(as_text(value))
    except ValueError:
        shown = as_text(value) if not is_blank(value) else ""
    if shown != reading.period:
        reading.problem(
            REPORT_SHEET, r + 1, c, None,
            f"表头的报送期间是 {shown or '(空)'}，本次报送的是 {reading.period}：请使用 {reading.period} 的模板",
            f"the header says period {shown or '(blank)'}, but this upload is for {reading.period}: "
            f"use the {reading.period} template",
        )


def _report_columns(reading: _Reading, rows: list[list[Any]], id_row: int) -> list[tuple[int, Indicator, Converter]]:
    """Columns named by the hidden id row → the reported indicator each holds."""
    policy = reading.policy
    reported = {i.id: i for i in reported_indicators(policy)}
    derived = {i.id for i in policy.indicators if i.kind == "derived"}
    seen: dict[str, int] = {}
    columns: list[tuple[int, Indicator, Converter]] = []
    row = id_row + 1
    for col, cell in enumerate(rows[id_row]):
        ident = as_text(cell) if not is_blank(cell) else ""
        if ident in (TOWN_ID, TOWN_NAME) and col in (0, 1):
            continue
        if not ident:
            if any(col < len(r) and not is_blank(r[col]) for r in rows[id_row + 1:]):
                reading.problem(
                    REPORT_SHEET, row, col, None,
                    "这一列没有指标编号，但下面填了数据：请不要插入列",
                    "this column has no indicator id but holds figures: do not insert columns",
                )
            continue
        if ident in seen:
            reading.problem(
                REPORT_SHEET, row, col, ident,
                f"指标 {ident} 出现了两次 (另见 {column_letter(seen[ident])} 列)",
                f"indicator {ident} appears twice (see also column {column_letter(seen[ident])})",
            )
            continue
        seen[ident] = col
        if ident in reported:
            columns.append((col, reported[ident], converter_for(reported[ident])))
        elif ident in derived:
            reading.problem(
                REPORT_SHEET, row, col, ident,
                f"{ident} 是派生指标，由系统计算，请使用本期模板",
                f"{ident} is derived (the system computes it): use this period's template",
            )
        else:
            reading.problem(
                REPORT_SHEET, row, col, ident,
                f"{policy.id} 没有指标 {ident}，请使用本期模板",
                f"{policy.id} has no indicator {ident}: use this period's template",
            )
    for ident, ind in reported.items():
        if ident not in seen:
            reading.problem(
                REPORT_SHEET, row, None, ident,
                f"缺少指标列 {ident} ({ind.label.zh})，请使用本期模板，不要删除列",
                f"the column for {ident} ({ind.label.en}) is missing: use this period's template and delete no column",
            )
    return columns


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _town_rows(
    reading: _Reading, rows: list[list[Any]], id_row: int, columns: list[tuple[int, Indicator, Converter]]
) -> list[_TownRow]:
    out: list[_TownRow] = []
    first_seen: dict[str, int] = {}
    checks = _RowChecks.of(reading.policy, columns)
    for index in range(id_row + 1, len(rows)):
        cells = rows[index]
        excel_row = index + 1
        width = len(cells)
        values: dict[str, Value] = {}
        invalid: set[str] = set()
        for col, ind, convert in columns:
            value = cells[col] if col < width else ""
            if value == "" or value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                refuse_control_characters(value)
                values[ind.id] = convert(value)
            except CellError as exc:
                reading.problem(REPORT_SHEET, excel_row, col, ind.id, exc.zh, exc.en)
                invalid.add(ind.id)
        raw_id = cells[0] if width else ""
        if is_blank(raw_id):
            if values or invalid:
                reading.problem(
                    REPORT_SHEET, excel_row, 0, TOWN_ID, "小镇编号为空，但这一行填了数据",
                    "the town id is blank but the row holds figures",
                )
            continue
        try:
            refuse_control_characters(raw_id)
        except CellError as exc:
            reading.problem(REPORT_SHEET, excel_row, 0, TOWN_ID, exc.zh, exc.en)
            continue
        town_id = as_text(raw_id)
        if town_id in first_seen:
            reading.problem(
                REPORT_SHEET, excel_row, 0, TOWN_ID,
                f"小镇 {town_id} 重复：第 {first_seen[town_id]} 行和第 {excel_row} 行",
                f"town {town_id} appears twice: rows {first_seen[town_id]} and {excel_row}",
            )
            continue
        first_seen[town_id] = excel_row
        if reading.towns is not None and town_id not in reading.towns:
            reading.problem(
                REPORT_SHEET, excel_row, 0, TOWN_ID,
                f"未知的小镇编号 {town_id}，或不在您的填报范围内",
                f"unknown town id {town_id}, or not a town you report for",
            )
            continue
        if not values and not invalid:
            continue  # a town left untouched has not reported this period: nothing to store
        town = _TownRow(town_id, excel_row, values, invalid)
        _check_town_row(reading, town, checks)
        out.append(town)
    return out


@dataclass(frozen=True)
class _RowChecks:
    """The few columns that need checks across a row, found once per upload."""

    cumulative: list[tuple[int, Indicator]]
    parts: list[tuple[int, Indicator, Indicator]]

    @classmethod
    def of(cls, policy: Policy, columns: list[tuple[int, Indicator, Converter]]) -> _RowChecks:
        present = {ind.id for _, ind, _ in columns}
        return cls(
            cumulative=[(col, ind) for col, ind, _ in columns if ind.cumulative],
            parts=[
                (col, ind, policy.indicator(ind.part_of))
                for col, ind, _ in columns
                if ind.part_of and ind.part_of in present
            ],
        )


def _check_town_row(reading: _Reading, town: _TownRow, checks: _RowChecks) -> None:
    """Checks across cells of one row: running totals never fall, parts never exceed wholes."""
    if checks.cumulative:
        before = reading.previous.get(town.town_id, {})
        for col, ind in checks.cumulative:
            value = _as_number(town.values.get(ind.id))
            earlier = _as_number(before.get(ind.id))
            if value is not None and earlier is not None and value < earlier - _EPSILON:
                reading.problem(
                    REPORT_SHEET, town.row, col, ind.id,
                    f"{ind.label.zh}是累计数，不能比上期 ({earlier:g}) 少，本期填的是 {value:g}",
                    f"{ind.label.en} is a running total and cannot fall below the previous period's {earlier:g}; "
                    f"got {value:g}",
                )
    for col, ind, whole_ind in checks.parts:
        value = _as_number(town.values.get(ind.id))
        whole = _level(town, whole_ind)
        if value is not None and whole is not None and value > whole + _EPSILON:
            reading.problem(
                REPORT_SHEET, town.row, col, ind.id,
                f"{ind.label.zh} ({value:g}) 大于{whole_ind.label.zh} ({whole:g})，部分不能超过整体",
                f"{ind.label.en} ({value:g}) is larger than {whole_ind.label.en} ({whole:g}): a part cannot exceed its whole",
            )


def _level(town: _TownRow, ind: Indicator) -> float | None:
    """A row's number for ``ind``; a blank is 0 where the programme says blank means none."""
    if ind.id in town.invalid:
        return None
    if ind.id in town.values:
        return _as_number(town.values[ind.id])
    return 0.0 if ind.blank_is_zero else None


def _ledger_rows(reading: _Reading, rows: list[list[Any]], report_towns: Mapping[str, _TownRow]) -> list[LedgerRow]:
    id_row = _find_row(rows, TOWN_ID)
    if id_row is None:
        reading.problem(
            LEDGER_SHEET, None, None, None,
            "台账没有编号行 (隐藏的第 3 行)：请使用本期下载的模板",
            "the ledger's id row (hidden row 3) is missing: use the template downloaded for this period",
        )
        return []
    where: dict[str, int] = {}
    for col, cell in enumerate(rows[id_row]):
        if not is_blank(cell):
            where.setdefault(as_text(cell), col)
    missing = [ident for ident in LEDGER_COLUMNS if ident not in where]
    for ident in missing:
        reading.problem(
            LEDGER_SHEET, id_row + 1, None, ident,
            f"台账缺少“{LEDGER_COLUMNS[ident][0]}”列，请使用本期模板",
            f"the ledger's '{LEDGER_COLUMNS[ident][1]}' column is missing: use this period's template",
        )
    if missing:
        return []
    unit = ledger_unit(reading.policy, reading.link)
    money = _ledger_money(unit)
    types = project_type_names()
    choices = "、".join(f"{zh} ({en})" for zh, en in PROJECT_TYPES.values())
    out: list[LedgerRow] = []
    seen: dict[tuple[str, str], int] = {}
    for index in range(id_row + 1, len(rows)):
        cells = rows[index]
        excel_row = index + 1

        def cell(ident: str, cells: list[Any] = cells) -> Any:
            col = where[ident]
            return cells[col] if col < len(cells) else ""

        def bad(ident: str, zh: str, en: str, excel_row: int = excel_row) -> None:
            reading.problem(LEDGER_SHEET, excel_row, where[ident], ident, zh, en)

        if all(is_blank(cell(ident)) for ident in LEDGER_COLUMNS):
            continue
        before = len(reading.problems)
        for ident in LEDGER_COLUMNS:
            try:
                refuse_excel_error(cell(ident))
                refuse_control_characters(cell(ident))
            except CellError as exc:
                bad(ident, exc.zh, exc.en)
        if len(reading.problems) > before:
            continue
        town_id = "" if is_blank(cell("town_id")) else as_text(cell("town_id"))
        if not town_id:
            bad("town_id", "小镇编号为空", "the town id is blank")
        elif reading.towns is not None and town_id not in reading.towns:
            bad("town_id", f"未知的小镇编号 {town_id}，或不在您的填报范围内", f"unknown town id {town_id}, or not a town you report for")
        elif town_id not in report_towns:
            bad("town_id", f"小镇 {town_id} 有台账项目，但报送表中没有它的数据",
                f"town {town_id} has ledger projects but no figures in the report sheet")
        name = "" if is_blank(cell("project_name")) else as_text(cell("project_name"))
        if not name:
            bad("project_name", "项目名称为空", "the project name is blank")
        elif town_id and (town_id, name) in seen:
            bad("project_name", f"项目“{name}”重复：第 {seen[(town_id, name)]} 行和第 {excel_row} 行",
                f"project '{name}' appears twice: rows {seen[(town_id, name)]} and {excel_row}")
        else:
            seen[(town_id, name)] = excel_row
        raw_type = cell("project_type")
        type_id = None if is_blank(raw_type) else types.get(as_text(raw_type).lower())
        if type_id is None:
            bad("project_type", f"项目类型应为 {choices} 之一，而不是 {as_text(raw_type) or '(空)'}",
                f"the project type must be one of {', '.join(en for _, en in PROJECT_TYPES.values())}, "
                f"not {as_text(raw_type) or '(blank)'}")
        planned = _ledger_amount(cell("planned_investment"), money, lambda zh, en: bad("planned_investment", zh, en))
        completed_raw = cell("completed_investment")
        completed = None
        if is_blank(completed_raw):
            bad("completed_investment", "本期完成投资为空：没有完成请填 0", "investment completed this period is blank: write 0 if none")
        else:
            completed = _ledger_amount(completed_raw, money, lambda zh, en: bad("completed_investment", zh, en))
        if len(reading.problems) == before and type_id is not None and completed is not None:
            out.append(LedgerRow(
                town_id=town_id, period=reading.period, project_name=name, project_type=type_id,
                planned_investment=planned, completed_investment=completed,
                counted=type_id not in reading.link.excluded_types, row=excel_row,
            ))
    return out


def _ledger_money(unit: str) -> Indicator:
    """A stand-in indicator so ledger amounts get the same checks (unit, sign) as report cells."""
    return Indicator.model_validate({"id": "ledger_investment", "label": {"zh": "投资额", "en": "investment"}, "unit": unit})


def _ledger_amount(value: Any, money: Indicator, bad: Callable[[str, str], None]) -> float | None:
    if is_blank(value):
        return None
    try:
        return to_amount(value, money)
    except CellError as exc:
        bad(exc.zh, exc.en)
        return None


def _reconcile(
    reading: _Reading,
    towns: list[_TownRow],
    ledger: list[LedgerRow],
    columns: list[tuple[int, Indicator, Converter]],
) -> dict[str, float]:
    """The report agrees with the ledger; returns each town's counted ledger investment."""
    link = reading.link
    by_town: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for project in ledger:
        by_town[project.town_id][project.project_type] += project.completed_investment
    counted = {
        town.town_id: sum(v for t, v in by_town[town.town_id].items() if t not in link.excluded_types)
        for town in towns
    }
    col_of = {ind.id: col for col, ind, _ in columns}
    checks: list[tuple[str, tuple[str, ...]]] = []
    if link.total is not None:
        checks.append((link.total, tuple(PROJECT_TYPES)))
    checks += list(link.parts.items())
    policy = reading.policy
    for town in towns:
        spent = by_town[town.town_id]
        for ident, types in checks:
            if ident not in col_of or ident in town.invalid:
                continue
            ind = policy.indicator(ident)
            reported = _level(town, ind)
            in_ledger = sum(spent.get(t, 0.0) for t in types)
            which_zh = "全部项目" if len(types) == len(PROJECT_TYPES) else "、".join(PROJECT_TYPES[t][0] for t in types) + "项目"
            which_en = "all projects" if len(types) == len(PROJECT_TYPES) else " and ".join(PROJECT_TYPES[t][1].lower() for t in types) + " projects"
            counted_note_zh = f"；计入考核的投资为 {counted[town.town_id]:g}" if ident == link.total else ""
            counted_note_en = f"; the investment that counts is {counted[town.town_id]:g}" if ident == link.total else ""
            if reported is None:
                if in_ledger > link.tolerance(0.0):
                    reading.problem(
                        REPORT_SHEET, town.row, col_of[ident], ident,
                        f"{ind.label.zh}未填，但项目台账中{which_zh}本期完成投资合计 {in_ledger:g} {ind.unit}{counted_note_zh}",
                        f"{ind.label.en} is blank, but in the ledger {which_en} completed {in_ledger:g} {ind.unit} "
                        f"this period{counted_note_en}",
                    )
                continue
            if abs(reported - in_ledger) > link.tolerance(reported):
                reading.problem(
                    REPORT_SHEET, town.row, col_of[ident], ident,
                    f"{ind.label.zh}填报 {reported:g} {ind.unit}，与项目台账中{which_zh}本期完成投资合计 "
                    f"{in_ledger:g} 不符{counted_note_zh}",
                    f"{ind.label.en} is {reported:g} {ind.unit}, but in the ledger {which_en} completed "
                    f"{in_ledger:g} this period{counted_note_en}",
                )
    return counted


def _town_set(towns: Mapping[str, Any] | Iterable[str] | None) -> frozenset[str] | None:
    if towns is None:
        return None
    return frozenset(str(t) for t in towns)


def read_report(
    data: bytes | str | Path,
    policy: Policy,
    period: str,
    previous: Previous | None = None,
    *,
    towns: Mapping[str, Any] | Iterable[str] | None = None,
    ledger: LedgerLink | None = None,
) -> ReportUpload:
    """Read and check a filled report workbook (bytes or a path) for ``policy`` and ``period``.

    ``previous`` maps town_id → {indicator id: value} of the previous period:
    running totals (``cumulative: true``) may not fall below it. ``towns`` is
    the set of town ids the uploader may report for (ids or a mapping keyed by
    id); without it any town id is accepted. ``ledger`` overrides the
    programme's ledger link. Never raises on bad content: every problem is in
    the returned ``ReportUpload``, and then it holds no rows.
    """
    period = normalise_period(period)
    link = ledger or ledger_link_for(policy)
    link.check(policy)
    reading = _Reading(policy, period, previous or {}, _town_set(towns), link)
    failed = ReportUpload(policy.id, period)
    try:
        # Before any reader sees it: size, zip bombs, entity declarations, the area a sheet spans.
        safefiles.check_workbook(data)
    except safefiles.UnsafeFile as exc:
        reading.problem(None, None, None, None, exc.zh, exc.en)
        return _failed(failed, reading)
    try:
        workbook = _open(data)
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        reading.problem(
            None, None, None, None,
            f"无法作为 Excel 工作簿 (.xlsx) 读取：{exc}", f"cannot be read as an Excel workbook (.xlsx): {exc}",
        )
        return _failed(failed, reading)
    try:
        result = _read(reading, workbook, error_cells(data, [REPORT_SHEET, LEDGER_SHEET]))
    except _Fatal:
        return _failed(failed, reading)
    if reading.problems:
        return _failed(failed, reading)
    return result


_SHEET_ORDER = {None: 0, REPORT_SHEET: 1, LEDGER_SHEET: 2}


def _reading_order(problem: ReportProblem) -> tuple[int, int, int, str]:
    """Sheet by sheet, top to bottom, left to right, as a person fixes them."""
    column = problem.column or ""
    return (_SHEET_ORDER.get(problem.sheet, 3), problem.row or 0, len(column), column)


def _failed(empty: ReportUpload, reading: _Reading) -> ReportUpload:
    problems = sorted(reading.problems, key=_reading_order)
    return ReportUpload(empty.policy_id, empty.period, problems=tuple(problems))


def _read(
    reading: _Reading, workbook: CalamineWorkbook, errors: Mapping[str, list[tuple[str, int, str]]]
) -> ReportUpload:
    rows = _sheet_rows(reading, workbook, REPORT_SHEET)
    if rows is None:
        raise _Fatal
    patch_errors(rows, errors.get(REPORT_SHEET, []))
    _check_meta(reading, rows)
    id_row = _find_row(rows, TOWN_ID)
    if id_row is None:
        reading.problem(
            REPORT_SHEET, None, None, None,
            "报送表没有编号行 (隐藏的第 4 行，以 town_id 开头)：请使用本期下载的模板",
            "the report sheet's id row (hidden row 4, starting with town_id) is missing: use the template for this period",
        )
        raise _Fatal
    columns = _report_columns(reading, rows, id_row)
    towns = _town_rows(reading, rows, id_row, columns)
    ledger_sheet = _sheet_rows(reading, workbook, LEDGER_SHEET)
    if ledger_sheet is not None:
        patch_errors(ledger_sheet, errors.get(LEDGER_SHEET, []))
    ledger = _ledger_rows(reading, ledger_sheet, {t.town_id: t for t in towns}) if ledger_sheet is not None else []
    if not towns and not ledger and not reading.problems:
        reading.problem(
            REPORT_SHEET, id_row + 2, None, None,
            "报送表中没有任何小镇的数据", "the report sheet holds no town's figures",
        )
    # A refused ledger line would make the totals disagree for no reason of their own: say only what is wrong.
    ledger_refused = any(p.sheet == LEDGER_SHEET for p in reading.problems)
    counted = {} if ledger_refused else _reconcile(reading, towns, ledger, columns)
    values = tuple(
        ReportedValue(town.town_id, ident, reading.period, value)
        for town in towns
        for ident, value in town.values.items()
    )
    return ReportUpload(
        reading.policy.id,
        reading.period,
        values=values,
        ledger=tuple(ledger),
        counted_investment=MappingProxyType(counted),
        towns=tuple(t.town_id for t in towns),
    )
