"""Boundaries simplified for the zoom level, so a province's 5,000 towns never travel at full detail.

Tolerances in degrees (a default of xiaozhen): at province and city level towns are points; at county level
0.0002° (about 20 m) keeps a town's shape recognisable at the size a screen shows it.
"""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import mapping, shape

ZOOM_TOLERANCE_DEG: dict[str, float | None] = {"province": None, "city": 0.0008, "county": 0.0002}


def simplified(geojson_text: str, level: str, digits: int = 5) -> dict[str, Any] | None:
    """The geometry simplified for ``level`` (None: draw a point instead), coordinates rounded to ``digits``."""
    tolerance = ZOOM_TOLERANCE_DEG.get(level)
    if tolerance is None:
        return None
    geom = shape(json.loads(geojson_text)).simplify(tolerance, preserve_topology=True)
    return _rounded(mapping(geom), digits)


def _rounded(value: Any, digits: int) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list | tuple):
        return [_rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    return value
