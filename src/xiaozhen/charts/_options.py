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


def _scaled(value: float | None, scale: float, digits: int) -> float | None:
    return None if value is None else round(value * scale, digits)


def target_track(
    *,
    series: Sequence[tuple[int, float | None]],
    target: float,
    target_year: int,
    projected: float | None,
    low: float | None,
    high: float | None,
    names: dict[str, str],
    scale: float = 1.0,
    digits: int = 4,
    axis_name: str = "",
) -> dict[str, Any]:
    """A target tracked over the years: the actual figures, the projection to the target year with its band,
    and the target as a horizontal line.

    ``series`` is ``[(year, value)]`` (``None`` for a year without figures); ``names`` gives the legend's
    words for ``actual``, ``projection``, ``band`` and ``target``. Values are multiplied by ``scale`` (100
    for a share drawn in per cent) and rounded to ``digits``. The projection and its band start at the last
    year with a figure, so the dashed line and the shaded band grow from the known value to the target year.
    """
    known = [(y, v) for y, v in series if v is not None]
    first = min([y for y, _ in series] + [target_year])
    years = list(range(first, max([y for y, _ in series] + [target_year]) + 1))
    actual = dict(series)
    nothing: list[float | None] = [None] * len(years)
    projection, band_low, band_width = list(nothing), list(nothing), list(nothing)
    banded = bool(known) and projected is not None and low is not None and high is not None
    if known and projected is not None:
        last_year, last_value = known[-1]
        at_last, at_target = years.index(last_year), years.index(target_year)
        projection[at_last] = band_low[at_last] = _scaled(last_value, scale, digits)
        band_width[at_last] = 0.0
        projection[at_target] = _scaled(projected, scale, digits)
        if low is not None and high is not None:
            band_low[at_target] = _scaled(low, scale, digits)
            band_width[at_target] = round((high - low) * scale, digits)
    dashed = {"type": "dashed"}
    chart_series: list[dict[str, Any]] = [
        {"name": names["actual"], "type": "line", "data": [_scaled(actual.get(y), scale, digits) for y in years],
         "markLine": {"symbol": "none", "lineStyle": {"type": "solid", "width": 2},
                      "label": {"formatter": names["target"], "position": "insideEndTop"},
                      "data": [{"yAxis": _scaled(target, scale, digits), "name": names["target"]}]}},
        {"name": names["projection"], "type": "line", "data": projection, "connectNulls": True, "lineStyle": dashed},
    ]
    # the target line is a markLine, which does not widen the value axis: an invisible point at the target does
    extent = list(nothing)
    extent[years.index(target_year)] = _scaled(target, scale, digits)
    chart_series.append({"name": names["target"], "type": "line", "data": extent, "symbol": "none", "silent": True,
                         "lineStyle": {"opacity": 0}, "tooltip": {"show": False}})
    if banded:
        # a band is the classic stacked pair: an invisible lower edge, then the width shaded above it
        chart_series += [
            {"name": names["band"], "type": "line", "stack": "band", "data": band_low, "connectNulls": True,
             "symbol": "none", "lineStyle": {"opacity": 0}, "tooltip": {"show": False}},
            {"name": names["band"], "type": "line", "stack": "band", "data": band_width, "connectNulls": True,
             "symbol": "none", "lineStyle": {"opacity": 0}, "areaStyle": {"opacity": 0.2}, "tooltip": {"show": False}},
        ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0, "left": "center", "data": [names["actual"], names["projection"], names["band"]]},
        # room under the legend for the value axis's unit, so the two never overlap
        "grid": {"left": 8, "right": 16, "top": 56, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(y) for y in years], "boundaryGap": False},
        "yAxis": {"type": "value", "name": axis_name},
        "series": chart_series,
    }
