"""Check a mapping of values (an online form, an API push) with exactly the workbook's rules.

``check_values`` lays the values out as the rows a workbook would hold and runs
them through the same steps as ``read_report`` (cell conversion, running totals,
parts within wholes, town scope, the ledger and its agreement with the reported
investment), so a figure refused in Excel is refused online with the same words.
Problems are located by indicator (``ReportProblem.indicator``) on the sheet
``VALUES_SHEET``; ledger problems by the project's number in the list given
(``row`` 1, 2, …) and its field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from ..periods import normalise_period
from ..policy import Policy
from ..safefiles import check_workbook, find_control_character
from ._cells import as_text, is_blank
from ._layout import (
    LEDGER_COLUMNS,
    LEDGER_SHEET,
    REPORT_SHEET,
    TOWN_ID,
    TOWN_NAME,
    project_type_names,
    reported_indicators,
)
from ._ledger import LedgerLink, ledger_link_for
from ._read import (
    Previous,
    _find_row,
    _ledger_rows,
    _open,
    _Reading,
    _reading_order,
    _reconcile,
    _report_columns,
    _town_rows,
    _town_set,
)
from ._results import ReportedValue, ReportProblem, ReportUpload

#: Where problems with values given as a mapping are reported (not a sheet of a workbook).
VALUES_SHEET = "在线填报 Online"


def check_values(
    values: Mapping[str, Mapping[str, Any]],
    policy: Policy,
    period: str,
    previous: Previous | None = None,
    *,
    ledger_rows: Iterable[Mapping[str, Any]] = (),
    towns: Mapping[str, Any] | Iterable[str] | None = None,
    ledger: LedgerLink | None = None,
) -> ReportUpload:
    """Check ``values`` (town_id → {indicator id: raw value}) as ``read_report`` checks a workbook.

    Raw values are what a person typed or an API sent: ``"3.2"``, ``"72%"``, ``"是"``, ``12.5``,
    ``True``; ``None`` or ``""`` is blank. ``ledger_rows`` are dicts with the ledger's fields
    (``town_id``, ``project_name``, ``project_type``, ``planned_investment``,
    ``completed_investment``). An indicator the programme does not report is a problem.
    Returns a ``ReportUpload``: every problem and nothing else, or the typed values, ledger
    rows and counted investment.
    """
    period = normalise_period(period)
    link = ledger or ledger_link_for(policy)
    link.check(policy)
    reading = _Reading(policy, period, previous or {}, _town_set(towns), link)
    reported = [i.id for i in reported_indicators(policy)]
    known = set(reported)
    for given in values.values():
        for ident in given:
            if ident not in known:
                reading.problem(
                    VALUES_SHEET, None, None, ident,
                    f"{policy.id} 没有需要填报的指标 {ident}",
                    f"{policy.id} has no reported indicator {ident}",
                )
    header = [TOWN_ID, TOWN_NAME, *reported]
    rows: list[list[Any]] = [header]
    row_town: dict[int, str] = {}
    for town_id, given in values.items():
        row_town[len(rows) + 1] = str(town_id)
        rows.append([str(town_id), "", *(given.get(ident) for ident in reported)])
    columns = _report_columns(reading, rows, 0)
    town_rows = _town_rows(reading, rows, 0, columns)
    ledger_sheet: list[list[Any]] = [list(LEDGER_COLUMNS)]
    for project in ledger_rows:
        ledger_sheet.append([project.get(ident) for ident in LEDGER_COLUMNS])
    projects = _ledger_rows(reading, ledger_sheet, {t.town_id: t for t in town_rows}) if len(ledger_sheet) > 1 else []
    if not town_rows and not projects and not reading.problems:
        reading.problem(VALUES_SHEET, None, None, None, "没有填写任何数据", "no figure was given")
    # A refused ledger line would make the totals disagree for no reason of their own: say only what is wrong.
    ledger_refused = any(p.sheet == LEDGER_SHEET for p in reading.problems)
    counted = {} if ledger_refused else _reconcile(reading, town_rows, projects, columns)
    if reading.problems:
        several = len(values) > 1
        problems = sorted((_relocate(p, row_town, several) for p in reading.problems), key=_reading_order)
        return ReportUpload(policy.id, period, problems=tuple(problems))
    return ReportUpload(
        policy.id,
        period,
        values=tuple(
            ReportedValue(town.town_id, ident, period, value) for town in town_rows for ident, value in town.values.items()
        ),
        ledger=tuple(replace(p, row=p.row - 1) for p in projects),
        counted_investment=MappingProxyType(counted),
        towns=tuple(t.town_id for t in town_rows),
    )


def _relocate(problem: ReportProblem, row_town: Mapping[int, str], several: bool) -> ReportProblem:
    """A problem found on the laid-out rows → where it is in the mapping given."""
    if problem.sheet == LEDGER_SHEET:
        # row 1 is the laid-out id row: project n is on row n + 1.
        return replace(problem, row=problem.row - 1 if problem.row else None, column=None)
    if problem.sheet == REPORT_SHEET:
        town = row_town.get(problem.row or 0)
        if several and town:
            problem = replace(
                problem, message_zh=f"小镇 {town}：{problem.message_zh}", message_en=f"town {town}: {problem.message_en}"
            )
        return replace(problem, sheet=VALUES_SHEET, row=None, column=None)
    return problem




def _storable(value: Any) -> Any:
    """A draft keeps what was typed, but a control character (NUL breaks PostgreSQL) becomes U+FFFD."""
    if isinstance(value, str) and find_control_character(value) is not None:
        return "".join("\ufffd" if find_control_character(ch) is not None else ch for ch in value)
    return value


def workbook_cells(data: bytes, policy: Policy) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]] | None:
    """The raw cells of a filled template, unchecked: (town_id → {indicator: cell}, ledger rows).

    For keeping a workbook that failed the checks as a draft: nothing is converted or
    refused, blanks are left out, and the columns are found by the hidden id rows as
    ``read_report`` finds them. None when the file is not a report template at all.
    """
    try:
        check_workbook(data)
        book = _open(data)
        rows = book.get_sheet_by_name(REPORT_SHEET).to_python(skip_empty_area=False)
    except Exception:  # an unsafe file, or calamine's own error types for every kind of bad file
        return None
    id_row = _find_row(rows, TOWN_ID)
    if id_row is None:
        return None
    reported = {i.id for i in reported_indicators(policy)}
    columns = [(c, as_text(v)) for c, v in enumerate(rows[id_row]) if not is_blank(v) and as_text(v) in reported]
    values: dict[str, dict[str, Any]] = {}
    for cells in rows[id_row + 1:]:
        if not cells or is_blank(cells[0]):
            continue
        given = {ident: _storable(cells[c]) for c, ident in columns if c < len(cells) and not is_blank(cells[c])}
        if given:
            values.setdefault(as_text(cells[0]), given)
    ledger: list[dict[str, Any]] = []
    if LEDGER_SHEET in book.sheet_names:
        sheet = book.get_sheet_by_name(LEDGER_SHEET).to_python(skip_empty_area=False)
        ledger_id_row = _find_row(sheet, TOWN_ID)
        if ledger_id_row is not None:
            where = {as_text(v): c for c, v in enumerate(sheet[ledger_id_row]) if not is_blank(v)}
            types = project_type_names()
            for cells in sheet[ledger_id_row + 1:]:
                row = {f: cells[c] for f, c in where.items() if f in LEDGER_COLUMNS and c < len(cells)}
                if any(not is_blank(v) for v in row.values()):
                    kept = {f: ("" if is_blank(v) else _storable(v)) for f, v in row.items()}
                    kind = types.get(as_text(kept.get("project_type", "")).lower())
                    kept["project_type"] = kind or kept.get("project_type", "")
                    ledger.append(kept)
    return values, ledger


__all__ = ["VALUES_SHEET", "check_values", "workbook_cells"]
