"""Demo boundaries: every demo town gets a planned area (and most a construction area); Zhejiang gets a
demo ecological red line that one town overlaps.

The shapes are drawn for the demo around each city's approximate centre (the counties spread around it);
they are not survey data, and the pages say so.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from boundaries.actions import upload_boundary, upload_red_line_layer
from boundaries.models import BoundaryVersion, RedLineLayer
from boundaries.tasks import compute_refresh
from demo.registry import DemoContext, demo_step
from regions.models import Region
from towns.models import Town

#: Approximate centres (longitude, latitude) of the demo cities, for drawing demo towns near them.
CITY_CENTRES: dict[str, tuple[float, float]] = {
    "320100": (118.80, 32.06), "320200": (120.31, 31.49), "320500": (120.62, 31.30), "320600": (120.95, 32.02),
    "330100": (120.10, 30.25), "330200": (121.50, 29.85), "330400": (120.76, 30.75), "330500": (120.09, 30.89),
    "330600": (120.58, 30.00), "330700": (119.65, 29.08), "331100": (119.92, 28.45),
    "440100": (113.30, 23.15), "440300": (114.06, 22.60), "440600": (113.12, 23.02), "440700": (113.08, 22.58),
    "441900": (113.75, 23.02), "442000": (113.39, 22.52), "445100": (116.62, 23.66),
    "450100": (108.37, 22.82), "450200": (109.41, 24.33), "450300": (110.29, 25.27), "450400": (111.28, 23.48),
    "450500": (109.15, 21.55), "450900": (110.16, 22.63),
}
RED_LINE_TOWN_CITY = "330100"  # the Hangzhou town that overlaps the demo red line


def _centre(town: Town, index: int) -> tuple[float, float]:
    region: Region = town.region
    city = region.code[:4] + "00"
    lon, lat = CITY_CENTRES.get(city, CITY_CENTRES.get(region.code, (0.0, 0.0)))
    county = int(region.code[4:]) if region.level == Region.Level.COUNTY else 0
    angle = (county * 1.7 + index * 0.9) % (2 * math.pi)
    radius = 0.05 + 0.03 * ((county + index) % 4)
    return lon + radius * math.cos(angle), lat + radius * math.sin(angle)


def _ring(lon: float, lat: float, radius_m: float, seed: int) -> list[list[float]]:
    pts = []
    for i in range(18):
        a = 2 * math.pi * i / 18
        k = radius_m * (1 + 0.14 * math.sin(3 * a + seed) + 0.06 * math.cos(5 * a + 2 * seed))
        pts.append([round(lon + k * math.cos(a) / (111_320 * math.cos(math.radians(lat))), 6),
                    round(lat + 0.8 * k * math.sin(a) / 110_574, 6)])
    return [*pts, pts[0]]


def _geojson(ring: list[list[float]], **props: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}]},
        ensure_ascii=False).encode()


@demo_step(order=890, name="town boundaries and a control-line layer")
def boundaries(ctx: DemoContext) -> None:
    from demo.steps import province_officer

    seen: set[int] = set()
    red_town: Town | None = None
    for index, town in enumerate(Town.objects.select_related("region").order_by("code")):
        seen.add(town.pk)
        if red_town is None and town.region.code.startswith(RED_LINE_TOWN_CITY[:4]):
            red_town = town
        if BoundaryVersion.objects.filter(town=town).exists():
            continue
        lon, lat = _centre(town, index)
        rng = ctx.rng(f"boundary:{town.code}")
        radius = rng.uniform(750, 1150)  # about 1.5–3.5 km²: most inside the programmes' limits, a few over
        by = province_officer(ctx, town.region)
        upload_boundary(town=town, layer="planned", data=_geojson(_ring(lon, lat, radius, index), code=town.code),
                        filename=f"{town.code}-规划范围.geojson", by=by, reason="演示数据 / demo data")
        if index % 4 != 3:  # most towns also give the construction area (003 §三(二))
            upload_boundary(town=town, layer="construction",
                            data=_geojson(_ring(lon, lat, radius * 0.5, index + 1), code=town.code),
                            filename=f"{town.code}-建设范围.geojson", by=by, reason="演示数据 / demo data")
    zhejiang = Region.objects.get(code="330000")
    if red_town is not None and not RedLineLayer.objects.filter(region=zhejiang).exists():
        planned = BoundaryVersion.objects.filter(town=red_town, layer="planned").latest("number")
        from shapely.geometry import shape

        centre = shape(json.loads(planned.geojson)).centroid
        ring = _ring(centre.x + 0.009, centre.y + 0.002, 900, 7)
        layer = upload_red_line_layer(region=zhejiang, kind="ecological_red_line", name="西湖—龙坞生态保护红线(演示)",
                              dated=dt.date(2023, 10, 31), source="演示数据，格式同省级“三区三线”划定成果 / demo data",
                              data=_geojson(ring, kind="ecological_red_line"), filename="浙江生态保护红线-演示.geojson",
                              by=province_officer(ctx, zhejiang))
        compute_refresh(layer.pk)  # the demo shows the findings without waiting for the worker
        ctx.say(f"  {red_town.name_zh} ({red_town.code}) overlaps the demo ecological red line")
    ctx.say(f"  boundaries for {len(seen)} towns")
