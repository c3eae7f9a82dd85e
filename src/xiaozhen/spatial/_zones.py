"""CGCS2000 3-degree Gauss-Krüger zones (EPSG 4534–4554) and areas measured in them.

The table is read from pyproj's CRS database (each CRS's "Longitude of natural origin"),
not typed in: EPSG 4534 is "CGCS2000 / 3-degree Gauss-Kruger CM 75E", … 4554 is CM 135E.
These "CM" variants have a false easting of 500 000 m without the zone number, which is
what China's survey and planning offices use for town-scale work. A town is measured in
the zone whose central meridian is nearest the centroid of its boundary (3-degree zones
are centred on multiples of 3°, so |longitude − CM| ≤ 1.5°).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

os.environ.setdefault("PROJ_NETWORK", "OFF")  # never fetch grids: the platform runs without internet

import shapely
from pyproj import CRS, Geod, Transformer
from shapely import Geometry

CGCS2000 = "EPSG:4490"  #: CGCS2000 geographic (longitude/latitude once always_xy is set)
GK_EPSG_RANGE = range(4534, 4555)


@dataclass(frozen=True)
class Zone:
    """One 3-degree Gauss-Krüger zone of CGCS2000."""

    epsg: int
    central_meridian: float
    name: str

    @property
    def label(self) -> str:
        return f"EPSG:{self.epsg} CGCS2000 3°GK CM {self.central_meridian:g}°E"


@cache
def gk_zones() -> tuple[Zone, ...]:
    """Every zone, read from pyproj's database, west to east."""
    zones = []
    for code in GK_EPSG_RANGE:
        crs = CRS.from_epsg(code)
        params = {p.name: p.value for p in crs.coordinate_operation.params} if crs.coordinate_operation else {}
        zones.append(Zone(code, float(params["Longitude of natural origin"]), crs.name))
    return tuple(sorted(zones, key=lambda z: z.central_meridian))


def zone_for_longitude(lon: float) -> Zone:
    """The zone whose central meridian is nearest ``lon``; ValueError outside China's zones (73.5°–136.5°E)."""
    zones = gk_zones()
    best = min(zones, key=lambda z: abs(z.central_meridian - lon))
    if abs(best.central_meridian - lon) > 1.5:
        raise ValueError(
            f"经度 {lon:.4f}° 不在 CGCS2000 3度带范围内 / longitude {lon:.4f}° is outside the CGCS2000 "
            f"3-degree zones ({zones[0].central_meridian - 1.5:g}°–{zones[-1].central_meridian + 1.5:g}°E)"
        )
    return best


@cache
def _to_gk(epsg: int) -> Transformer:
    return Transformer.from_crs(CGCS2000, f"EPSG:{epsg}", always_xy=True)


def project_to_zone(geom: Geometry, zone: Zone) -> Geometry:
    """``geom`` (CGCS2000 longitude/latitude) in the zone's plane coordinates, metres."""
    return apply_xy(geom, _to_gk(zone.epsg).transform)


def apply_xy(geom: Geometry, func: Callable[[Any, Any], tuple[Any, Any]]) -> Geometry:
    """``geom`` with every (x, y) replaced by ``func(xs, ys)`` (arrays in, a pair of arrays out)."""
    return shapely.transform(geom, lambda x, y: func(x, y), interleaved=False)


def zone_for(geom: Geometry) -> Zone:
    return zone_for_longitude(geom.centroid.x)


def gk_area_m2(geom: Geometry, zone: Zone | None = None) -> tuple[float, Zone]:
    """The plane area in m² of ``geom`` (CGCS2000 lon/lat) in its Gauss-Krüger zone, and the zone used."""
    zone = zone or zone_for(geom)
    return float(project_to_zone(geom, zone).area), zone


@cache
def cgcs2000_geod() -> Geod:
    """The CGCS2000 ellipsoid (a = 6 378 137 m, 1/f = 298.257222101), read from EPSG:4490."""
    ellipsoid = CRS.from_epsg(4490).ellipsoid
    assert ellipsoid is not None
    return Geod(a=ellipsoid.semi_major_metre, rf=ellipsoid.inverse_flattening)


def geodesic_area_m2(geom: Geometry) -> float:
    """The area on the CGCS2000 ellipsoid: the reference the plane areas are tested against."""
    area, _ = cgcs2000_geod().geometry_area_perimeter(geom)
    return abs(float(area))
