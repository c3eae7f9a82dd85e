"""The panorama as an ECharts graph option: segments left to right by stage, coloured by strength."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from ._panorama import STRENGTH_LABELS, Panorama

COLOURS = {"gap": "#b3261e", "weak": "#b26a00", "present": "#2e7d32"}
STAGES = ("upstream", "midstream", "downstream")


def panorama_graph(panorama: Panorama, *, english: bool = False) -> dict[str, Any]:
    columns: dict[str, list[Any]] = {s: [] for s in STAGES}
    for result in panorama.segments:
        columns[result.segment.stage].append(result)
    nodes, links = [], []
    for x, stage in enumerate(STAGES):
        for y, result in enumerate(columns[stage]):
            label = result.segment.label.en if english else result.segment.label.zh
            zh, en = STRENGTH_LABELS[result.strength]
            nodes.append({
                "name": result.segment.id, "x": x * 320, "y": y * 110, "symbol": "roundRect",
                "symbolSize": [170, 64], "itemStyle": {"color": COLOURS[result.strength]},
                "label": {"show": True, "color": "#fff", "fontSize": 13,
                          "formatter": f"{label}\n{result.count} {'firms' if english else '家'} · {en if english else zh}"},
            })
    for left, right in pairwise(STAGES):
        for a in columns[left]:
            for b in columns[right]:
                links.append({"source": a.segment.id, "target": b.segment.id})
    title = panorama.chain.name.en if english else panorama.chain.name.zh
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"show": False},
        "series": [{"type": "graph", "layout": "none", "data": nodes, "links": links, "roam": False,
                    "edgeSymbol": ["none", "arrow"], "lineStyle": {"color": "#999", "width": 1.2, "curveness": 0.1},
                    "top": 50, "bottom": 20, "left": 90, "right": 90}],
    }
