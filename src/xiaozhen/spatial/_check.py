"""Spatial checks: areas in CGCS2000 Gauss-Krüger, overlaps with red-line layers, and the programme's
area and red-line criteria evaluated by the engine on those *computed* indicators.

The programme files already hold the limits with their clauses, for example:

* 003 §三(二)  ``planning_area_km2 <= planning_area_max_km2`` (规划面积约3平方公里, should) and
  ``construction_area_km2 <= construction_area_max_km2`` (建设面积约1平方公里, should);
* 002 §四(三)  ``planned_area_km2 <= named_area_max_km2`` (原则上不超过5平方公里, should);
* 2021 guideline: planned area 1–5 km², construction land ≥ 0.5 km²;
* 002 §三(四) and the 2021 guideline: ``NOT red_line_crossed`` over the three control lines.

This module computes the indicators those criteria read (the programme's own ids, found by
``AREA_INDICATORS`` / ``RED_LINE_INDICATORS``) and runs ``engine.evaluate`` on them, so a computed value
replaces a town's own answer and every verdict keeps its clause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import shapely
from shapely import Geometry

from ..engine import evaluate
from ..facts import FactsError, frame_from_records
from ..policy import Policy, Text, reported_inputs
from ._errors import SpatialError, SpatialProblem
from ._zones import Zone, gk_area_m2, project_to_zone

RedLineKind = Literal["ecological_red_line", "permanent_farmland", "development_boundary"]
RED_LINE_KINDS: tuple[RedLineKind, ...] = ("ecological_red_line", "permanent_farmland", "development_boundary")
RED_LINE_LABELS: dict[str, Text] = {
    "ecological_red_line": Text(zh="生态保护红线", en="Ecological protection red line"),
    "permanent_farmland": Text(zh="永久基本农田", en="Permanent basic farmland"),
    "development_boundary": Text(zh="城镇开发边界", en="Urban development boundary"),
}
#: The indicator each kind of layer sets (002 §三(四); national 2021 guideline).
RED_LINE_INDICATORS: dict[str, str] = {
    "ecological_red_line": "crosses_ecological_red_line",
    "permanent_farmland": "occupies_permanent_farmland",
    "development_boundary": "outside_development_boundary",
}
#: The ids programmes give the planned (四至) area and the construction area, in km².
AREA_INDICATORS: dict[str, tuple[str, ...]] = {
    "planned": ("planned_area_km2", "planning_area_km2"),
    "construction": ("construction_area_km2", "construction_land_km2"),
}
#: Overlaps up to this many m² are drawing noise (two layers digitised from different sources meet with
#: slivers), not a crossing. A default of xiaozhen, not from a seed.
OVERLAP_TOLERANCE_M2 = 1.0


@dataclass(frozen=True)
class RedLineLayer:
    """A province's control-line layer (CGCS2000 lon/lat), with its date and source."""

    kind: RedLineKind
    name: str
    geometry: Geometry
    dated: dt.date | None = None
    source: str = ""

    @property
    def label(self) -> Text:
        return RED_LINE_LABELS[self.kind]


@dataclass(frozen=True)
class TownBoundary:
    town_id: str
    town_name: str
    planned: Geometry  # the planned (四至) area, CGCS2000 lon/lat
    construction: Geometry | None = None  # the construction area, where the programme asks for it


@dataclass(frozen=True)
class LayerOverlap:
    kind: str
    label: Text
    layer: str
    dated: dt.date | None
    source: str
    measured_on: str  # "construction" or "planned": which of the town's layers was compared
    overlap_m2: float
    overlap_share: float  # of the compared area
    outside_m2: float | None  # development boundary only: the part of the town outside it
    crossed: bool
    indicator: str
    evidence: dict[str, Any] | None = field(default=None, repr=False)  # the overlap (or outside part) as GeoJSON


@dataclass(frozen=True)
class LimitVerdict:
    criterion_id: str
    label: Text
    clause: str
    severity: str
    stage: str
    outcome: str  # pass / fail / unknown
    values: dict[str, Any]
    thresholds: dict[str, Any]


@dataclass(frozen=True)
class TownSpatialCheck:
    town_id: str
    town_name: str
    zone: Zone
    area_m2: float
    construction_area_m2: float | None
    overlaps: tuple[LayerOverlap, ...]
    limits: tuple[LimitVerdict, ...]
    indicators: dict[str, Any]  # the computed indicators fed to the engine

    @property
    def area_km2(self) -> float:
        return self.area_m2 / 1e6

    @property
    def construction_area_km2(self) -> float | None:
        return None if self.construction_area_m2 is None else self.construction_area_m2 / 1e6


def indicator_for(policy: Policy, which: str) -> str | None:
    """The programme's id for the planned or construction area, if it has one."""
    ids = {i.id for i in policy.indicators}
    return next((i for i in AREA_INDICATORS[which] if i in ids), None)


def spatial_indicators(policy: Policy) -> set[str]:
    ids = {i.id for i in policy.indicators}
    found = {i for names in AREA_INDICATORS.values() for i in names if i in ids}
    return found | {i for i in RED_LINE_INDICATORS.values() if i in ids}


def spatial_criteria(policy: Policy) -> list[tuple[str, list[str]]]:
    """(stage, criterion ids) whose reported inputs are all computed spatially."""
    spatial = spatial_indicators(policy)
    by_stage: dict[str, list[str]] = {}
    for c in policy.criteria:
        inputs = reported_inputs(policy, c.expr)
        if inputs and set(inputs) <= spatial:
            by_stage.setdefault(c.stage, []).append(c.id)
    return list(by_stage.items())


def measure_overlap(town: Geometry, layer: RedLineLayer, zone: Zone, measured_on: str) -> LayerOverlap:
    """The overlap of ``town`` with ``layer`` in m² (in the town's zone) and as a share of the town."""
    town_m2 = float(project_to_zone(town, zone).area)
    inter = town.intersection(layer.geometry) if town.intersects(layer.geometry) else shapely.Polygon()
    overlap_m2 = float(project_to_zone(inter, zone).area) if not inter.is_empty else 0.0
    outside_m2: float | None = None
    evidence_geom = inter
    if layer.kind == "development_boundary":
        outside = town.difference(layer.geometry)
        outside_m2 = float(project_to_zone(outside, zone).area) if not outside.is_empty else 0.0
        crossed = outside_m2 > OVERLAP_TOLERANCE_M2
        evidence_geom = outside
    else:
        crossed = overlap_m2 > OVERLAP_TOLERANCE_M2
    evidence = shapely.geometry.mapping(evidence_geom) if crossed else None
    return LayerOverlap(
        kind=layer.kind, label=layer.label, layer=layer.name, dated=layer.dated, source=layer.source,
        measured_on=measured_on, overlap_m2=overlap_m2, overlap_share=(overlap_m2 / town_m2 if town_m2 else 0.0),
        outside_m2=outside_m2, crossed=crossed, indicator=RED_LINE_INDICATORS[layer.kind], evidence=evidence,
    )


def check_towns(policy: Policy, towns: Sequence[TownBoundary], red_lines: Sequence[RedLineLayer] = (),
                *, at: dt.date | None = None) -> list[TownSpatialCheck]:
    """Measure every town, compare it with every layer, and evaluate the programme's spatial criteria."""
    at = at or dt.date.today()
    measured = []
    records: list[dict[str, Any]] = []
    planned_id, construction_id = indicator_for(policy, "planned"), indicator_for(policy, "construction")
    policy_ids = {i.id for i in policy.indicators}
    for town in towns:
        area_m2, zone = gk_area_m2(town.planned)
        construction_m2 = gk_area_m2(town.construction, zone)[0] if town.construction is not None else None
        compared, measured_on = ((town.construction, "construction") if town.construction is not None
                                 else (town.planned, "planned"))
        overlaps = tuple(measure_overlap(compared, layer, zone, measured_on) for layer in red_lines)
        indicators: dict[str, Any] = {}
        if planned_id:
            indicators[planned_id] = round(area_m2 / 1e6, 6)
        if construction_id and construction_m2 is not None:
            indicators[construction_id] = round(construction_m2 / 1e6, 6)
        for o in overlaps:
            if o.indicator in policy_ids:
                indicators[o.indicator] = indicators.get(o.indicator, False) or o.crossed
        measured.append((town, zone, area_m2, construction_m2, overlaps, indicators))
        base = {"town_id": town.town_id, "town_name": town.town_name, "period": str(at.year)}
        records += [{**base, "basis": basis, **indicators} for basis in ("plan", "actual")]
    verdicts = _evaluate_limits(policy, records, at) if records else {}
    return [
        TownSpatialCheck(town.town_id, town.town_name, zone, area_m2, construction_m2, overlaps,
                         tuple(verdicts.get(town.town_id, ())), indicators)
        for town, zone, area_m2, construction_m2, overlaps, indicators in measured
    ]


def _evaluate_limits(policy: Policy, records: list[dict[str, Any]], at: dt.date) -> dict[str, list[LimitVerdict]]:
    try:
        facts = frame_from_records(policy, records, source="boundaries")
    except FactsError as exc:
        raise SpatialError([SpatialProblem("boundaries", None, str(p), str(p)) for p in exc.problems]) from None
    out: dict[str, list[LimitVerdict]] = {}
    for stage, ids in spatial_criteria(policy):
        wanted = set(ids)
        for verdict in evaluate(policy, facts, stage, at):
            for o in verdict.outcomes:
                if o.criterion_id in wanted:
                    out.setdefault(verdict.town_id, []).append(LimitVerdict(
                        o.criterion_id, o.label, o.clause, o.severity, stage, o.outcome, o.values, o.thresholds))
    return out
