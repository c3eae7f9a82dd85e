"""How a value looks to a person: numbers as people write them, shares as percentages, amounts with
their unit (32 亿元, 72%, 是), blanks as "— 缺 missing". The CLI, the web's documents and exports share it."""

from __future__ import annotations

import math
from typing import Any

from .policy import Policy

__all__ = ["number", "percent", "show_value", "unit_of"]


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


def unit_of(policy: Policy, name: str) -> tuple[str, str | None]:
    """(unit, type) of an indicator, parameter or derived name such as cum_investment."""
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
