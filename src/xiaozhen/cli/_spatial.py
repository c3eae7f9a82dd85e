"""`xiaozhen spatial check`: areas in CGCS2000 Gauss-Krüger, red-line overlaps, and the programme's limits."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

import shapely

from .._output import Sheet, render_table
from ..policy import Policy
from ..spatial import (
    COORDINATES,
    RED_LINE_KINDS,
    RED_LINE_LABELS,
    BoundaryFeature,
    RedLineKind,
    RedLineLayer,
    SpatialError,
    SpatialProblem,
    TownBoundary,
    TownSpatialCheck,
    boundary_problems,
    check_towns,
    read_boundaries,
)
from ._common import (
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    CliError,
    emit_result,
    find_policy,
    number,
    percent,
    policy_title,
)

FORMATS = ["table", "json", "xlsx"]
#: Words in a layer's file name or ``kind`` property that say which control line it is.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "ecological_red_line": ("ecological", "生态"),
    "permanent_farmland": ("farmland", "农田"),
    "development_boundary": ("development", "开发边界"),
}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD / a date is written YYYY-MM-DD, got {text!r}") from None


def _layer_kind(spec: str, features: list[BoundaryFeature]) -> tuple[RedLineKind, str]:
    """(kind, path) from ``KIND=PATH``, the features' ``kind`` property, or words in the file name."""
    if "=" in spec and spec.split("=", 1)[0] in RED_LINE_KINDS:
        kind, path = spec.split("=", 1)
        return kind, path  # type: ignore[return-value]
    declared = {str(f.properties.get("kind") or f.properties.get("类型") or "") for f in features}
    for kind, words in _KIND_WORDS.items():
        if kind in declared or any(w in text.lower() for w in words for text in [spec, *declared]):
            return kind, spec  # type: ignore[return-value]
    raise CliError(
        f"{spec}: 无法判断控制线类型，请写成 KIND=文件 / cannot tell which control line this is: write KIND=FILE, "
        f"KIND one of {', '.join(RED_LINE_KINDS)}"
    )


def _read_layer(spec: str, coordinates: str) -> RedLineLayer:
    path = spec.split("=", 1)[1] if "=" in spec and spec.split("=", 1)[0] in RED_LINE_KINDS else spec
    features = read_boundaries(Path(path), coordinates=coordinates)  # type: ignore[arg-type]
    kind, path = _layer_kind(spec, features)
    problems = [p for f in features for p in boundary_problems(f.geometry, source=path, feature=f.index, name=f.name)]
    if problems:
        raise SpatialError(problems)
    dates = {str(f.properties.get("date") or f.properties.get("日期") or "") for f in features} - {""}
    sources = {str(f.properties.get("source") or f.properties.get("来源") or "") for f in features} - {""}
    dated = None
    if dates:
        try:
            dated = dt.date.fromisoformat(sorted(dates)[-1][:10])
        except ValueError:
            raise CliError(f"{path}: 日期应为 YYYY-MM-DD / the layer's date is not YYYY-MM-DD: {sorted(dates)[-1]!r}") from None
    return RedLineLayer(kind, Path(path).name, shapely.union_all([f.geometry for f in features]), dated,
                        "; ".join(sorted(sources)))


def _town_key(feature: BoundaryFeature) -> str:
    return feature.code or feature.name or f"#{feature.index}"


def read_towns(path: str, construction: str | None, coordinates: str) -> list[TownBoundary]:
    features = read_boundaries(Path(path), coordinates=coordinates)  # type: ignore[arg-type]
    problems: list[SpatialProblem] = []
    for f in features:
        problems += boundary_problems(f.geometry, source=path, feature=f.index, name=f.name)
    built: dict[str, BoundaryFeature] = {}
    if construction:
        for f in read_boundaries(Path(construction), coordinates=coordinates):  # type: ignore[arg-type]
            problems += boundary_problems(f.geometry, source=construction, feature=f.index, name=f.name)
            built[_town_key(f)] = f
        unknown = set(built) - {_town_key(f) for f in features}
        for key in sorted(unknown):
            problems.append(SpatialProblem(construction, built[key].index, f"规划范围中没有小镇 {key}",
                                           f"no town {key} in the planned boundaries", key))
    if problems:
        raise SpatialError(problems)
    return [
        TownBoundary(f.code or f"#{f.index}", f.name, f.geometry,
                     built[_town_key(f)].geometry if _town_key(f) in built else None)
        for f in features
    ]


def cmd_check(args: argparse.Namespace) -> int:
    policy = find_policy(args.policy)
    try:
        layers = [_read_layer(spec, args.coordinates) for spec in args.red_lines or []]
        towns = read_towns(args.boundaries, args.construction, args.coordinates)
        results = check_towns(policy, towns, layers, at=args.at)
    except SpatialError as exc:
        raise CliError("边界文件有问题，未做任何计算 / the boundaries have problems; nothing was computed:\n  "
                       + "\n  ".join(str(p) for p in exc.problems)) from None
    data = {"policy": policy.id, "boundaries": args.boundaries, "towns": [_as_data(r) for r in results]}
    emit_result(args.format, args.output, table=_table(policy, results), data=data, sheets=_sheets(results))
    return 0


def _as_data(r: TownSpatialCheck) -> dict[str, Any]:
    return {
        "town_id": r.town_id, "town_name": r.town_name,
        "area_m2": round(r.area_m2, 1), "area_km2": round(r.area_km2, 4),
        "construction_area_km2": None if r.construction_area_km2 is None else round(r.construction_area_km2, 4),
        "zone": {"epsg": r.zone.epsg, "central_meridian": r.zone.central_meridian, "name": r.zone.name},
        "indicators": r.indicators,
        "limits": [{"criterion": v.criterion_id, "label": v.label, "clause": v.clause, "severity": v.severity,
                    "stage": v.stage, "outcome": v.outcome, "values": v.values, "thresholds": v.thresholds}
                   for v in r.limits],
        "red_lines": [{"kind": o.kind, "label": o.label, "layer": o.layer, "dated": o.dated, "source": o.source,
                       "measured_on": o.measured_on, "overlap_m2": round(o.overlap_m2, 1),
                       "overlap_share": round(o.overlap_share, 6),
                       "outside_m2": None if o.outside_m2 is None else round(o.outside_m2, 1),
                       "crossed": o.crossed, "indicator": o.indicator}
                      for o in r.overlaps],
    }


def _values(v: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_shown(x)}" for k, x in v.items())


def _shown(x: Any) -> str:
    if x is None:
        return "— 缺 missing"
    if isinstance(x, bool):
        return "是 yes" if x else "否 no"
    if isinstance(x, int | float):
        return number(float(x))
    return str(x)


_STAGE = {"application": "申报", "annual": "年度", "acceptance": "验收", "named": "命名后"}


def _table(policy: Policy, results: list[TownSpatialCheck]) -> str:
    out = [policy_title(policy), "面积按 CGCS2000 3度带高斯-克吕格投影计算 / areas in CGCS2000 3-degree Gauss-Krüger", ""]
    rows = [[r.town_id, r.town_name, number(round(r.area_km2, 4)),
             "—" if r.construction_area_km2 is None else number(round(r.construction_area_km2, 4)), r.zone.label]
            for r in results]
    out.append(render_table(["编号 ID", "名称 Name", "面积 area_km2", "建设 construction_km2", "投影带 Zone"], rows))
    for r in results:
        out += ["", f"■ {r.town_id} {r.town_name}"]
        if r.limits:
            out.append(render_table(
                ["限值 Limit", "阶段 Stage", "程度 Severity", "结果 Verdict", "条款 Clause", "数值 Values"],
                [[f"{v.label.zh}\n{v.label.en}", f"{_STAGE.get(v.stage, v.stage)} {v.stage}", SEVERITY_LABELS.get(v.severity, v.severity),
                  OUTCOME_LABELS[v.outcome], v.clause, _values({**v.values, **v.thresholds})] for v in r.limits],
                max_widths=[40, 20, 12, 14, 14, 50], indent="  "))
        else:
            out.append(f"  {policy.id} 没有按面积或控制线判断的准则 / has no area or control-line criteria")
        if r.overlaps:
            out.append(render_table(
                ["控制线 Layer", "日期 Date", "来源 Source", "比较 Compared", "overlap_m2", "overlap_share", "界外 outside_m2", "触碰 Crossed"],
                [[f"{o.label.zh} {o.label.en}\n{o.layer}", o.dated.isoformat() if o.dated else "—", o.source or "—",
                  "建设范围 construction" if o.measured_on == "construction" else "规划范围 planned",
                  number(round(o.overlap_m2, 1)), percent(o.overlap_share),
                  "—" if o.outside_m2 is None else number(round(o.outside_m2, 1)),
                  "✗ 是 yes" if o.crossed else "✓ 否 no"] for o in r.overlaps],
                max_widths=[36, 10, 20, 14, 12, 14, 12, 10], indent="  "))
    return "\n".join(out)


def _sheets(results: list[TownSpatialCheck]) -> list[Sheet]:
    towns = Sheet("面积 areas", ["编号 ID", "名称 Name", "面积 km²", "建设面积 km²", "EPSG", "中央经线 CM"],
                  [[r.town_id, r.town_name, round(r.area_km2, 4), r.construction_area_km2, r.zone.epsg,
                    r.zone.central_meridian] for r in results])
    limits = Sheet("限值 limits", ["编号 ID", "准则 Criterion", "名称 Label", "阶段 Stage", "程度 Severity", "结果 Outcome", "条款 Clause", "数值 Values"],
                   [[r.town_id, v.criterion_id, v.label.zh, v.stage, v.severity, v.outcome, v.clause,
                     _values({**v.values, **v.thresholds})] for r in results for v in r.limits])
    layers = Sheet("控制线 red lines", ["编号 ID", "控制线 Layer", "文件 File", "日期 Date", "来源 Source", "overlap_m2", "overlap_share", "outside_m2", "触碰 Crossed"],
                   [[r.town_id, RED_LINE_LABELS[o.kind].zh, o.layer, o.dated, o.source, round(o.overlap_m2, 1),
                     o.overlap_share, o.outside_m2, "是" if o.crossed else "否"] for r in results for o in r.overlaps])
    return [towns, limits, layers]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("spatial", help="边界与空间检查 / boundaries: areas, limits, red lines",
                       description="边界面积(CGCS2000 高斯-克吕格)、面积限值和三条控制线 / areas in CGCS2000 "
                       "Gauss-Krüger, the programme's area limits and the three control lines")
    spatial_sub = p.add_subparsers(dest="spatial_command", metavar="check", required=True)
    c = spatial_sub.add_parser("check", help="检查小镇边界 / check town boundaries")
    c.add_argument("--policy", required=True, metavar="ID", help="计划编号或文件 / programme id or file")
    c.add_argument("--red-lines", action="append", metavar="[KIND=]FILE",
                   help="控制线图层(可多次) / a control-line layer (repeatable); KIND one of "
                   + ", ".join(RED_LINE_KINDS) + " unless the file's name or its 'kind' property says")
    c.add_argument("--construction", metavar="FILE", help="建设范围图层(按 code 或 name 对应) / construction areas, matched by code or name")
    c.add_argument("--coordinates", choices=COORDINATES, default="auto",
                   help="经纬度坐标的来源 / what lon/lat coordinates are: auto (the file's CRS; WGS84 = CGCS2000), gcj02 for web-map coordinates")
    c.add_argument("--at", type=_date, metavar="DATE", help="参数适用日期 / the date whose parameters apply (default today)")
    c.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format (default table)")
    c.add_argument("--output", "-o", metavar="FILE", help="写入文件 / write to FILE (needed for xlsx)")
    c.add_argument("boundaries", metavar="BOUNDARIES", help="小镇边界 / town boundaries (.geojson, zipped .shp, .kml)")
    c.set_defaults(func=cmd_check)


