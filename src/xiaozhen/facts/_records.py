"""Rows (dicts) → a typed Polars frame the engine reads, or every problem found.

A failed conversion raises FactsError carrying every problem with its file,
row and column, so the caller can show all of them at once and write nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..policy import Policy

#: Columns that are not indicators. See docs/facts-format.md.
RESERVED_COLUMNS = (
    "town_id",
    "town_name",
    "category",
    "sub_sector",
    "region_code",
    "period",
    "basis",
    "tier",
)
_TRUE = {"true", "yes", "y", "1", "是", "有", "√", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×", "f"}


@dataclass(frozen=True)
class FactsProblem:
    file: str
    row: int | None  # as the user sees it: spreadsheet row, JSON item number
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class FactsError(ValueError):
    def __init__(self, problems: list[FactsProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("expected yes/no (是/否, true/false, 1/0)")


def _to_number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("expected a number, got a yes/no value")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a number, got {value!r}") from None


def _to_share(value: Any) -> float:
    """Shares are fractions 0–1, or percentages written with a % sign ("72%")."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _to_number(value.strip()[:-1]) / 100
    else:
        number = _to_number(value)
        if number > 1:
            raise ValueError(
                f"share {value!r} is above 1: write a fraction 0–1 (0.72) or a percentage with % (72%)"
            )
    if not 0 <= number <= 1:
        raise ValueError(f"share {value!r} is outside 0–1 (0 %–100 %)")
    return number


def convert_value(policy: Policy, column: str, value: Any) -> Any:
    ind = policy.indicator(column)
    if ind.type == "boolean":
        return _to_bool(value)
    if ind.type == "text":
        return str(value)
    if ind.type == "share":
        return _to_share(value)
    number = _to_number(value)
    if number != number:  # NaN
        raise ValueError("NaN is not a value")
    if number < 0:
        raise ValueError(f"{number:g} is negative; {ind.label.en.lower()} cannot be")
    if ind.type in ("count", "year") and number != int(number):
        raise ValueError(f"expected a whole number, got {value!r}")
    return number


def _category_ids(policy: Policy) -> dict[str, str]:
    """Accept a category's id or either of its labels."""
    out: dict[str, str] = {}
    for c in policy.categories:
        out[c.id] = c.id
        out[c.label.zh] = c.id
        out[c.label.en.lower()] = c.id
    return out


def _period(value: Any) -> str:
    text = str(value).strip().upper()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if len(text) == 4 and text.isdigit():
        return text
    if len(text) == 6 and text[:4].isdigit() and text[4] == "Q" and text[5] in "1234":
        return text
    raise ValueError(f"period {value!r} must be a year (2024) or a quarter (2024Q3)")


def frame_from_records(
    policy: Policy,
    records: Iterable[Mapping[str, Any]],
    *,
    source: str = "<records>",
    row_numbers: list[int] | None = None,
    column_names: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Validate and type ``records``; raise FactsError listing every problem.

    ``row_numbers`` gives the row each record came from (defaults to 1, 2, …);
    ``column_names`` maps a column to how the user sees it (e.g. "D (investment)").
    """
    records = list(records)
    problems: list[FactsProblem] = []
    rows_seen = row_numbers or list(range(1, len(records) + 1))
    shown = dict(column_names or {})
    if not records:
        raise FactsError([FactsProblem(source, None, None, "the file has no rows")])
    indicators = {i.id for i in policy.indicators if i.kind == "reported"}
    derived = {i.id for i in policy.indicators if i.kind == "derived"}
    categories = _category_ids(policy)
    tiers = {t.id for t in policy.lifecycle.tiers} | {t.label.zh: t.id for t in policy.lifecycle.tiers}.keys()
    tier_ids = {t.label.zh: t.id for t in policy.lifecycle.tiers} | {t.id: t.id for t in policy.lifecycle.tiers}
    columns: list[str] = list(dict.fromkeys(k for r in records for k in r))
    for col in columns:
        if col in RESERVED_COLUMNS or col in indicators:
            continue
        hint = " (it is derived: the engine computes it)" if col in derived else ""
        problems.append(
            FactsProblem(source, None, shown.get(col, col), f"unknown indicator {col!r} for {policy.id}{hint}")
        )
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for rec, rownum in zip(records, rows_seen, strict=True):
        row: dict[str, Any] = {}

        def bad(col: str, msg: str, rownum: int = rownum) -> None:
            problems.append(FactsProblem(source, rownum, shown.get(col, col), msg))

        town = rec.get("town_id")
        if _blank(town):
            bad("town_id", "town_id is empty")
        row["town_id"] = None if _blank(town) else str(town).strip()
        for col in ("town_name", "sub_sector", "region_code"):
            v = rec.get(col)
            row[col] = None if _blank(v) else str(v).strip()
        cat = rec.get("category")
        if _blank(cat):
            row["category"] = None
        else:
            key = str(cat).strip()
            row["category"] = categories.get(key) or categories.get(key.lower())
            if row["category"] is None and policy.categories:
                bad("category", f"unknown category {key!r}; known: {', '.join(c.label.zh for c in policy.categories)}")
        try:
            row["period"] = _period(rec.get("period"))
        except ValueError as exc:
            bad("period", str(exc))
            row["period"] = None
        basis = rec.get("basis")
        basis_text = "actual" if _blank(basis) else str(basis).strip().lower()
        basis_text = {"计划": "plan", "实际": "actual", "完成": "actual"}.get(basis_text, basis_text)
        if basis_text not in ("plan", "actual"):
            bad("basis", f"basis {basis!r} must be plan (计划) or actual (实际)")
        row["basis"] = basis_text
        tier = rec.get("tier")
        if _blank(tier):
            row["tier"] = None
        else:
            row["tier"] = tier_ids.get(str(tier).strip())
            if row["tier"] is None:
                bad("tier", f"unknown tier {tier!r}; known: {', '.join(sorted(tiers))}")
        for col in columns:
            if col not in indicators:
                continue
            value = rec.get(col)
            if _blank(value):
                row[col] = None
                continue
            try:
                row[col] = convert_value(policy, col, value)
            except ValueError as exc:
                bad(col, str(exc))
                row[col] = None
        for col in columns:
            ind = policy.indicator(col) if col in indicators else None
            if ind and ind.part_of and row.get(col) is not None and row.get(ind.part_of) is not None:
                if row[col] > row[ind.part_of] + 1e-9:
                    whole = policy.indicator(ind.part_of)
                    bad(col, f"{ind.label.en} ({row[col]:g}) is larger than {whole.label.en} ({row[ind.part_of]:g})")
        if row["town_id"] and row["period"]:
            key3 = (row["town_id"], row["period"], row["basis"])
            if key3 in seen:
                bad("period", f"town {row['town_id']} has period {row['period']} ({row['basis']}) twice: rows {seen[key3]} and {rownum}")
            else:
                seen[key3] = rownum
        out.append(row)
    if problems:
        raise FactsError(problems)
    schema: dict[str, Any] = {c: pl.String for c in RESERVED_COLUMNS}
    for col in columns:
        if col in indicators:
            t = policy.indicator(col).type
            schema[col] = pl.Boolean if t == "boolean" else (pl.String if t == "text" else pl.Float64)
    return pl.DataFrame(out, schema=schema)
