"""How a value looks to a person: numbers as people write them, shares as percentages, amounts with
their unit (32 亿元, 72%, 是), blanks as "— 缺 missing". The CLI, the web's documents and exports share it."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .policy import Policy, resolve_parameter_value

__all__ = ["label_of", "number", "percent", "show_value", "unit_of"]


def number(value: float) -> str:
    """A number as people write it: 32, 19.5, 0.6667 — never 3.2e+01."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1e15:
        return f"{value:g}"
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def percent(share: float) -> str:
    """0.78125 → 78.13%: two decimals, so 69.96% never shows as a passing 70%."""
    return f"{share * 100:.2f}".rstrip("0").rstrip(".") + "%"


#: Per policy object (kept beside its entry, so its id is not reused): names already looked up. Pages show
#: thousands of numbers; a lookup walks the indicator list, ~30 µs a name uncached.
_MEMO: dict[int, tuple[Policy, dict[tuple[Any, ...], Any]]] = {}


def _memo(policy: Policy) -> dict[tuple[Any, ...], Any]:
    entry = _MEMO.get(id(policy))
    if entry is None or entry[0] is not policy:
        if len(_MEMO) > 64:
            _MEMO.clear()
        entry = (policy, {})
        _MEMO[id(policy)] = entry
    return entry[1]


def unit_of(policy: Policy, name: str) -> tuple[str, str | None]:
    """(unit, type) of an indicator, parameter or derived name such as cum_investment."""
    memo = _memo(policy)
    key = ("unit", name)
    if key not in memo:
        memo[key] = _unit_of(policy, name)
    return memo[key]


def _unit_of(policy: Policy, name: str) -> tuple[str, str | None]:
    """The unit and type, uncached."""
    if name.startswith("sum_") and "__" in name:  # a window: sum_first_3__investment
        name = name.split("__", 1)[1]
    for prefix in ("", "cum_", "first_"):
        if not name.startswith(prefix):
            continue
        base = name.removeprefix(prefix)
        for ind in policy.indicators:
            if ind.id == base:
                return ind.unit, ind.type
    for p in policy.parameters:
        if p.id == name:
            return p.unit, ("share" if p.unit == "share" else None)
    return "", None


def show_value(policy: Policy, name: str, value: Any) -> str:
    """A value with its unit: 32 亿元, 72%, 是 — or — when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "— 缺 missing"
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    unit, kind = unit_of(policy, name)
    if isinstance(value, int | float):
        if kind == "share" or unit in ("share", "%"):
            return percent(value)
        if unit in ("", "是/否"):
            return number(float(value))
        return f"{number(float(value))} {unit}"
    return str(value)


#: Names the engine adds to every town's row (context and history), as a person reads them.
_CONTEXT_LABELS: dict[str, tuple[str, str]] = {
    "years_elapsed": ("已历年数", "years elapsed"),
    "period_year": ("年度", "year"),
    "tier": ("层级", "tier"),
    "category": ("类别", "category"),
    "sub_sector": ("细分行业", "sub-sector"),
    "region_code": ("区划代码", "region code"),
    "towns_in_sub_sector": ("同一细分行业小镇数", "towns in the sub-sector"),
    "extension_running": ("批准延期尚未届满", "approved extension still running"),
    "annual_met": ("年度达标", "met the year's standard"),
    "missed_streak": ("连续未达标年数", "years missed in a row"),
    "years_in_tier": ("本层级年数", "years in the tier"),
    "years_in_programme": ("入列年数", "years in the programme"),
    "excellent": ("年度优秀", "excellent"),
}
_WINDOW = re.compile(r"^sum_(first|last)_(.+?)__(.+)$")


def _window_years(policy: Policy, years: str, at: dt.date | None) -> str:
    """A window's length as a number: 3 for ``3`` or for a parameter whose value is 3."""
    if years.isdigit():
        return years
    try:
        param = policy.parameter(years)
    except KeyError:
        return years
    try:
        value = resolve_parameter_value(policy, years, at) if at else param.values[-1].value
    except LookupError:
        value = param.values[0].value
    return number(float(value)) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def label_of(policy: Policy, name: str, at: dt.date | None = None) -> tuple[str, str]:
    """What a person reads for a name the engine uses (Chinese, English).

    ``cum_investment`` → (投资 累计, investment, running total); a window's sum
    ``sum_first_investment_window_years__counted_investment`` → (前3年计入投资合计, counted
    investment, first 3 years), the window's length read from its parameter at ``at`` (else its
    latest value). A name nobody labelled comes back as itself, so nothing is hidden.
    """
    memo = _memo(policy)
    key = ("label", name, at)
    if key not in memo:
        memo[key] = _label_of(policy, name, at)
    return memo[key]


def _label_of(policy: Policy, name: str, at: dt.date | None = None) -> tuple[str, str]:
    """The label, uncached."""
    if m := _WINDOW.match(name):
        end, years, base = m.groups()
        zh, en = label_of(policy, base, at)
        n = _window_years(policy, years, at)
        if end == "first":
            return f"前{n}年{zh}合计", f"{en[:1].lower()}{en[1:]}, first {n} years"
        return f"最近{n}年{zh}合计", f"{en[:1].lower()}{en[1:]}, last {n} years"
    for prefix, zh_suffix, en_suffix in (("", "", ""), ("cum_", "累计", ", running total"), ("first_", "(第一年)", ", first year")):
        if not name.startswith(prefix):
            continue
        base = name.removeprefix(prefix)
        for ind in policy.indicators:
            if ind.id == base:
                return f"{ind.label.zh}{zh_suffix}", f"{ind.label.en}{en_suffix}"
    for p in policy.parameters:
        if p.id == name:
            return p.label.zh, p.label.en
    if name in _CONTEXT_LABELS:
        return _CONTEXT_LABELS[name]
    return name, name
