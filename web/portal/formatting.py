"""How values look on a page: 是/否 for yes/no, numbers without trailing zeros, — for blanks."""

from __future__ import annotations

from typing import Any


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)
