"""What the boundary pages read: a town's versions, findings and map."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from towns.models import Town

from .maps import town_map
from .models import BoundaryVersion, Layer, RedLineFinding


def town_versions(town: Town) -> QuerySet[BoundaryVersion]:
    return BoundaryVersion.objects.filter(town=town).select_related("uploaded_by").defer("geojson")


def town_findings(town: Town) -> QuerySet[RedLineFinding]:
    return RedLineFinding.objects.filter(town=town).select_related("layer", "boundary").order_by("layer__kind")


def town_boundary_context(town: Town) -> dict[str, Any] | None:
    versions = list(town_versions(town))
    if not versions and not town.boundary_geojson:
        return {"versions": [], "findings": [], "chart": None}
    current: dict[str, BoundaryVersion] = {}
    for v in versions:
        current.setdefault(v.layer, v)
    planned = current.get(Layer.PLANNED)
    construction = current.get(Layer.CONSTRUCTION)
    findings = list(town_findings(town))
    # The two outlines in one query (the version rows above leave their GeoJSON unread).
    texts = dict(BoundaryVersion.objects.filter(pk__in=[v.pk for v in (planned, construction) if v])
                 .values_list("pk", "geojson")) if planned or construction else {}
    planned_text = texts[planned.pk] if planned else town.boundary_geojson
    construction_text = texts[construction.pk] if construction else None
    chart = town_map(
        map_name=f"town-{town.code}", planned=planned_text, construction=construction_text,
        layers=[(f"{f.layer.get_kind_display()}", f.layer.geojson) for f in findings],
        evidence=[(f"{f.layer.get_kind_display()}：{'界外' if f.outside_m2 is not None else '重叠'} / crossed", f.evidence_geojson)
                  for f in findings if f.crossed and f.evidence_geojson],
    )
    return {"versions": versions, "current": current, "findings": findings, "chart": chart,
            "planned": planned, "construction": construction}
