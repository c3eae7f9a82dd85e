"""A town's boundary drawn as an inline SVG outline (no tiles, no script): for profiles and PDFs.

Longitude is scaled by cos(latitude) so a town keeps its shape; this is a sketch of the outline
(示意), not a survey map, and says so beside it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    if kind == "Feature":
        return _rings(geometry.get("geometry") or {})
    if kind == "FeatureCollection":
        return [r for f in geometry.get("features", []) for r in _rings(f)]
    if kind == "Polygon":
        return [ring for ring in geometry.get("coordinates", [])]
    if kind == "MultiPolygon":
        return [ring for polygon in geometry.get("coordinates", []) for ring in polygon]
    return []


def boundary_svg(geojson: str, *, size: int = 240, stroke: str = "#b3261e") -> SafeString | None:
    """The outline as an <svg> element, or None when there is no readable boundary."""
    if not geojson:
        return None
    try:
        rings = _rings(json.loads(geojson))
        points = [(float(x), float(y)) for ring in rings for x, y, *_ in ring]
    except (ValueError, TypeError):
        return None
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    width = (max(lons) - min(lons)) * scale_x or 1e-9
    height = (max(lats) - min(lats)) or 1e-9
    k = (size - 20) / max(width, height)
    paths = []
    for ring in rings:
        coords = [((float(x) - min(lons)) * scale_x * k + 10, (max(lats) - float(y)) * k + 10) for x, y, *_ in ring]
        paths.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + " Z")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="边界示意 boundary sketch"><path d="{}" fill="rgba(179,38,30,0.12)" stroke="{}" '
        'stroke-width="2" fill-rule="evenodd"/></svg>',
        size, size, size, size, " ".join(paths), stroke,
    )
