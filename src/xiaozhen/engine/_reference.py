"""A plain-Python, one-town-at-a-time evaluator: the engine's reference.

It follows the same rules as the vectorised engine (``_frame`` and
``_evaluate``) with ordinary loops and dicts. Property tests check that both
agree on random towns; ``benchmarks/bench_rules.py`` times it as the
straightforward per-town loop the vectorised engine replaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..policy import Policy, resolve_parameter_value
from ..policy._language import Window, evaluate_row, parse
from ._evaluate import row_severity
from ._frame import policy_windows


def _year(period: str) -> int:
    return int(str(period)[:4])


def _fold_years(policy: Policy, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_year: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: str(r["period"])):
        by_year.setdefault(_year(row["period"]), []).append(row)
    out = []
    for year, group in sorted(by_year.items()):
        folded: dict[str, Any] = dict(group[-1])
        quarters = {str(r["period"])[-2:] for r in group if len(str(r["period"])) > 4}
        missing = [f"{year}{q}" for q in ("Q1", "Q2", "Q3", "Q4") if quarters and q not in quarters]
        for ind in policy.indicators:
            if ind.kind == "reported" and ind.aggregate == "sum" and not ind.cumulative:
                vals = [r.get(ind.id) for r in group]
                folded[ind.id] = None if missing or any(v is None for v in vals) else sum(vals)
        folded["missing_quarters"] = ", ".join(missing) or None
        folded["period_year"] = year
        out.append(folded)
    return out


def _with_defaults(policy: Policy, row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for ind in policy.indicators:
        if ind.kind == "reported":
            if row.get(ind.id) is None and ind.blank_is_zero and ind.aggregate == "sum":
                row[ind.id] = 0.0
            row.setdefault(ind.id, None)
    return row


def _zero_stocks(policy: Policy, row: dict[str, Any]) -> None:
    for ind in policy.indicators:
        if ind.kind == "reported" and ind.blank_is_zero and ind.aggregate != "sum" and row.get(ind.id) is None:
            row[ind.id] = 0.0


def _derive(policy: Policy, row: dict[str, Any], summed: bool) -> None:
    for ind in policy.indicators:
        if ind.kind == "derived" and ind.expr and (ind.aggregate == "sum") == summed:
            row[ind.id] = evaluate_row(parse(ind.expr), row)


def _set_parameters(policy: Policy, row: dict[str, Any], when: dt.date) -> None:
    for p in policy.parameters:
        try:
            row[p.id] = resolve_parameter_value(policy, p.id, when, row.get("category"))
        except LookupError:
            row[p.id] = None


def _window_sum(window: Window, rows: list[dict[str, Any]], low: float, high: float) -> float | None:
    inside = [r for r in rows if low <= r["period_year"] <= high]
    if len(inside) < high - low + 1:
        return None  # an actual year missing inside the window
    vals = [r.get(window.indicator) for r in inside]
    return None if any(v is None for v in vals) else float(sum(float(v) for v in vals if v is not None))


def _window_years(window: Window, row: dict[str, Any]) -> Any:
    return window.years if isinstance(window.years, int) else row.get(window.years)


def town_rows(
    policy: Policy, rows: Iterable[dict[str, Any]], stage: str, at: dt.date | None = None
) -> list[dict[str, Any]]:
    """One town's facts → the rows its criteria read (one for application, one per year otherwise)."""
    basis = "plan" if stage == "application" else "actual"
    mine = [_with_defaults(policy, r) for r in rows if (r.get("basis") or "actual") == basis]
    years = _fold_years(policy, mine)
    for r in years:
        year_end = dt.date(int(r["period_year"]), 12, 31)
        _set_parameters(policy, r, at if stage == "application" and at else year_end)
        if stage != "application":
            _zero_stocks(policy, r)
        _derive(policy, r, summed=True)
    summed = [i.id for i in policy.indicators if i.aggregate == "sum"]
    if not years:
        return []
    if stage == "application":
        out: dict[str, Any] = {}
        for key in years[0]:
            present = [r.get(key) for r in years if r.get(key) is not None]
            out[key] = present[-1] if present else None
        for col in summed:
            vals = [r.get(col) for r in years]
            total = None if any(v is None for v in vals) else sum(float(v) for v in vals if v is not None)
            out[col] = out[f"cum_{col}"] = total
            out[f"first_{col}"] = years[0].get(col)
        out["period_year"] = years[0]["period_year"]
        out["years_elapsed"] = len(years)
        for w in policy_windows(policy):
            n = _window_years(w, out)
            if n is None:
                out[w.column] = None
                continue
            y0, y1 = years[0]["period_year"], years[-1]["period_year"]
            low, high = (y0, min(y1, y0 + n - 1)) if w.end == "first" else (max(y0, y1 - n + 1), y1)
            vals = [r.get(w.indicator) for r in years if low <= r["period_year"] <= high]
            out[w.column] = None if any(v is None for v in vals) else sum(float(v) for v in vals if v is not None)
        _zero_stocks(policy, out)
        _derive(policy, out, summed=False)
        return [out]
    running: dict[str, float | None] = {c: 0.0 for c in summed}
    result = []
    approved: str | None = None
    for index, r in enumerate(years, start=1):
        row = dict(r)
        approved = r.get("extension_approved_until") or approved
        row["extension_approved_until"] = approved
        row["extension_running"] = None if approved is None else approved > f"{r['period_year']}-12-31"
        for col in summed:
            v = r.get(col)
            if policy.indicator(col).cumulative:
                running[col] = v
            else:
                prev = running[col]
                running[col] = None if prev is None or v is None else prev + v
            row[f"cum_{col}"] = running[col]
            row[f"first_{col}"] = years[0].get(col)
        row["years_elapsed"] = index
        y0, at_year = years[0]["period_year"], r["period_year"]
        for w in policy_windows(policy):
            n = _window_years(w, row)
            if n is None:
                row[w.column] = None
                continue
            low, high = (y0, min(at_year, y0 + n - 1)) if w.end == "first" else (max(y0, at_year - n + 1), at_year)
            row[w.column] = _window_sum(w, years, low, high)
        _derive(policy, row, summed=False)
        result.append(row)
    return result


def evaluate_town(
    policy: Policy,
    rows: Iterable[dict[str, Any]],
    stage: str,
    at: dt.date | None = None,
    towns_in_sub_sector: int | None = None,
) -> list[dict[str, Any]]:
    """Criteria outcomes ("pass"/"fail"/"unknown") for each evaluated row of one town."""
    criteria = [(c, parse(c.expr)) for c in policy.criteria_for(stage)]
    results = []
    for row in town_rows(policy, rows, stage, at):
        row["towns_in_sub_sector"] = towns_in_sub_sector if row.get("sub_sector") is not None else None
        outcomes: dict[str, str] = {}
        for c, tree in criteria:
            value = evaluate_row(tree, row)
            outcomes[c.id] = "unknown" if value is None else ("pass" if value else "fail")
        must = [outcomes[c.id] for c, _ in criteria if row_severity(c, row) == "must"]
        verdict = "fail" if "fail" in must else ("unknown" if "unknown" in must else "pass")
        results.append({"period_year": row["period_year"], "verdict": verdict, "criteria": outcomes})
    return results
