"""Chart options as JSON-ready dicts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def stacked_bar(
    *,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float]]],
    title: str = "",
    horizontal: bool = True,
) -> dict[str, Any]:
    """A stacked bar chart: one bar per category, one stacked segment per series.

    ``series`` is ``[(name, values)]`` with one value per category. Raises ``ValueError`` when
    a series has the wrong length, so a chart never silently shifts values onto other bars.
    """
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(categories)} categories")
    value_axis: dict[str, Any] = {"type": "value", "minInterval": 1}
    category_axis: dict[str, Any] = {"type": "category", "data": list(categories)}
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}} if title else {"show": False},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        # The legend sits above the plot and scrolls when long: at the bottom it wrapped over the axis labels.
        "legend": {"type": "scroll", "top": 28 if title else 0, "left": "center"},
        "grid": {"left": 8, "right": 16, "top": 64 if title else 36, "bottom": 8, "containLabel": True},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [
            {"name": name, "type": "bar", "stack": "total", "data": list(values), "emphasis": {"focus": "series"}}
            for name, values in series
        ],
    }
