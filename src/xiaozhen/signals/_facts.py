"""Figures for the signals from a facts file, a ledger file and an enterprise table, read as reported.

The facts reader (``xiaozhen.facts.read_facts``) refuses a part larger than its whole; here such a row is
kept, because it is exactly what a signal is for. Everything else that cannot be read (a non-number, a bad
period, a missing column) is still a ``FactsError`` naming the file, row and column.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..facts import FactsError, FactsProblem, canonical_columns, read_table
from ..policy import Policy
from ._checks import EnterpriseClaim, LedgerLine, Observation, period_key
from ._model import IndicatorInfo

_NUMERIC = ("amount", "number", "count")


def indicator_infos(policy: Policy) -> dict[str, IndicatorInfo]:
    """The programme's numeric reported indicators, with what the checks need (cumulative, part of, type).

    Cumulative: marked ``cumulative: true`` in the programme file, or named ``…_to_date`` (至今累计), the
    programmes' convention for running totals.
    """
    return {
        ind.id: IndicatorInfo(ind.id, ind.label.zh, ind.label.en, ind.unit, ind.type,
                              ind.cumulative or ind.id.endswith("_to_date"), ind.part_of, flow=ind.aggregate == "sum")
        for ind in policy.indicators
        if ind.type in _NUMERIC and ind.kind == "reported"
    }


def _number(text: Any) -> float | None:
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    cleaned = str(text).strip().replace(",", "")
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(cleaned)
    return value


def _cell(record: dict[str, Any], names: dict[str, str], want: str) -> tuple[str | None, Any]:
    for header, value in record.items():
        if names.get(str(header).strip(), names.get(str(header).strip().lower())) == want:
            return str(header), value
    return None, None


def read_observations(path: str | Path, policy: Policy) -> list[Observation]:
    """Actual figures (``basis`` blank or actual) of every numeric indicator, one observation per cell."""
    table = read_table(path)
    names = canonical_columns(policy)
    infos = indicator_infos(policy)
    problems: list[FactsProblem] = []
    out: list[Observation] = []
    for record, row in zip(table.records, table.row_numbers, strict=True):
        _, town = _cell(record, names, "town_id")
        _, period = _cell(record, names, "period")
        _, basis = _cell(record, names, "basis")
        if str(basis or "").strip().lower() in ("plan", "计划"):
            continue
        if not town:
            problems.append(FactsProblem(table.source, row, "town_id", "缺少小镇编号 / town_id is blank", table.sheet, table.unit))
            continue
        try:
            period_text = str(int(period)) if isinstance(period, float) and period.is_integer() else str(period or "")
            period_key(period_text)
        except ValueError:
            problems.append(FactsProblem(table.source, row, "period", f"期间 {period!r} 应为 2021 或 2021Q3 / period "
                                         f"{period!r} is neither a year (2021) nor a quarter (2021Q3)", table.sheet, table.unit))
            continue
        for header, value in record.items():
            ind = names.get(str(header).strip(), names.get(str(header).strip().lower()))
            if ind not in infos:
                continue
            try:
                number = _number(value)
            except ValueError:
                problems.append(FactsProblem(table.source, row, table.column_names.get(header, header),
                                             f"{value!r} 不是数字 / is not a number", table.sheet, table.unit))
                continue
            if number is not None:
                out.append(Observation(str(town).strip(), period_text, ind, number))
    if problems:
        raise FactsError(problems)
    return out


def _plain_rows(path: str | Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    table = read_table(path)
    headers = {str(h).strip().lower() for r in table.records for h in r}
    missing = [c for c in required if c not in headers]
    if missing:
        raise FactsError([FactsProblem(table.source, table.header_row or 1, None,
                                       f"缺少列 missing column(s): {', '.join(missing)}", table.sheet, table.unit)])
    return [(row, {str(k).strip().lower(): v for k, v in rec.items()})
            for rec, row in zip(table.records, table.row_numbers, strict=True)]


def read_ledger(path: str | Path) -> list[LedgerLine]:
    """A ledger table: town_id, period, indicator, project, amount (one row per project line)."""
    out: list[LedgerLine] = []
    problems: list[FactsProblem] = []
    for row, rec in _plain_rows(path, ("town_id", "period", "indicator", "project", "amount")):
        try:
            amount = _number(rec["amount"])
        except ValueError:
            problems.append(FactsProblem(str(path), row, "amount", f"{rec['amount']!r} 不是数字 / is not a number"))
            continue
        if amount is not None:
            out.append(LedgerLine(str(rec["town_id"]), str(rec["period"]), str(rec["indicator"]), str(rec["project"]),
                                  amount))
    if problems:
        raise FactsError(problems)
    return out


def read_enterprises(path: str | Path) -> list[EnterpriseClaim]:
    """A plain table of (credit_code, town_id, year[, name]): the enterprise registry or any export of it."""
    out: list[EnterpriseClaim] = []
    problems: list[FactsProblem] = []
    for row, rec in _plain_rows(path, ("credit_code", "town_id", "year")):
        try:
            year = int(float(str(rec["year"])))
        except ValueError:
            problems.append(FactsProblem(str(path), row, "year", f"{rec['year']!r} 不是年份 / is not a year"))
            continue
        out.append(EnterpriseClaim(str(rec["credit_code"]), str(rec["town_id"]), year, str(rec.get("name") or "")))
    if problems:
        raise FactsError(problems)
    return out
