"""Each cockpit panel as XLSX sheets (bilingual headers; text cells that Excel would read as formulas are quoted)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from programmes.models import Programme
from regions.models import Region
from xiaozhen._output import Sheet

from . import selectors

PANELS = {
    "map": ("地图上的小镇", "Towns on the map"),
    "targets": ("目标进度", "Targets"),
    "rankings": ("排名", "Rankings"),
    "trends": ("趋势", "Trends"),
    "drilldown": ("下级地区", "Regions below"),
}


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _sheet(title: str, headers: list[str], rows: list[list[Any]]) -> Sheet:
    return Sheet(title, headers, [[_safe(v) for v in row] for row in rows])


def panel_sheets(panel: str, region: Region, programme: Programme | None, colour: str) -> list[Sheet]:
    if panel == "map":
        option = selectors.map_option(region, programme, colour)
        rows = [[item["c"], item["name"], series["name"], *item["value"]] for series in option["series"] for item in series["data"]]
        x, y = ("格内横坐标 grid x", "格内纵坐标 grid y") if option["xzStats"]["schematic"] else ("经度 longitude", "纬度 latitude")
        return [_sheet("小镇 towns", ["编号 code", "名称 name", "分类 class", x, y], rows)]
    if panel == "targets":
        rows = [[k["programme"], k["label_zh"], k["clause"], k["unit"], k["comparison"], k["target"], k["target_year"],
                 k["latest_year"], k["latest"], k["progress"], k["projected"], k["low"], k["high"], k["method_zh"], k["status_zh"]]
                for k in selectors.kpis(region)]
        return [_sheet("目标 targets", ["项目 programme", "目标 target", "条款 clause", "单位 unit", "比较 comparison", "目标值 target value",
                                        "目标年 year", "最新年 latest year", "最新值 latest", "进度 progress", "预测 projected",
                                        "区间下限 low", "区间上限 high", "方法 method", "判断 status"], rows)]
    if panel == "rankings":
        r = selectors.rankings(region, programme)
        return [
            _sheet("投资 investment", ["名次 rank", "编号 code", "小镇 town", "年份 year", "累计投资 cumulative investment"],
                   [[x["rank"], x["town_code"], x["town"], x["year"], x["value"]] for x in r["investment"]]),
            _sheet("特色占比 feature share", ["名次 rank", "编号 code", "小镇 town", "年份 year", "特色产业投资占比 share"],
                   [[x["rank"], x["town_code"], x["town"], x["year"], x["value"]] for x in r["feature_share"]]),
        ]
    if panel == "trends":
        r = selectors.rankings(region, programme)
        grades = selectors.grades_by_year(region, programme)
        names = sorted({g for row in grades for g in row["grades"]})
        return [
            _sheet("投资 investment", ["年份 year", "投资 investment", "小镇数 towns"],
                   [[x["year"], x["investment"], x["towns"]] for x in r["investment_by_year"]]),
            _sheet("考核等次 grades", ["年份 year", *names, "合计 total"],
                   [[row["year"], *[row["grades"].get(n, 0) for n in names], row["total"]] for row in grades]),
            _sheet("按时报送 reports", ["期间 period", "截止 due", "在册 enrolled", "按时 on time", "逾期 late", "未报 missing", "按时率 on-time share"],
                   [[x["period"], x["due_on"], x["enrolled"], x["on_time"], x["late"], x["not_submitted"], x["on_time_share"]]
                    for x in selectors.reports_on_time(region, programme)]),
        ]
    if panel == "drilldown":
        return [_sheet("下级地区 regions", ["代码 code", "名称 name", "Name", "小镇数 towns"],
                       [[c["code"], c["name_zh"], c["name_en"], c["towns"]] for c in selectors.drilldown(region)])]
    raise Http404(panel)
