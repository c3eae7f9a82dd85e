"""What the cockpit reads: the region's towns, its map, targets, rankings, trends and drill-down.

Every panel is a plain dict of rows (the page shows it, the XLSX export writes it). The heavy ones are
cached for a minute under a key that includes a *stamp* of the data they read (the newest boundary,
enrolment, tier change, indicator value, report, published run, base layer and control-line finding), so a
published report or assessment run shows at the next request. The page's panels are cached as rendered HTML
under the same stamp (cockpit.html's ``{% cache %}``).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.urls import reverse

from assessments.models import AssessmentRun, Proposal
from boundaries.models import BoundaryVersion, Layer, RedLineFinding
from programmes.models import Programme, deferred_document
from regions.models import Region
from reports.models import Report, ReportingPeriod
from towns.facts import facts_frame
from towns.models import Enrolment, IndicatorValue, TierChange, Town
from xiaozhen.cockpit import (
    STATUS_LABELS,
    label_point,
    project_linear,
    schematic_grid,
    simplified,
    spread_in_cell,
    target_status,
)
from xiaozhen.engine import prepare, track_targets

from .colourings import NO_CLASS, colouring
from .models import BaseLayer

T = TypeVar("T")
CACHE_SECONDS = 60
#: Below this many towns a city or county view draws each town's shape, not just a point.
SHAPES_UP_TO = 300


def region_towns(region: Region) -> QuerySet[Town]:
    return Town.objects.filter(region__code__startswith=region.scope_prefix)


def programmes_in(region: Region) -> list[Programme]:
    def build() -> list[int]:
        ids = Enrolment.objects.filter(town__in=region_towns(region), ended_on__isnull=True).values("programme_id")
        return list(Programme.objects.filter(pk__in=ids).order_by("policy_id").values_list("pk", flat=True))

    pks = cached(f"programmes:{region.code}", build)
    by_pk = Programme.objects.select_related("current_version").defer(*deferred_document("current_version")).in_bulk(pks)
    return [by_pk[pk] for pk in pks if pk in by_pk]


#: The stamp itself is kept this many seconds, so a busy cockpit asks the database for it rarely.
STAMP_SECONDS = 5


def main_programme(region: Region, programmes: list[Programme]) -> Programme:
    """The programme a region's cockpit opens on: one run by the region's province, else the one with most towns."""
    own = [p for p in programmes if p.region_code and p.region_code[:2] == region.code[:2]]
    if own:
        return own[0]
    counts = cached(f"counts:{region.code}", lambda: dict(
        Enrolment.objects.filter(town__in=region_towns(region), ended_on__isnull=True)
        .values_list("programme_id").annotate(n=Count("id")).values_list("programme_id", "n")))
    return max(programmes, key=lambda p: counts.get(p.pk, 0))


def data_stamp() -> str:
    stamp = cache.get("cockpit:stamp")
    if stamp is None:
        stamp = _data_stamp()
        cache.set("cockpit:stamp", stamp, STAMP_SECONDS)
    return stamp


def _data_stamp() -> str:
    parts = [
        BoundaryVersion.objects.aggregate(m=Max("pk"))["m"], Enrolment.objects.aggregate(m=Max("pk"))["m"],
        TierChange.objects.aggregate(m=Max("pk"))["m"], IndicatorValue.objects.aggregate(m=Max("recorded_at"))["m"],
        Report.objects.aggregate(m=Max("submitted_at"))["m"], AssessmentRun.objects.aggregate(m=Max("published_at"))["m"],
        BaseLayer.objects.aggregate(m=Max("pk"))["m"], RedLineFinding.objects.aggregate(m=Max("computed_at"))["m"],
    ]
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:12]


def cached(key: str, build: Callable[[], T]) -> T:
    full = f"cockpit:{data_stamp()}:{key}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, CACHE_SECONDS)
    return value


def base_layer_for(region: Region) -> BaseLayer | None:
    """The office's own layer, else the nearest enclosing office's (a province's outlines serve its cities)."""
    def build() -> int:  # the stamp holds the newest layer, so the answer is cached with it
        codes = [region.code, region.code[:4] + "00", region.code[:2] + "0000"]
        for code in codes:
            pk = BaseLayer.objects.filter(region__code=code).order_by("-number").values_list("pk", flat=True).first()
            if pk is not None:
                return pk
        return 0

    pk = cached(f"base:{region.code}", build)
    return BaseLayer.objects.defer("geojson").filter(pk=pk).first() if pk else None


def base_layer_caption(region: Region) -> dict[str, Any] | None:
    """What the page says under the map about its base layer (name, approval number, date), cached."""
    def build() -> dict[str, Any]:
        layer = base_layer_for(region)
        if layer is None:
            return {}
        return {"name": layer.name, "approval_number": layer.approval_number, "uploaded_at": layer.uploaded_at}

    return cached(f"base-caption:{region.code}", build) or None


def _children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("code"))


# ----------------------------------------------------------------- the map


def map_json(region: Region, programme: Programme | None, colouring_key: str) -> bytes:
    """The map's ECharts option as UTF-8 JSON, cached as bytes (no re-serialising 5,000 towns per request)."""
    import json

    key = f"map:{region.code}:{programme.pk if programme else 0}:{colouring_key}"
    return cached(key, lambda: json.dumps(_build_map(region, programme, colouring_key), ensure_ascii=False,
                                          separators=(",", ":")).encode())


def map_json_by_pk(region: Region, programme_pk: int, colouring_key: str) -> bytes:
    """As map_json, reading the programme's row only when the map is built (the same cache key)."""
    import json

    def build() -> bytes:
        programme = Programme.objects.filter(pk=programme_pk).first() if programme_pk else None
        return json.dumps(_build_map(region, programme, colouring_key), ensure_ascii=False,
                          separators=(",", ":")).encode()

    return cached(f"map:{region.code}:{programme_pk}:{colouring_key}", build)


def map_option(region: Region, programme: Programme | None, colouring_key: str) -> dict[str, Any]:
    import json

    return json.loads(map_json(region, programme, colouring_key))


def _build_map(region: Region, programme: Programme | None, colouring_key: str) -> dict[str, Any]:
    towns = list(region_towns(region).values_list("pk", "code", "name_zh", "region__code").order_by("code"))
    boundaries = {
        town_id: (lon, lat) for town_id, lon, lat in BoundaryVersion.objects.filter(
            town__in=region_towns(region), layer=Layer.PLANNED, is_current=True,
        ).values_list("town_id", "centroid_lon", "centroid_lat")
    }
    entry = colouring(colouring_key)
    scheme = entry.func(programme, [t[0] for t in towns]) if programme else None
    classes = list(scheme.classes) if scheme else []
    town_class = scheme.town_class if scheme else {}
    layer = base_layer_for(region)
    level = region.level
    features: list[dict[str, Any]] = []
    points: dict[str, list[dict[str, Any]]] = defaultdict(list)
    map_name = f"cockpit-{region.code}"
    regions_style: list[dict[str, Any]] = []
    if layer is not None:
        import json

        features = json.loads(layer.geojson)["features"]
        title = f"{layer.name}（审图号：{layer.approval_number}）"
        for pk, code, name, _ in towns:
            if pk in boundaries:
                lon, lat = boundaries[pk]
                points[town_class.get(pk, "")].append({"name": name, "value": [round(lon, 4), round(lat, 4)], "c": code})
        if level != Region.Level.PROVINCE and len(towns) <= SHAPES_UP_TO:
            colours = {k: c for k, _, c in classes}
            for pk, code, name, geojson in BoundaryVersion.objects.filter(
                    town__in=region_towns(region), layer=Layer.PLANNED, is_current=True).values_list(
                    "town_id", "town__code", "town__name_zh", "geojson"):
                shape = simplified(geojson, level)
                if shape is not None:
                    features.append({"type": "Feature", "properties": {"name": f"{name} {code}"}, "geometry": shape})
                    regions_style.append({"name": f"{name} {code}", "itemStyle": {
                        "areaColor": colours.get(town_class.get(pk, ""), NO_CLASS[2]), "opacity": 0.7}})
        schematic = False
    else:
        children = _children(region) or [region]
        cells = {c.key: c for c in schematic_grid([(r.code, f"{r.name_zh}\n{r.name_en}") for r in children])}
        features = [{"type": "Feature", "properties": {"name": c.label, "cp": label_point(c)}, "geometry": {"type": "Polygon", "coordinates": [c.polygon()]}}
                    for c in cells.values()]
        by_cell: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        prefixes = [(r.code, r.scope_prefix) for r in children]
        for pk, code, name, region_code in towns:
            cell_key = next((k for k, prefix in prefixes if region_code.startswith(prefix)), children[0].code)
            by_cell[cell_key].append((pk, code, name))
        for cell_key, members in by_cell.items():
            for i, (pk, code, name) in enumerate(members):
                x, y = spread_in_cell(cells[cell_key], i, len(members))
                points[town_class.get(pk, "")].append({"name": name, "value": [round(x, 3), round(y, 3)], "c": code})
        title = "示意图 Schematic — 非地图 not a map：各格为下级行政区，未上传标准地图 (no approved base map uploaded)"
        schematic = True
    legend_classes = [*classes, NO_CLASS] if points.get("") else classes
    series = [
        {"type": "scatter", "coordinateSystem": "geo", "name": label, "symbolSize": 7 if len(towns) > 500 else 10,
         "itemStyle": {"color": colour}, "data": points.get(key, [])}
        for key, label, colour in legend_classes
    ]
    return {
        "xzMaps": {map_name: {"type": "FeatureCollection", "features": features}},
        "xzLink": reverse("towns:detail", args=["CODE"]).replace("CODE", "{code}"),
        "title": {"text": title, "left": "center", "top": 0, "textStyle": {"fontSize": 12, "fontWeight": "normal"}},
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "legend": {"type": "scroll", "top": 22, "left": "center"},
        "geo": {"map": map_name, "roam": True, "top": 56, "bottom": 8, "regions": regions_style,
                "aspectScale": 1 if schematic else 0.85,
                "label": {"show": schematic, "fontSize": 11, "color": "#556"},
                "itemStyle": {"areaColor": "#f3f6f9", "borderColor": "#9aa8b6"},
                "emphasis": {"itemStyle": {"areaColor": "#e3ebf3"}, "label": {"show": True}}},
        "series": series,
        "xzStats": {"towns": len(towns), "with_boundary": len(boundaries), "schematic": schematic,
                    "colouring": entry.key, "classes": {label: len(points.get(key, [])) for key, label, _ in legend_classes}},
    }


# ----------------------------------------------------------------- targets


def kpis(region: Region) -> list[dict[str, Any]]:
    return cached(f"kpis:{region.code}", lambda: _build_kpis(region))


def _build_kpis(region: Region) -> list[dict[str, Any]]:
    rows = []
    for programme in programmes_in(region):
        policy = programme.policy
        if not policy.targets:
            continue
        facts = facts_frame(programme=programme, towns=region_towns(region), basis="actual")
        results = track_targets(policy, facts) if facts is not None else []
        for t in results:
            known = [(y, v) for y, v in t.series if v is not None]
            projection = project_linear(known, t.target_year, floor=0.0)
            status = target_status(t.target, t.comparison, projection)
            rows.append({
                "is_share": t.unit in ("share", "%"),
                "programme": programme.short_name_zh, "programme_en": programme.short_name_en, "target_id": t.target_id,
                "label_zh": t.label.zh, "label_en": t.label.en, "clause": t.clause, "unit": t.unit,
                "comparison": t.comparison, "target": t.target, "target_year": t.target_year,
                "latest_year": t.latest_year, "latest": t.latest,
                "progress": t.progress, "projected": projection.value, "low": projection.low, "high": projection.high,
                "years": projection.years, "method_zh": projection.method.zh, "method_en": projection.method.en,
                "status": status, "status_zh": STATUS_LABELS[status].zh, "status_en": STATUS_LABELS[status].en,
                "series": [[y, v] for y, v in t.series],
            })
    return rows


# ----------------------------------------------------------------- rankings and trends


def rankings(region: Region, programme: Programme | None) -> dict[str, Any]:
    if programme is None:
        return {"investment": [], "feature_share": [], "investment_by_year": []}
    return cached(f"rank:{region.code}:{programme.pk}", lambda: _build_rankings(region, programme))


def _build_rankings(region: Region, programme: Programme) -> dict[str, Any]:
    policy = programme.policy
    facts = facts_frame(programme=programme, towns=region_towns(region), basis="actual")
    out: dict[str, Any] = {"investment": [], "feature_share": [], "investment_by_year": []}
    if facts is None:
        return out
    import polars as pl

    frame = prepare(policy, facts, "annual", None)
    latest = frame.filter(pl.col("period_year") == pl.col("period_year").max().over("town_id"))
    codes = dict(region_towns(region).values_list("code", "name_zh"))

    def top(column: str, n: int = 10) -> list[dict[str, Any]]:
        if column not in latest.columns:
            return []
        rows = latest.select("town_id", "period_year", column).drop_nulls(column).sort(column, descending=True).head(n)
        return [{"rank": i + 1, "town_code": code, "town": codes.get(code, code), "year": year, "value": value}
                for i, (code, year, value) in enumerate(rows.iter_rows())]

    out["investment"] = top("cum_investment")
    out["feature_share"] = top("feature_investment_share")
    if "investment" in frame.columns:
        per_year = frame.group_by("period_year").agg(pl.col("investment").sum(), pl.col("town_id").n_unique().alias("towns")).sort("period_year")
        out["investment_by_year"] = [{"year": y, "investment": v, "towns": n} for y, v, n in per_year.iter_rows()]
    unit = next((i.unit for i in policy.indicators if i.id == "investment"), "")
    out["investment_unit"] = unit
    return out


def grades_by_year(region: Region, programme: Programme | None) -> list[dict[str, Any]]:
    if programme is None:
        return []
    return cached(f"grades:{region.code}:{programme.pk}", lambda: _build_grades(region, programme))


def _build_grades(region: Region, programme: Programme) -> list[dict[str, Any]]:
    rows = (Proposal.objects.filter(run__programme=programme, run__status=AssessmentRun.Status.PUBLISHED,
                                    town__in=region_towns(region)).exclude(proposed_grade="")
            .values("run__year", "proposed_grade").annotate(n=Count("id")).order_by("run__year"))
    years: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        years[row["run__year"]][row["proposed_grade"]] += row["n"]
    return [{"year": y, "grades": dict(c), "total": sum(c.values())} for y, c in sorted(years.items())]


def reports_on_time(region: Region, programme: Programme | None) -> list[dict[str, Any]]:
    if programme is None:
        return []
    return cached(f"reports:{region.code}:{programme.pk}", lambda: _build_reports(region, programme))


def _build_reports(region: Region, programme: Programme) -> list[dict[str, Any]]:
    periods = list(ReportingPeriod.objects.filter(programme=programme).order_by("-period")[:8])
    counts = (Report.objects.filter(reporting_period__in=periods, town__in=region_towns(region))
              .values("reporting_period_id", "status").annotate(n=Count("id")))
    by: dict[int, Counter[str]] = defaultdict(Counter)
    for row in counts:
        by[row["reporting_period_id"]][row["status"]] += row["n"]
    enrolled = Enrolment.objects.filter(programme=programme, ended_on__isnull=True, town__in=region_towns(region)).count()
    out = []
    for p in reversed(periods):
        c = by[p.pk]
        on_time, late = c.get(Report.Status.SUBMITTED, 0), c.get(Report.Status.LATE, 0)
        out.append({"period": p.period, "due_on": p.due_on, "enrolled": enrolled, "on_time": on_time, "late": late,
                    "not_submitted": max(0, enrolled - on_time - late),
                    "on_time_share": on_time / enrolled if enrolled else None})
    return out


# ----------------------------------------------------------------- drill-down


def drilldown(region: Region) -> list[dict[str, Any]]:
    return cached(f"drill:{region.code}", lambda: _build_drilldown(region))


def _build_drilldown(region: Region) -> list[dict[str, Any]]:
    children = _children(region)
    if not children:
        return []
    counts = Counter(
        code[: len(children[0].scope_prefix)] for code in region_towns(region).values_list("region__code", flat=True)
    )
    return [{"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "towns": counts.get(r.scope_prefix, 0)}
            for r in children]


def county_towns(region: Region, programme: Programme | None) -> list[dict[str, Any]]:
    """At county level (or a city without counties), the towns themselves, to open."""
    return cached(f"towns:{region.code}:{programme.pk if programme else 0}", lambda: _build_county_towns(region, programme))


def _build_county_towns(region: Region, programme: Programme | None) -> list[dict[str, Any]]:
    towns = region_towns(region).order_by("code").values("pk", "code", "name_zh")
    tiers = dict(Enrolment.objects.filter(programme=programme, ended_on__isnull=True, town__in=region_towns(region))
                 .values_list("town_id", "tier")) if programme else {}
    labels = {t.id: f"{t.label.zh} {t.label.en.lower()}" for t in programme.policy.lifecycle.tiers} if programme else {}
    return [{"code": t["code"], "name": t["name_zh"], "tier": labels.get(tiers.get(t["pk"], ""), "—")} for t in towns]
