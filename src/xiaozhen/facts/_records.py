"""Rows (dicts) → a typed Polars frame the engine reads, or every problem found.

A failed conversion raises FactsError carrying every problem with its file,
row and column, so the caller can show all of them at once and write nothing.
The file formats (CSV, XLSX, JSON) are read in ``_readers``; the rules for
each column are in docs/facts-format.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..periods import Period
from ..policy import Indicator, Policy

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
    "extension_approved_until",
)
#: Chinese headers accepted for the reserved columns (officials' spreadsheets use them).
RESERVED_ALIASES: dict[str, str] = {
    "小镇编号": "town_id",
    "编号": "town_id",
    "小镇名称": "town_name",
    "名称": "town_name",
    "产业类别": "category",
    "类别": "category",
    "细分产业": "sub_sector",
    "行政区划代码": "region_code",
    "区划代码": "region_code",
    "期间": "period",
    "时期": "period",
    "年份": "period",
    "口径": "basis",
    "层级": "tier",
    "批准延期至": "extension_approved_until",
}
_TRUE = {"true", "yes", "y", "1", "是", "有", "√", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×", "f"}
_BASIS = {"plan": "plan", "计划": "plan", "actual": "actual", "实际": "actual", "完成": "actual"}


@dataclass(frozen=True)
class FactsProblem:
    """One problem in a facts file, located as the user sees it.

    ``row`` is the spreadsheet row (CSV: the header is row 1) or, when
    ``unit`` is "item", the 1-based item of a JSON list; ``sheet`` names the
    XLSX sheet; ``column`` is the header as shown (XLSX: "D (investment)").
    """

    file: str
    row: int | None
    column: str | None
    message: str
    sheet: str | None = None
    unit: str = "row"

    def location(self) -> str:
        where = self.file
        if self.sheet:
            where += f", 工作表 sheet {self.sheet}"
        if self.row is not None:
            where += f", 第 {self.row} 项 item {self.row}" if self.unit == "item" else f", 第 {self.row} 行 row {self.row}"
        if self.column:
            where += f", 字段 field {self.column}" if self.unit == "item" else f", 列 column {self.column}"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class FactsError(ValueError):
    """A facts file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[FactsProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return False  # a NaN is a value, and a wrong one: reported by the converter
    return isinstance(value, str) and value.strip() == ""


def _text(value: Any) -> str:
    """A cell as text; spreadsheets give whole numbers as floats (101.0 → "101")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"应为是/否 / expected yes or no (是/否, yes/no, true/false, 1/0), got {value!r}")


def _to_number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("应为数字，而不是是/否 / expected a number, got a yes/no value")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise ValueError(f"数字过大 / number too large: {value!r}") from None
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"应为数字 / expected a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"不是有限的数字 / {value!r} is not a finite number")
    return number


def _to_share(value: Any) -> float:
    """Shares are fractions 0–1, or percentages written with a % sign ("72%")."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        number = _to_number(value.strip()[:-1]) / 100
    else:
        number = _to_number(value)
        if number > 1:
            raise ValueError(
                f"占比 {value!r} 大于 1：请写成小数 (0.72) 或带 % 的百分数 (72%) / "
                f"share {value!r} is above 1: write a fraction 0–1 (0.72) or a percentage with % (72%)"
            )
    if not 0 <= number <= 1:
        raise ValueError(f"占比 {value!r} 不在 0–1 (0%–100%) 之间 / share {value!r} is outside 0–1 (0 %–100 %)")
    return number


def convert_value(policy: Policy, column: str, value: Any) -> Any:
    """One indicator cell → its typed value; ValueError with a bilingual message."""
    ind = policy.indicator(column)
    if ind.type == "boolean":
        return _to_bool(value)
    if ind.type == "text":
        if isinstance(value, list | dict):
            raise ValueError(f"应为单个值 / expected a single value, got {type(value).__name__}")
        return _text(value)
    if ind.type == "share":
        return _to_share(value)
    number = _to_number(value)
    if number < 0:
        raise ValueError(
            f"{number:g} 为负数，{ind.label.zh}不能为负 / {number:g} is negative; {ind.label.en.lower()} cannot be"
        )
    if ind.type in ("count", "year") and number != int(number):
        raise ValueError(f"应为整数 / expected a whole number, got {value!r}")
    return number


def _category_ids(policy: Policy) -> dict[str, str]:
    """Accept a category's id or either of its labels."""
    out: dict[str, str] = {}
    for c in policy.categories:
        out[c.id] = c.id
        out[c.id.lower()] = c.id
        out[c.label.zh] = c.id
        out[c.label.en.lower()] = c.id
    return out


def _period(value: Any) -> str:
    if _blank(value):
        raise ValueError("期间为空 / period is empty: write a year (2025) or a quarter (2025Q3)")
    return str(Period.parse(_text(value)))


def canonical_columns(policy: Policy) -> dict[str, str]:
    """Every header the facts may use → the column it means.

    An indicator may be headed by its id or its Chinese label; a reserved
    column by its id or a Chinese alias (RESERVED_ALIASES). Ids match
    whatever their case.
    """
    names: dict[str, str] = {c: c for c in RESERVED_COLUMNS}
    names.update(RESERVED_ALIASES)
    for ind in policy.indicators:
        names.setdefault(ind.id, ind.id)
        names.setdefault(ind.label.zh, ind.id)
    return names


def _canonical(names: Mapping[str, str], key: str) -> str:
    text = key.strip()
    return names.get(text) or names.get(text.lower()) or text


def frame_from_records(
    policy: Policy,
    records: Iterable[Mapping[str, Any]],
    *,
    source: str = "<records>",
    row_numbers: list[int] | None = None,
    column_names: Mapping[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    unit: str = "row",
) -> pl.DataFrame:
    """Validate and type ``records``; raise FactsError listing every problem.

    ``row_numbers`` gives the row each record came from (defaults to 1, 2, …);
    ``column_names`` maps a record key to how the user sees it (e.g. "D (investment)");
    ``sheet`` and ``header_row`` locate problems with a whole column; ``unit``
    is "row" for spreadsheets and "item" for JSON lists.
    """
    records = list(records)
    problems: list[FactsProblem] = []
    rows_seen = row_numbers or list(range(1, len(records) + 1))
    if not records:
        raise FactsError([FactsProblem(source, None, None, "没有数据行 / the file has no rows", sheet, unit)])

    # Headers → columns: ids, Chinese labels and aliases all name the same column.
    names = canonical_columns(policy)
    raw_keys: list[str] = list(dict.fromkeys(str(k) for r in records for k in r))
    canon = {k: _canonical(names, k) for k in raw_keys}
    shown: dict[str, str] = {}
    for raw in raw_keys:
        label = (column_names or {}).get(raw, raw)
        if canon[raw] in shown:
            problems.append(
                FactsProblem(
                    source, header_row, label,
                    f"与 {shown[canon[raw]]} 是同一列 {canon[raw]!r} / names the same column {canon[raw]!r} as {shown[canon[raw]]}",
                    sheet, unit,
                )
            )
        else:
            shown[canon[raw]] = label
    columns = list(shown)

    indicators = {i.id for i in policy.indicators if i.kind == "reported"}
    derived = {i.id for i in policy.indicators if i.kind == "derived"}
    categories = _category_ids(policy)
    tier_ids = {t.label.zh: t.id for t in policy.lifecycle.tiers} | {t.id: t.id for t in policy.lifecycle.tiers}

    def column_problem(col: str, message: str) -> None:
        problems.append(FactsProblem(source, header_row, shown.get(col, col), message, sheet, unit))

    for col in columns:
        if col in RESERVED_COLUMNS or col in indicators:
            continue
        if col in derived:
            column_problem(col, f"{col!r} 是派生指标，由系统计算，请删除此列 / {col!r} is derived: the engine computes it, remove the column")
        else:
            column_problem(col, f"{policy.id} 没有指标 {col!r} / unknown indicator {col!r} for {policy.id} (see `xiaozhen policies show {policy.id}`)")
    required = [c for c in ("town_id", "period") if c not in columns]
    for col in required:
        problems.append(
            FactsProblem(source, header_row, None, f"缺少 {col} 列 / the {col} column is missing", sheet, unit)
        )

    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    unit_zh = "项" if unit == "item" else "行"
    for raw_rec, rownum in zip(records, rows_seen, strict=True):
        rec = {canon[str(k)]: v for k, v in raw_rec.items()}
        row: dict[str, Any] = {}

        def bad(col: str, msg: str, rownum: int = rownum) -> None:
            problems.append(FactsProblem(source, rownum, shown.get(col, col), msg, sheet, unit))

        for col in ("town_id", "town_name", "sub_sector", "region_code"):
            v = rec.get(col)
            if isinstance(v, list | dict):
                bad(col, f"应为单个值 / expected a single value, got {type(v).__name__}")
                v = None
            row[col] = None if _blank(v) else _text(v)
        if row["town_id"] is None and "town_id" in columns:
            bad("town_id", "小镇编号为空 / town_id is empty")
        cat = rec.get("category")
        if _blank(cat):
            row["category"] = None
        else:
            key = _text(cat)
            row["category"] = categories.get(key) or categories.get(key.lower())
            if row["category"] is None and policy.categories:
                known = ", ".join(f"{c.label.zh} ({c.id})" for c in policy.categories)
                bad("category", f"未知类别 / unknown category {key!r}; known: {known}")
            elif row["category"] is None:
                row["category"] = key
        if "period" in columns:
            try:
                row["period"] = _period(rec.get("period"))
            except ValueError as exc:
                bad("period", str(exc))
                row["period"] = None
        else:
            row["period"] = None
        basis = rec.get("basis")
        basis_text = "actual" if _blank(basis) else _text(basis).lower()
        row["basis"] = _BASIS.get(basis_text, basis_text)
        if row["basis"] not in ("plan", "actual"):
            bad("basis", f"口径 {basis!r} 应为计划 (plan) 或实际 (actual) / basis {basis!r} must be plan (计划) or actual (实际)")
        approved = rec.get("extension_approved_until")
        row["extension_approved_until"] = None
        if not _blank(approved):
            try:
                row["extension_approved_until"] = _iso_date(approved)
            except ValueError as exc:
                bad("extension_approved_until", str(exc))
        tier = rec.get("tier")
        if _blank(tier):
            row["tier"] = None
        else:
            row["tier"] = tier_ids.get(_text(tier)) or tier_ids.get(_text(tier).lower())
            if row["tier"] is None:
                known = ", ".join(f"{t.label.zh} ({t.id})" for t in policy.lifecycle.tiers)
                bad("tier", f"未知层级 / unknown tier {tier!r}; known: {known}")
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
            if ind is not None and row.get(col) is not None:
                problem = implausible(ind, row[col])
                if problem:
                    bad(col, problem)
        for group in policy.parts_of_whole:
            given = [row.get(p) for p in group.parts]
            whole = row.get(group.whole)
            parts = [float(v) for v in given if v is not None]
            if whole is None or len(parts) < len(given) or sum(parts) <= whole + 1e-9 * max(abs(whole), 1.0):
                continue
            labels = policy.indicator
            names_zh = "+".join(labels(p).label.zh for p in group.parts)
            names_en = " + ".join(labels(p).label.en for p in group.parts)
            total = sum(parts)
            bad(
                group.parts[-1] if group.parts[-1] in columns else group.whole,
                f"{names_zh} ({total:g}) 大于{labels(group.whole).label.zh} ({whole:g})，部分之和不能超过总数 ({group.clause}) / "
                f"{names_en} ({total:g}) is larger than {labels(group.whole).label.en} ({whole:g}): parts never exceed their whole",
            )
        for col in columns:
            ind = policy.indicator(col) if col in indicators else None
            if not (ind and ind.part_of) or row.get(col) is None or row.get(ind.part_of) is None:
                continue
            if row[col] > row[ind.part_of] + 1e-9:
                whole = policy.indicator(ind.part_of)
                bad(
                    col,
                    f"{ind.label.zh} ({row[col]:g}) 大于{whole.label.zh} ({row[ind.part_of]:g}) / "
                    f"{ind.label.en} ({row[col]:g}) is larger than {whole.label.en} ({row[ind.part_of]:g})",
                )
        if row["town_id"] and row["period"] and row["basis"] in ("plan", "actual"):
            key3 = (row["town_id"], row["period"], row["basis"])
            if key3 in seen:
                bad(
                    "period",
                    f"小镇 {row['town_id']} 的期间 {row['period']} ({row['basis']}) 重复：第 {seen[key3]} 与第 {rownum} {unit_zh} / "
                    f"town {row['town_id']} has period {row['period']} ({row['basis']}) twice: {unit}s {seen[key3]} and {rownum}",
                )
            else:
                seen[key3] = rownum
        out.append(row)
    problems += _mixed_periods(out, rows_seen, source, shown.get("period", "period"), sheet, unit)
    if problems:
        raise FactsError(problems)
    schema: dict[str, Any] = {c: pl.String for c in RESERVED_COLUMNS}
    for col in columns:
        if col in indicators:
            t = policy.indicator(col).type
            schema[col] = pl.Boolean if t == "boolean" else (pl.String if t == "text" else pl.Float64)
    return pl.DataFrame(out, schema=schema)


def _iso_date(value: Any) -> str:
    """An approval date (002 §三(四) 经批准可适当延长): 2027-06-30, or an Excel date cell."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            f"批准延期至 {value!r} 应为日期 YYYY-MM-DD / extension_approved_until {value!r} must be a date YYYY-MM-DD"
        ) from None


def plausibility_problem(ind: Indicator, value: Any) -> tuple[str, str] | None:
    """Why a value cannot be right for this indicator (an A-level of 21, an area of 0), as (zh, en), or None.

    The one home of the plausibility check: the facts reader and the report reader (the door a
    town's figures come in by, ``xiaozhen.reports``) both ask it, so a value is refused where its
    file, row and column are known."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    label_zh, label_en = ind.label.zh, ind.label.en
    if ind.positive and value <= 0:
        return f"{label_zh}应大于 0，现为 {value:g}", f"{label_en} must be above 0, not {value:g}"
    low, high = ind.minimum, ind.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{low:g}–{high:g}" if low is not None and high is not None else (f"≥ {low:g}" if low is not None else f"≤ {high:g}")
        return f"{label_zh} {value:g} 不在合理范围 {span} 内", f"{label_en} {value:g} is outside the plausible range {span}"
    return None


def implausible(ind: Indicator, value: Any) -> str | None:
    """``plausibility_problem`` as one "zh / en" text, or None."""
    problem = plausibility_problem(ind, value)
    return None if problem is None else f"{problem[0]} / {problem[1]}"


def _mixed_periods(
    rows: list[dict[str, Any]], rownums: list[int], source: str, column: str, sheet: str | None, unit: str
) -> list[FactsProblem]:
    """A year reported both as a whole and by quarter would be counted twice."""
    yearly: dict[tuple[str, str, str], int] = {}
    quarterly: dict[tuple[str, str, str], int] = {}
    for row, rownum in zip(rows, rownums, strict=True):
        if not (row["town_id"] and row["period"]):
            continue
        key = (row["town_id"], row["basis"], row["period"][:4])
        (yearly if len(row["period"]) == 4 else quarterly).setdefault(key, rownum)
    return [
        FactsProblem(
            source, max(yearly[key], quarterly[key]), column,
            f"小镇 {key[0]} 的 {key[2]} 年既有全年行 ({yearly[key]}) 又有季度行 ({quarterly[key]})，会重复计算 / "
            f"town {key[0]} reports {key[2]} both as a year ({yearly[key]}) and by quarter ({quarterly[key]}): it would count twice",
            sheet, unit,
        )
        for key in sorted(yearly.keys() & quarterly.keys())
    ]
