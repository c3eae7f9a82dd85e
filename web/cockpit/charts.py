"""The cockpit's charts: each panel's rows (cockpit.selectors) as ECharts options, drawn by static/js/charts.js
from a json_script beside the table that says the same thing (the table is the text alternative)."""

from __future__ import annotations

from typing import Any

from portal.bilingual import bi_text
from xiaozhen.charts import stacked_bar, target_track

TARGET_NAMES = {"actual": bi_text("实际", "actual"), "projection": bi_text("预测", "projection"),
                "band": bi_text("预测区间", "band"), "target": bi_text("目标", "target")}


def kpi_charts(kpis: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One chart per target: actual figures by year, the projection with its band, the target line.

    Shares are drawn in per cent (the table shows them so too). A target without any actual figure yet has
    no chart (its table row says so); ids keep the row's position."""
    charts = []
    for i, k in enumerate(kpis):
        if not any(v is not None for _, v in k["series"]):
            continue
        share = k["is_share"]
        option = target_track(series=[(y, v) for y, v in k["series"]], target=k["target"], target_year=k["target_year"],
                              projected=k["projected"], low=k["low"], high=k["high"], names=TARGET_NAMES,
                              scale=100.0 if share else 1.0, digits=2 if share else 4,
                              axis_name="%" if share else k["unit"])
        charts.append({"id": f"cockpit-kpi-{i}", "label": bi_text(k["label_zh"], k["label_en"]), "option": option})
    return charts


def trend_charts(rankings: dict[str, Any], grades: list[dict[str, Any]], reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The trends panel's three charts (None where the table is empty)."""
    by_year = rankings.get("investment_by_year") or []
    investment = stacked_bar(
        categories=[str(x["year"]) for x in by_year],
        series=[(bi_text("投资合计", "investment"), [round(x["investment"], 4) for x in by_year])],
        horizontal=False) if by_year else None
    names = sorted({g for row in grades for g in row["grades"]})
    grade_chart = stacked_bar(
        categories=[str(row["year"]) for row in grades],
        series=[(g, [row["grades"].get(g, 0) for row in grades]) for g in names], horizontal=False) if grades else None
    report_chart = stacked_bar(
        categories=[x["period"] for x in reports],
        series=[(bi_text("按时", "on time"), [x["on_time"] for x in reports]),
                (bi_text("逾期", "late"), [x["late"] for x in reports]),
                (bi_text("未报", "missing"), [x["not_submitted"] for x in reports])],
        horizontal=False) if reports else None
    return {"investment": investment, "grades": grade_chart, "reports": report_chart}
