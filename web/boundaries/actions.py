"""Every state change of boundaries and red-line layers: one transaction and one audit row each.

    upload_boundary(*, town, layer, data, filename, coordinates, by, reason="")
    upload_red_line_layer(*, region, kind, name, dated, source, data, filename, coordinates, by)

Both then compare the town(s) with the current layers (``refresh_findings``): a boundary at once, a layer in
the background, since a province has thousands of towns (boundaries.tasks, queued when the upload commits;
the layer's ``refresh_status`` and ``refresh_progress`` show how far it is). The comparison writes the computed
indicators through ``towns.actions.record_indicator_values`` (source 空间计算 / computed from boundaries):
the planned and construction areas in km² and, per control line, whether it is crossed, in the town's latest
whole-year actual period (and latest plan year) so they join the figures the engine reads. A computed value
replaces the town's own answer there; the finding keeps the evidence (the overlapping part).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import mapping, shape

import audit
from portal.errors import ActionError
from towns import actions as town_actions
from towns.models import IndicatorValue, Town
from xiaozhen.spatial import (
    AREA_INDICATORS,
    RED_LINE_INDICATORS,
    Extent,
    SpatialError,
    boundary_problems,
    gk_area_m2,
    kind_of,
    measure_overlap,
    province_extent,
    read_boundaries,
    zone_for,
)
from xiaozhen.spatial import RedLineLayer as CoreLayer

from . import permissions as perms
from .models import BoundaryVersion, Layer, RedLineFinding, RedLineKind, RedLineLayer

if TYPE_CHECKING:
    from accounts.models import User
    from programmes.models import Programme
    from regions.models import Region

#: Tolerance when checking that the construction area lies inside the planned area (about 1 m).
INSIDE_TOLERANCE_DEG = 1e-5


def _spatial_error(exc: SpatialError, field: str = "file") -> ActionError:
    return ActionError("边界文件有问题，未保存", "the file has problems; nothing was saved", field=field,
                       details=[str(p) for p in exc.problems])


def _extent_for(region: Region) -> Extent | None:
    return province_extent(region.code)


def _town_geometry(features: list[Any], town: Town) -> Any:
    """The features naming the town (by code or name), else all of them, as one geometry."""
    own = [f for f in features if f.code == town.code or (f.name and f.name == town.name_zh)]
    chosen = own or features
    return chosen[0].geometry if len(chosen) == 1 else shapely.union_all([f.geometry for f in chosen])


@transaction.atomic
def upload_boundary(*, town: Town, layer: str, data: bytes, filename: str, coordinates: str = "auto",
                    by: User, reason: str = "") -> BoundaryVersion:
    perms.can_upload_boundary.require(by, town)
    if layer not in Layer.values:
        raise ActionError(f"未知图层 {layer!r}", f"unknown layer {layer!r}", field="layer")
    try:
        fmt = kind_of(filename)
        features = read_boundaries(data, filename=filename, coordinates=coordinates)  # type: ignore[arg-type]
        geom = _town_geometry(features, town)
        problems = boundary_problems(geom, source=filename, extent=_extent_for(town.region))
        if problems:
            raise SpatialError(problems)
    except SpatialError as exc:
        raise _spatial_error(exc) from None
    planned = current_boundary(town, Layer.PLANNED)
    if layer == Layer.CONSTRUCTION:
        if planned is None:
            raise ActionError("请先上传规划范围，再上传建设范围", "upload the planned area before the construction area",
                              field="layer")
        if not shape(json.loads(planned.geojson)).buffer(INSIDE_TOLERANCE_DEG).covers(geom):
            raise ActionError(f"建设范围超出规划范围(v{planned.number})",
                              f"the construction area goes outside the planned area (v{planned.number})", field="file")
    area_m2, zone = gk_area_m2(geom)
    previous = current_boundary(town, layer)
    if previous is not None:
        BoundaryVersion.objects.filter(pk=previous.pk).update(is_current=False)
    centre = geom.representative_point()
    version = BoundaryVersion.objects.create(
        town=town, layer=layer, number=(previous.number + 1 if previous else 1),
        geojson=json.dumps(mapping(geom), separators=(",", ":")), area_m2=area_m2, zone_epsg=zone.epsg,
        centroid_lon=round(centre.x, 6), centroid_lat=round(centre.y, 6),
        source_name=filename[:200], source_format=fmt, coordinates=coordinates, reason=reason, uploaded_by=by,
    )
    if layer == Layer.PLANNED:
        town_actions.set_town_boundary(town=town, geojson=version.geojson, by=by,
                                       reason=f"边界 v{version.number} / boundary v{version.number}")
    audit.record(actor=by, verb="upload_boundary", obj=version, reason=reason,
                 from_state=f"v{previous.number}" if previous else "", to_state=f"v{version.number}",
                 data={"town": town.code, "layer": layer, "area_km2": round(version.area_km2, 4),
                       "zone_epsg": zone.epsg, "file": filename, "coordinates": coordinates})
    refresh_findings(towns=[town], by=by)
    return version


@transaction.atomic
def upload_red_line_layer(*, region: Region, kind: str, name: str, dated: dt.date, source: str, data: bytes,
                          filename: str, coordinates: str = "auto", by: User) -> RedLineLayer:
    perms.can_manage_red_lines.require(by, region)
    if kind not in RedLineKind.values:
        raise ActionError(f"未知控制线 {kind!r}", f"unknown control line {kind!r}", field="kind")
    if not source.strip():
        raise ActionError("请填写来源(如 省自然资源厅“三区三线”划定成果)", "the source is required", field="source")
    try:
        features = read_boundaries(data, filename=filename, coordinates=coordinates)  # type: ignore[arg-type]
        extent = _extent_for(region)
        problems = [p for f in features
                    for p in boundary_problems(f.geometry, source=filename, feature=f.index, name=f.name, extent=extent)]
        if problems:
            raise SpatialError(problems)
    except SpatialError as exc:
        raise _spatial_error(exc) from None
    geom = shapely.union_all([f.geometry for f in features])
    previous = RedLineLayer.objects.filter(region=region, kind=kind).order_by("-number").first()
    layer = RedLineLayer.objects.create(
        region=region, kind=kind, number=(previous.number + 1 if previous else 1), name=name.strip() or filename,
        dated=dated, source=source.strip(), geojson=json.dumps(mapping(geom), separators=(",", ":")),
        area_m2=gk_area_m2(geom)[0] if not geom.is_empty else 0.0, source_name=filename[:200], uploaded_by=by,
    )
    audit.record(actor=by, verb="upload_red_line_layer", obj=layer,
                 from_state=f"v{previous.number}" if previous else "", to_state=f"v{layer.number}",
                 data={"kind": kind, "name": layer.name, "dated": dated.isoformat(), "source": layer.source,
                       "file": filename, "features": len(features)})
    from .tasks import refresh_red_lines_task  # the task module imports refresh_findings from here

    transaction.on_commit(lambda: refresh_red_lines_task.enqueue(layer.pk))
    return layer


# ----------------------------------------------------------------- shared by the actions above


def current_boundary(town: Town, layer: str) -> BoundaryVersion | None:
    return BoundaryVersion.objects.filter(town=town, layer=layer).order_by("-number").first()


def current_layers(town: Town) -> list[RedLineLayer]:
    """The latest layer of each kind that covers the town's region (province, city or county layers)."""
    code = town.region.code
    prefixes = {code[:2] + "0000", code[:4] + "00", code}
    latest: dict[str, RedLineLayer] = {}
    for layer in RedLineLayer.objects.filter(region__code__in=prefixes).select_related("region").order_by("-number"):
        latest.setdefault(layer.kind, layer)
    return [latest[k] for k in RedLineKind.values if k in latest]


def _core_layer(layer: RedLineLayer, cache: dict[int, CoreLayer]) -> CoreLayer:
    if layer.pk not in cache:
        cache[layer.pk] = CoreLayer(layer.kind, layer.name, shape(json.loads(layer.geojson)),  # type: ignore[arg-type]
                                    layer.dated, layer.source)
    return cache[layer.pk]


def refresh_findings(*, towns: Iterable[Town], by: User) -> int:
    """Compare each town's current boundary with the current layers; write findings and computed indicators.

    Called inside a transaction: the boundary upload's, or one batch of the layer's background comparison
    (boundaries.tasks); returns the number of towns compared.
    """
    cache: dict[int, CoreLayer] = {}
    year = str(timezone.localdate().year)
    count = 0
    for town in towns:
        planned = current_boundary(town, Layer.PLANNED)
        if planned is None:
            continue
        construction = current_boundary(town, Layer.CONSTRUCTION)
        compared = construction or planned
        geom = shape(json.loads(compared.geojson))
        zone = zone_for(shape(json.loads(planned.geojson)))
        values: dict[str, Any] = {"planned": planned.area_km2, "construction": construction.area_km2 if construction else None}
        crossed: dict[str, bool] = {}
        refs: list[str] = [f"边界 boundary v{planned.number}"]
        kept = []
        for layer in current_layers(town):
            overlap = measure_overlap(geom, _core_layer(layer, cache), zone, compared.layer)
            RedLineFinding.objects.update_or_create(town=town, layer__kind=layer.kind, defaults={
                "layer": layer, "boundary": compared, "overlap_m2": overlap.overlap_m2,
                "overlap_share": overlap.overlap_share, "outside_m2": overlap.outside_m2, "crossed": overlap.crossed,
                "evidence_geojson": json.dumps(overlap.evidence, separators=(",", ":")) if overlap.evidence else "",
            })
            kept.append(layer.pk)
            crossed[RED_LINE_INDICATORS[layer.kind]] = overlap.crossed
            refs.append(f"{layer.name} v{layer.number} {layer.dated}")
        RedLineFinding.objects.filter(town=town).exclude(layer_id__in=kept).delete()
        _record_computed(town, values, crossed, year, "; ".join(refs), by)
        count += 1
    return count


def _periods_for(town: Town, programme: Programme, year: str) -> list[tuple[str, str]]:
    """Where computed values go, so they join the figures the engine already reads and hide none of them.

    Actual: the town's latest whole-year period for the programme, else the current year unless the town
    reports it by quarter (a whole-year row would hide the quarters). Plan: the latest plan year, if any.
    """
    periods = IndicatorValue.objects.filter(town=town, programme=programme).values_list("period", "basis").distinct()
    years = {"actual": [p for p, b in periods if b == "actual" and len(p) == 4],
             "plan": [p for p, b in periods if b == "plan" and len(p) == 4]}
    out = []
    if years["actual"]:
        out.append((max(years["actual"]), "actual"))
    elif not any(b == "actual" and p.startswith(year) for p, b in periods):
        out.append((year, "actual"))
    if years["plan"]:
        out.append((max(years["plan"]), "plan"))
    return out


def _record_computed(town: Town, areas: dict[str, float | None], crossed: dict[str, bool], year: str,
                     ref: str, by: User) -> None:
    for enrolment in town.enrolments.filter(ended_on__isnull=True).select_related("programme"):
        policy = enrolment.programme.policy
        ids = {i.id for i in policy.indicators if i.kind == "reported"}
        items: list[dict[str, Any]] = []
        for period, basis in _periods_for(town, enrolment.programme, year):
            for which, value in areas.items():
                ident = next((i for i in AREA_INDICATORS[which] if i in ids), None)
                if ident and value is not None:
                    items.append({"indicator": ident, "period": period, "basis": basis, "value": round(value, 4)})
            items += [{"indicator": ident, "period": period, "basis": basis, "value": "是" if value else "否"}
                      for ident, value in crossed.items() if ident in ids]
        if items:
            town_actions.record_indicator_values(town=town, programme=enrolment.programme, values=items, by=by,
                                                 source=IndicatorValue.Source.SPATIAL, source_ref=ref[:128],
                                                 reason="由边界计算 / computed from the boundary")
