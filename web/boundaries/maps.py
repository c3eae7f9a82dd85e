"""ECharts options for boundary maps (a drawing of uploaded geometry, never a survey map).

ECharts' ``geo`` component draws GeoJSON registered under a name; ``charts.js`` registers every map in
an option's ``xzMaps`` before drawing, and follows ``url`` on a clicked region.
"""

from __future__ import annotations

import json
import math
from typing import Any

from shapely.geometry import mapping, shape

PLANNED_COLOUR = "#2f6fb0"
CONSTRUCTION_COLOUR = "#e2a03f"
CROSSED_COLOUR = "#c0392b"
LAYER_COLOUR = "#7fb77e"


def _feature(name: str, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}


def town_map(*, map_name: str, planned: str, construction: str | None, layers: list[tuple[str, str]],
             evidence: list[tuple[str, str]]) -> dict[str, Any]:
    """The town's planned and construction areas, the nearby part of each control line, and the overlaps.

    ``layers`` and ``evidence`` are (label, GeoJSON text) pairs; layers are clipped to the town's surroundings.
    """
    town = shape(json.loads(planned))
    minx, miny, maxx, maxy = town.bounds
    pad = max(maxx - minx, maxy - miny) * 0.4
    window = town.envelope.buffer(pad, join_style="mitre")
    features: list[dict[str, Any]] = []
    regions: list[dict[str, Any]] = []
    for label, text in layers:
        part = shape(json.loads(text)).intersection(window)
        if not part.is_empty:
            features.append(_feature(label, mapping(part)))
            regions.append({"name": label, "itemStyle": {"areaColor": LAYER_COLOUR, "opacity": 0.45, "borderColor": "#4d8a4c"}})
    features.append(_feature("规划范围 Planned area", json.loads(planned)))
    regions.append({"name": "规划范围 Planned area", "itemStyle": {"areaColor": "rgba(47,111,176,0.15)", "borderColor": PLANNED_COLOUR, "borderWidth": 2}})
    if construction:
        features.append(_feature("建设范围 Construction area", json.loads(construction)))
        regions.append({"name": "建设范围 Construction area", "itemStyle": {"areaColor": "rgba(226,160,63,0.35)", "borderColor": CONSTRUCTION_COLOUR}})
    for label, text in evidence:
        features.append(_feature(label, json.loads(text)))
        regions.append({"name": label, "itemStyle": {"areaColor": CROSSED_COLOUR, "borderColor": CROSSED_COLOUR}})
    lat = (miny + maxy) / 2
    return {
        "xzMaps": {map_name: {"type": "FeatureCollection", "features": features}},
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "geo": {"map": map_name, "roam": True, "aspectScale": round(math.cos(math.radians(lat)), 4),
                "label": {"show": False}, "emphasis": {"label": {"show": True}}, "regions": regions,
                "itemStyle": {"areaColor": "#eef2f6", "borderColor": "#8899aa"}},
        "series": [],
    }
