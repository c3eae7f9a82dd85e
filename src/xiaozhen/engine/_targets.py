"""Programme-level targets: aggregate every unit's actual rows per year, compare, project."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..policy import Policy, Text, compile_expression
from ._frame import ID, YEAR, cumulate_actuals


@dataclass(frozen=True)
class TargetProgress:
    target_id: str
    label: Text
    unit: str
    clause: str
    target: float
    comparison: str
    target_year: int
    series: tuple[tuple[int, float | None], ...]
    latest_year: int | None
    latest: float | None
    progress: float | None  # latest / target
    projected: float | None  # linear trend at the target year
    on_track: bool | None

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return {
            ">=": value >= self.target,
            ">": value > self.target,
            "<=": value <= self.target,
            "<": value < self.target,
        }[self.comparison]


def _linear(points: list[tuple[int, float]], at: int) -> float | None:
    if len(points) < 2:
        return points[0][1] if points else None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    return my + slope * (at - mx)


def track_targets(policy: Policy, facts: pl.DataFrame) -> list[TargetProgress]:
    frame = cumulate_actuals(facts, policy)
    results = []
    for t in policy.targets:
        agg = compile_expression(t.expr).cast(pl.Float64).alias("value")
        per_year = frame.group_by(YEAR).agg(agg, pl.col(ID).n_unique().alias("units")).sort(YEAR)
        series = tuple((int(y), v) for y, v, _ in per_year.iter_rows())
        known = [(y, v) for y, v in series if v is not None]
        latest_year, latest = known[-1] if known else (None, None)
        projected = _linear(known, t.year)
        tp = TargetProgress(
            target_id=t.id, label=t.label, unit=t.unit, clause=t.clause, target=t.target,
            comparison=t.comparison, target_year=t.year, series=series, latest_year=latest_year,
            latest=latest, progress=(latest / t.target if latest is not None and t.target else None),
            projected=projected, on_track=None,
        )
        results.append(TargetProgress(**{**tp.__dict__, "on_track": tp.met(projected)}))
    return results
