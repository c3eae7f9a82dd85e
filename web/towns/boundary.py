"""Check a town boundary given as GeoJSON (CGCS2000 longitude/latitude).

Kept small on purpose: area and overlap checks belong to the spatial part of the core.
"""

from __future__ import annotations

import json

from shapely.geometry import mapping, shape

from portal.errors import ActionError

# Longitude and latitude bounds of China, to catch swapped axes and projected coordinates.
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)


def normalise_boundary(text: str) -> str:
    """The boundary as a compact GeoJSON geometry, or ActionError naming what is wrong."""
    if not text.strip():
        return ""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ActionError(
            f"不是有效的 GeoJSON：第{exc.lineno}行第{exc.colno}列 {exc.msg}",
            f"not valid GeoJSON: line {exc.lineno}, column {exc.colno}: {exc.msg}",
            field="boundary_geojson",
        ) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise ActionError(
            "边界须为 Polygon 或 MultiPolygon", "the boundary must be a Polygon or MultiPolygon", field="boundary_geojson"
        )
    try:
        geom = shape(data)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ActionError(f"边界坐标有误：{exc}", f"bad boundary coordinates: {exc}", field="boundary_geojson") from None
    if geom.is_empty or not geom.is_valid:
        raise ActionError(
            "边界无效(自相交或为空)", "the boundary is not a valid shape (empty or self-intersecting)",
            field="boundary_geojson",
        )
    minx, miny, maxx, maxy = geom.bounds
    if minx < LON_RANGE[0] or maxx > LON_RANGE[1] or miny < LAT_RANGE[0] or maxy > LAT_RANGE[1]:
        raise ActionError(
            "边界坐标不在中国境内：请使用 CGCS2000 经纬度(经度在前)",
            "the boundary is not in China: use CGCS2000 longitude/latitude, longitude first",
            field="boundary_geojson",
        )
    return json.dumps(mapping(geom), separators=(",", ":"))
