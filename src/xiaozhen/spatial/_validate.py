"""Check a boundary before anything is measured: a valid shape, longitude first, inside the province.

Each problem names the place: a self-intersection gives the longitude and latitude where the edges cross
(from ``shapely.validation.explain_validity``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shapely import Geometry
from shapely.geometry import box
from shapely.validation import explain_validity

from ._errors import SpatialProblem

# China's extent in longitude and latitude: coordinates outside it are in the wrong order or not lon/lat.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)


@dataclass(frozen=True)
class Extent:
    """Where a boundary must lie: a region's outline, or a bounding box."""

    label_zh: str
    label_en: str
    shape: Geometry
    source: str


#: Approximate extents of the provinces our programmes run in (GB/T 2260 two-digit codes): each province's
#: bounding box, padded by 0.25°. A default of xiaozhen (not from a seed), good enough to catch a boundary
#: drawn in the wrong province or with a wrong offset; an office's uploaded outline is the precise check.
PROVINCE_EXTENTS: dict[str, tuple[str, str, tuple[float, float, float, float]]] = {
    "32": ("江苏省", "Jiangsu", (116.1, 30.5, 122.2, 35.6)),
    "33": ("浙江省", "Zhejiang", (117.75, 26.75, 123.5, 31.45)),
    "44": ("广东省", "Guangdong", (109.35, 19.85, 117.6, 25.8)),
    "45": ("广西壮族自治区", "Guangxi", (104.2, 20.65, 112.35, 26.65)),
}


def province_extent(region_code: str) -> Extent | None:
    found = PROVINCE_EXTENTS.get(region_code[:2])
    if found is None:
        return None
    zh, en, bounds = found
    return Extent(zh, en, box(*bounds), "xiaozhen default: bounding box padded by 0.25°")


_WHERE = re.compile(r"^(?P<what>[^\[]+)\[(?P<x>[-\d.eE+]+)\s+(?P<y>[-\d.eE+]+)\]")
_REASONS = {
    "Self-intersection": ("边界自相交", "the boundary crosses itself"),
    "Ring Self-intersection": ("边界环自相交", "a ring touches itself"),
    "Too few points": ("点数过少", "too few points"),
    "Hole lies outside shell": ("内环(洞)在外环之外", "a hole lies outside the outer ring"),
    "Nested holes": ("内环相互嵌套", "holes are nested"),
    "Nested shells": ("多个外环相互嵌套", "outer rings are nested"),
    "Interior is disconnected": ("内部不连通", "the interior is disconnected"),
    "Invalid Coordinate": ("坐标无效", "an invalid coordinate"),
}


def validity_problem(geom: Geometry) -> tuple[str, str] | None:
    """(zh, en) describing why ``geom`` is not a valid shape, with the place; None when valid."""
    if geom.is_empty:
        return "边界为空", "the boundary is empty"
    if geom.is_valid:
        return None
    text = explain_validity(geom)
    match = _WHERE.match(text)
    if not match:
        return f"边界无效：{text}", f"the boundary is not a valid shape: {text}"
    what = match["what"].strip()
    zh, en = _REASONS.get(what, (what, what.lower()))
    x, y = float(match["x"]), float(match["y"])
    return f"{zh}，位置 经度 {x:.6f} 纬度 {y:.6f}", f"{en} at longitude {x:.6f}, latitude {y:.6f}"


def _inside(bounds: tuple[float, float, float, float], lon: tuple[float, float], lat: tuple[float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return lon[0] <= minx and maxx <= lon[1] and lat[0] <= miny and maxy <= lat[1]


def boundary_problems(geom: Geometry, *, source: str, feature: int | None = None, name: str = "",
                      extent: Extent | None = None) -> list[SpatialProblem]:
    """Every problem with one boundary (CGCS2000 lon/lat); an empty list when it can be measured."""
    def problem(zh: str, en: str) -> SpatialProblem:
        return SpatialProblem(source, feature, zh, en, name)

    if geom.is_empty:
        return [problem("边界为空", "the boundary is empty")]
    bounds = geom.bounds
    if not _inside(bounds, CHINA_LON, CHINA_LAT):
        if _inside(bounds, CHINA_LAT, CHINA_LON):
            return [problem("经纬度顺序颠倒：应为经度在前、纬度在后(x = 经度)",
                            "latitude and longitude are swapped: write longitude first (x = longitude)")]
        if max(abs(b) for b in bounds) > 180:
            return [problem("坐标像是投影坐标(米)，但文件未声明坐标系：请附 .prj 或使用 CGCS2000 经纬度",
                            "the coordinates look projected (metres) but the file declares no CRS: "
                            "include the .prj, or use CGCS2000 longitude/latitude")]
        return [problem("边界不在中国境内：请使用 CGCS2000 经纬度", "the boundary is not in China: use CGCS2000 longitude/latitude")]
    invalid = validity_problem(geom)
    if invalid:
        return [problem(*invalid)]
    if extent is not None and not extent.shape.covers(geom):
        lon, lat = geom.centroid.x, geom.centroid.y
        return [problem(f"边界超出{extent.label_zh}范围(中心 经度 {lon:.4f} 纬度 {lat:.4f})",
                        f"the boundary lies outside {extent.label_en} (centre at longitude {lon:.4f}, latitude {lat:.4f})")]
    return []
