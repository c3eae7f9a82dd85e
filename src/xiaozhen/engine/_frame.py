"""Turn a facts table (one row per town per period) into the frame criteria read.

Two shapes, both one row per evaluated unit:

* ``collapse_plans``: application stage. A town's plan rows (basis ``plan``)
  become one row: summed indicators are totals over the plan horizon, and
  ``first_<id>`` is the first planned year.
* ``cumulate_actuals``: annual, acceptance and named stages. A town's actual
  rows (basis ``actual``) become one row per year, with ``cum_<id>`` the
  running total since its first year and ``years_elapsed`` counting years.

Missing data stays missing: a total over a window with a gap is null, so a
criterion that reads it is *unknown*, never a silent pass or fail. A year filed
by quarter with a quarter row missing is incomplete: its summed indicators are
null and ``missing_quarters`` names the quarters (``2026Q4``).

Windows (``SUM_FIRST_YEARS(x, n)``, ``SUM_LAST_YEARS(x, n)`` in the criteria
language) become columns here (``window_column``), one per window the programme's
expressions read:

* plans: the first (last) N calendar years of the plan, counted from its first
  (last) year; a plan shorter than N years sums what it has;
* actual figures, at year Y: the first N years of the town's record up to Y, or
  the N years ending at Y (only the years since the town's first); a year
  missing inside the window makes the sum unknown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from ..policy import Policy, compile_expression, resolve_parameter_value
from ..policy._language import Window, parse, windows

ID = "town_id"
YEAR = "period_year"
CONTEXT_COLUMNS = ("town_name", "category", "sub_sector", "region_code", "tier", "extension_approved_until")
#: An approved extension (002 §三(四)) still running after the year assessed: true, false, or null with none.
EXTENSION_RUNNING = "extension_running"


def _dtype(kind: str) -> type[pl.DataType]:
    return {"boolean": pl.Boolean, "text": pl.String}.get(kind, pl.Float64)


def with_all_columns(frame: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Add every reported indicator and context column the frame lacks, as nulls."""
    missing: list[pl.Expr] = []
    for ind in policy.indicators:
        if ind.kind == "reported" and ind.id not in frame.columns:
            missing.append(pl.lit(None, dtype=_dtype(ind.type)).alias(ind.id))
    for col in (*CONTEXT_COLUMNS, "basis", "period"):
        if col not in frame.columns:
            missing.append(pl.lit(None, dtype=pl.String).alias(col))
    if missing:
        frame = frame.with_columns(missing)
    frame = _zero_blanks(frame, policy, summed=True)
    if YEAR not in frame.columns:
        frame = frame.with_columns(pl.col("period").cast(pl.String).str.slice(0, 4).cast(pl.Int32).alias(YEAR))
    return frame


def _zero_blanks(frame: pl.DataFrame, policy: Policy, summed: bool) -> pl.DataFrame:
    """``blank_is_zero`` indicators: flows before they add up, stocks after the plan collapses
    (a blank later plan year must not overwrite an earlier real value)."""
    zeros = [
        pl.col(i.id).fill_null(0)
        for i in policy.indicators
        if i.blank_is_zero and i.kind == "reported" and (i.aggregate == "sum") == summed
    ]
    return frame.with_columns(zeros) if zeros else frame


def _derived(policy: Policy, summed: bool) -> list[tuple[str, pl.Expr]]:
    return [
        (ind.id, compile_expression(ind.expr))
        for ind in policy.indicators
        if ind.kind == "derived" and ind.expr and (ind.aggregate == "sum") == summed
    ]


def _add_derived(frame: pl.DataFrame, policy: Policy, summed: bool) -> pl.DataFrame:
    # One at a time, in file order, so a derived indicator may read an earlier one.
    for ident, expr in _derived(policy, summed):
        frame = frame.with_columns(expr.alias(ident))
    return frame


def _null_if_any_null(col: str, agg: pl.Expr) -> pl.Expr:
    return pl.when(pl.col(col).null_count() > 0).then(None).otherwise(agg)


MISSING_QUARTERS = "missing_quarters"
_QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def to_years(frame: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Fold quarterly rows into years: summed indicators add up, others keep the last quarter.

    A year with a quarter row missing is incomplete: summed (non-cumulative) indicators are
    null, as for a blank cell, and ``missing_quarters`` lists what is missing ("2026Q4").
    """
    if frame.is_empty() or frame["period"].cast(pl.String).str.len_chars().max() == 4:
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias(MISSING_QUARTERS))
    frame = frame.sort([ID, "period"])
    quarter = pl.col("period").cast(pl.String).str.slice(-2)
    quarterly = pl.col("period").cast(pl.String).str.len_chars() > 4
    missing = [
        pl.when(quarterly.any() & ~(quarter == q).any()).then(pl.col(YEAR).cast(pl.String).first() + q)
        for q in _QUARTERS
    ]
    aggs: list[pl.Expr] = [pl.concat_str(missing, separator=", ", ignore_nulls=True).alias("_missing")]
    for col in frame.columns:
        if col in (ID, YEAR, "basis"):
            continue
        try:
            ind = policy.indicator(col)
        except KeyError:
            ind = None
        if ind is not None and ind.aggregate == "sum" and not ind.cumulative:
            aggs.append(_null_if_any_null(col, pl.col(col).sum()).alias(col))
        else:
            aggs.append(pl.col(col).last().alias(col))
    out = frame.group_by([ID, "basis", YEAR], maintain_order=True).agg(aggs)
    incomplete = pl.col("_missing").str.len_chars() > 0
    flows = [
        pl.when(incomplete).then(None).otherwise(pl.col(i.id)).alias(i.id)
        for i in policy.indicators
        if i.kind == "reported" and i.aggregate == "sum" and not i.cumulative and i.id in out.columns
    ]
    return out.with_columns(
        *flows, pl.when(incomplete).then(pl.col("_missing")).alias(MISSING_QUARTERS)
    ).drop("_missing")


def policy_windows(policy: Policy) -> list[Window]:
    """Every window (``SUM_FIRST_YEARS``/``SUM_LAST_YEARS``) the programme's expressions read."""
    texts: list[str] = [c.expr for c in policy.criteria]
    texts += [t.when for t in policy.lifecycle.transitions if t.when is not None]
    texts += [i.expr for i in policy.indicators if i.expr is not None]
    if policy.lifecycle.excellence:
        texts.append(policy.lifecycle.excellence.score)
    found: list[Window] = []
    for text in texts:
        found += windows(parse(text))
    return list(dict.fromkeys(found))


def _window_years(window: Window) -> pl.Expr:
    return pl.lit(window.years) if isinstance(window.years, int) else pl.col(window.years)


def _plan_window(window: Window) -> pl.Expr:
    """Within one town's plan rows (a group_by): the window's sum, null on a blank inside it."""
    years = _window_years(window).first()
    if window.end == "first":
        inside = pl.col(YEAR) < pl.col(YEAR).min() + years
    else:
        inside = pl.col(YEAR) > pl.col(YEAR).max() - years
    values = pl.col(window.indicator).filter(inside)
    return pl.when(values.null_count() > 0).then(None).otherwise(values.sum()).alias(window.column)


def add_actual_windows(frame: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Window sums for each town-year of actual figures (see the module docstring)."""
    specs = policy_windows(policy)
    if not specs or frame.is_empty():
        return frame.with_columns([pl.lit(None, dtype=pl.Float64).alias(w.column) for w in specs])
    first_year = pl.col(YEAR).min().over(ID)
    for w in specs:
        at = frame.select(ID, pl.col(YEAR).alias("_at"), first_year.alias("_y0"), _window_years(w).alias("_n"))
        rows = frame.select(ID, YEAR, pl.col(w.indicator).alias("_v"))
        pairs = at.join(rows, on=ID, how="inner")
        if w.end == "first":
            low = pl.col("_y0")
            high = pl.min_horizontal(pl.col("_at"), pl.col("_y0") + pl.col("_n") - 1)
        else:
            low = pl.max_horizontal(pl.col("_y0"), pl.col("_at") - pl.col("_n") + 1)
            high = pl.col("_at")
        pairs = pairs.with_columns(low.alias("_low"), high.alias("_high")).filter(
            (pl.col(YEAR) >= pl.col("_low")) & (pl.col(YEAR) <= pl.col("_high"))
        )
        sums = pairs.group_by([ID, "_at"]).agg(
            pl.when((pl.col("_v").null_count() > 0) | (pl.len() < pl.col("_high").first() - pl.col("_low").first() + 1))
            .then(None)
            .otherwise(pl.col("_v").sum())
            .cast(pl.Float64)
            .alias(w.column)
        )
        frame = frame.join(sums.rename({"_at": YEAR}), on=[ID, YEAR], how="left", maintain_order="left")
    return frame


def _summed(policy: Policy) -> list[str]:
    return [i.id for i in policy.indicators if i.aggregate == "sum"]


def collapse_plans(frame: pl.DataFrame, policy: Policy, at: dt.date | None = None) -> pl.DataFrame:
    """Parameters are resolved at ``at`` (the application date), before derived indicators."""
    frame = with_all_columns(frame, policy).filter(pl.col("basis") == "plan")
    frame = add_parameters(to_years(frame, policy), policy, at)
    frame = _add_derived(frame, policy, summed=True).sort([ID, YEAR])
    summed = set(_summed(policy))
    aggs: list[pl.Expr] = [pl.col(YEAR).min(), pl.len().cast(pl.Int32).alias("years_elapsed")]
    aggs += [_plan_window(w) for w in policy_windows(policy)]
    for col in frame.columns:
        if col in (ID, YEAR):
            continue
        if col in summed:
            total = _null_if_any_null(col, pl.col(col).sum())
            aggs += [total.alias(col), total.alias(f"cum_{col}"), pl.col(col).first().alias(f"first_{col}")]
        else:
            aggs.append(pl.col(col).drop_nulls().last().alias(col))
    out = _zero_blanks(frame.group_by(ID, maintain_order=True).agg(aggs), policy, summed=False)
    return _add_derived(out, policy, summed=False)


def town_bounds(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``_idx`` (row number) and ``_start`` (row number of the town's first row).

    The frame must be sorted by town. Window work then becomes plain vector
    arithmetic and gathers, much faster than ``over(town_id)`` on text keys.
    """
    new_town = (pl.col(ID) != pl.col(ID).shift(1)).fill_null(True)
    idx = pl.int_range(0, pl.len(), dtype=pl.Int64)
    return frame.with_columns(idx.alias("_idx"), new_town.alias("_new_town")).with_columns(
        pl.when(pl.col("_new_town")).then(pl.col("_idx")).forward_fill().alias("_start")
    )


def _running_total(col: str) -> pl.Expr:
    """Cumulative sum within each town; null from the first gap on."""
    filled = pl.col(col).fill_null(0).cum_sum()
    gaps = pl.col(col).is_null().cast(pl.Int64).cum_sum()
    start = pl.col("_start")
    before = filled.gather(start) - pl.col(col).fill_null(0).gather(start)
    gaps_before = gaps.gather(start) - pl.col(col).is_null().cast(pl.Int64).gather(start)
    return pl.when(gaps - gaps_before > 0).then(None).otherwise(filled - before)


def cumulate_actuals(frame: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Parameters are resolved at the end of each year, before derived indicators."""
    frame = with_all_columns(frame, policy).filter(pl.col("basis") == "actual")
    frame = _zero_blanks(add_parameters(to_years(frame, policy), policy, None), policy, summed=False)
    frame = _add_derived(frame, policy, summed=True).sort([ID, YEAR])
    frame = town_bounds(frame)
    extra: list[pl.Expr] = [(pl.col("_idx") - pl.col("_start") + 1).cast(pl.Int32).alias("years_elapsed")]
    for col in _summed(policy):
        running = pl.col(col) if policy.indicator(col).cumulative else _running_total(col)
        extra += [running.alias(f"cum_{col}"), pl.col(col).gather(pl.col("_start")).alias(f"first_{col}")]
    frame = add_actual_windows(frame.with_columns(extra), policy)
    # A dated approval, once recorded, holds in later years until a newer one replaces it.
    approved = pl.col("extension_approved_until").forward_fill().over(ID)
    year_end = pl.col(YEAR).cast(pl.String) + "-12-31"
    frame = frame.with_columns(
        approved.alias("extension_approved_until"),
        pl.when(approved.is_null()).then(None).otherwise(approved > year_end).alias(EXTENSION_RUNNING),
    )
    return _add_derived(frame, policy, summed=False)


def add_context(frame: pl.DataFrame) -> pl.DataFrame:
    """Names every criterion may read that come from the whole set of towns."""
    return frame.with_columns(
        pl.when(pl.col("sub_sector").is_not_null())
        .then(pl.col(ID).n_unique().over([YEAR, "sub_sector"]).cast(pl.Int32))
        .alias("towns_in_sub_sector")
    )


def add_parameters(frame: pl.DataFrame, policy: Policy, at: dt.date | None) -> pl.DataFrame:
    """One column per parameter, resolved at ``at`` (or each row's year end) and category."""
    if not policy.parameters:
        return frame
    keys = frame.select(YEAR, "category").unique()
    rows: list[dict[str, Any]] = []
    for year, category in keys.iter_rows():
        when = at or dt.date(int(year) if year is not None else dt.date.today().year, 12, 31)
        row: dict[str, Any] = {YEAR: year, "category": category}
        for p in policy.parameters:
            try:
                row[p.id] = resolve_parameter_value(policy, p.id, when, category)
            except LookupError:
                row[p.id] = None
        rows.append(row)
    schema: dict[str, Any] = {YEAR: frame.schema[YEAR], "category": frame.schema["category"]}
    for p in policy.parameters:
        sample = p.values[0].value
        schema[p.id] = pl.Boolean if isinstance(sample, bool) else (pl.String if isinstance(sample, str) else pl.Float64)
    table = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.join(table, on=[YEAR, "category"], how="left", nulls_equal=True)
