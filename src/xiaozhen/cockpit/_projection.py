"""A target's projection to its year, with a band, and whether it is on track.

Method (shown on the page): an ordinary least-squares line through the yearly totals, read at the target
year; the band is the 95 % prediction interval of that reading, ŷ ± t·s·√(1 + 1/n + (x₀ − x̄)²/Sxx), with
s the residual standard error and t Student's t for n − 2 degrees of freedom. With two years there is no
residual, so the band is the line alone (said on the page); with one year the projection is that year's value.

Status: *on track* when even the unfavourable edge of the band meets the target; *at risk* when the
projection itself misses it; *uncertain* in between (the projection meets it, the band's edge does not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..policy import Text

#: Student's t at 97.5 % for 1–10 degrees of freedom (then 1.96).
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}

STATUS_LABELS: dict[str, Text] = {
    "on_track": Text(zh="按期可达", en="on track"),
    "uncertain": Text(zh="存在不确定性", en="uncertain"),
    "at_risk": Text(zh="有风险", en="at risk"),
    "no_data": Text(zh="无数据", en="no data"),
}


@dataclass(frozen=True)
class Projection:
    value: float | None
    low: float | None
    high: float | None
    years: int  # how many yearly points the line went through
    method: Text


_METHOD = Text(zh="最小二乘线性趋势，区间为95%预测区间", en="least-squares linear trend; band = 95 % prediction interval")


def project_linear(points: list[tuple[int, float]], at: int, *, floor: float | None = None) -> Projection:
    """The trend's value at ``at`` with its band; ``floor`` clips the band's low edge (totals cannot go below 0)."""
    n = len(points)
    if n == 0:
        return Projection(None, None, None, 0, _METHOD)
    if n == 1:
        v = points[0][1]
        return Projection(v, v, v, 1, Text(zh="仅一年数据：按该年数值", en="one year only: that year's value"))
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    value = my + slope * (at - mx)
    if n == 2:
        return Projection(value, value, value, 2, Text(zh="两年数据连线(无法估计区间)", en="line through two years (no band can be estimated)"))
    residual = sum((y - (my + slope * (x - mx))) ** 2 for x, y in points)
    s = math.sqrt(residual / (n - 2))
    t = _T975.get(n - 2, 1.96)
    half = t * s * math.sqrt(1 + 1 / n + (at - mx) ** 2 / sxx)
    low = value - half if floor is None else max(floor, value - half)
    return Projection(value, low, value + half, n, _METHOD)


def target_status(target: float, comparison: str, projection: Projection) -> str:
    """on_track / uncertain / at_risk / no_data, reading ``comparison`` as the target's own words (≥, >, ≤, <)."""
    if projection.value is None or projection.low is None or projection.high is None:
        return "no_data"

    def meets(v: float) -> bool:
        return {">=": v >= target, ">": v > target, "<=": v <= target, "<": v < target}[comparison]

    worst = projection.low if comparison in (">=", ">") else projection.high
    if meets(worst):
        return "on_track"
    return "uncertain" if meets(projection.value) else "at_risk"
