"""`xiaozhen per-mu`: the per-mu evaluation (亩均效益综合评价) of every enterprise in a file."""

from __future__ import annotations

import argparse
from typing import Any

import polars as pl

from .._output import Sheet, render_table
from ..enterprises import (
    STATUS_LABELS,
    PerMuError,
    PerMuResult,
    find_method,
    per_mu,
    read_enterprises,
    run_record,
    shown_value,
)
from ..enterprises._method import PerMuMethod
from ..policy import PolicyFileError
from ..tabular import Table, csv_lines
from ._common import CliError, PolicyProblems, emit, emit_result, number

FORMATS = ["table", "json", "csv", "xlsx"]
#: Firms shown in the table; the rest are counted (json, csv and xlsx carry every firm).
TABLE_FIRMS = 200


def _value(unit: str, value: Any) -> str:
    return shown_value(unit, value)


def _class_label(method: PerMuMethod, klass: str | None) -> str:
    for band in method.classes.bands:
        if band.id == klass:
            return f"{band.id} {band.label.zh}"
    return "—"


def _firm_rows(result: PerMuResult) -> list[dict[str, Any]]:
    order = {"graded": 0, "not_graded": 1, "out_of_scope": 2}
    firms = result.firms.with_columns(pl.col("status").replace_strict(order, return_dtype=pl.Int32).alias("_o")).sort(
        ["group", "_o", "rank", "total", "credit_code"], descending=[False, False, False, True, False], nulls_last=True
    )
    return list(firms.iter_rows(named=True))


def _table(result: PerMuResult, record: dict[str, Any]) -> str:
    method = result.method
    out = [f"亩均效益综合评价 per-mu evaluation — {method.name.zh} / {method.name.en} ({method.id}), {result.year} 年",
           f"分组 grouped by: {'县(市、区) county' if method.group_by == 'county' else '全部 whole file'}", ""]
    rows = []
    firms = _firm_rows(result)
    for f in firms[:TABLE_FIRMS]:
        cells = [f["group"], "" if f["rank"] is None else str(f["rank"]), _class_label(method, f["class"]),
                 f"{f['name'] or ''}\n{f['credit_code']}", f["town_id"]]
        for ind in method.indicators:
            shown = _value(ind.unit, f[f"{ind.id}__value"])
            score = f[f"{ind.id}__score"]
            if f[f"{ind.id}__value"] is None and score == ind.cap * ind.weight:
                shown = "分母为0，封顶 zero, capped"
            cells.append(f"{shown}\n基准 {_value(ind.unit, f[f'{ind.id}__benchmark'])}\n"
                         f"得分 {'—' if score is None else number(round(score, 2))}/{number(ind.weight)}")
        cells += ["—" if f["total"] is None else number(round(f["total"], 2)), f["reason"] or STATUS_LABELS[f["status"]]]
        rows.append(cells)
    headers = ["县 County", "名次 Rank", "分类 Class", "企业 Enterprise", "镇 Town",
               *[f"{i.label.zh}\n{i.label.en}" for i in method.indicators], "总分 Total", "说明 Note"]
    out.append(render_table(headers, rows, max_widths=[None, None, None, 30, None, *[16] * len(method.indicators), None, 24]))
    if len(firms) > TABLE_FIRMS:
        out.append(f"…另有 {len(firms) - TABLE_FIRMS} 家企业，完整结果请用 --format csv/xlsx/json / "
                   f"… and {len(firms) - TABLE_FIRMS} more: use --format csv, xlsx or json for every firm")
    for title, frame, key in (("各镇 per town", result.towns, "town_id"), ("各县 per county", result.groups, "group")):
        out += ["", title]
        trows = [[r[key], r["firms"], r["graded"], *[r[f"class_{b.id}"] for b in method.classes.bands],
                  r["not_graded"], r["out_of_scope"], _value("万元/亩", r["tax_per_mu"]),
                  "—" if r["leader_code"] is None else f"{r['leader_name'] or ''} {r['leader_code']}\n总分 {number(round(r['leader_total'], 2))}"]
                 for r in frame.iter_rows(named=True)]
        out.append(render_table(
            ["", "企业 Firms", "分类 Graded", *[f"{b.id} {b.label.zh}" for b in method.classes.bands],
             "不分类 Not graded", "范围外 Out of scope", "亩均税收 Tax/mu", "亩均领跑 Leader"],
            trows, max_widths=[None] * (7 + len(method.classes.bands)) + [36]))
    out += ["", "复现记录 run record (same method + same data ⇒ same results):"]
    out += [f"  {k}: {v}" for k, v in record.items()]
    return "\n".join(out)


def _flat(result: PerMuResult) -> tuple[list[str], list[list[Any]]]:
    method = result.method
    headers = ["县 group", "统一社会信用代码 credit_code", "企业名称 name", "镇 town_id", "年份 year", "用地(亩) land_mu"]
    for ind in method.indicators:
        headers += [f"{ind.label.zh} {ind.id} ({ind.unit})", f"基准 {ind.id}_benchmark", f"得分 {ind.id}_score"]
    headers += ["总分 total", "名次 rank", "参评数 graded_in_group", "分类 class", "状态 status", "说明 reason"]
    rows = []
    for f in _firm_rows(result):
        row: list[Any] = [f["group"], f["credit_code"], f["name"], f["town_id"], f["year"], f["land_mu"]]
        for ind in method.indicators:
            row += [f[f"{ind.id}__value"], f[f"{ind.id}__benchmark"], f[f"{ind.id}__score"]]
        row += [f["total"], f["rank"], f["graded_in_group"], f["class"], STATUS_LABELS[f["status"]], f["reason"]]
        rows.append(row)
    return headers, rows


def _summary_sheet(title: str, frame: pl.DataFrame, key: str, method: PerMuMethod) -> Sheet:
    cols = [key, "firms", "graded", *[f"class_{b.id}" for b in method.classes.bands], "not_graded", "out_of_scope",
            "land_mu", "tax", "value_added", "tax_per_mu", "value_added_per_mu", "leader_code", "leader_name", "leader_total"]
    return Sheet(title, cols, [list(r) for r in frame.select(cols).iter_rows()])


def _csv(headers: list[str], rows: list[list[Any]]) -> str:
    """CSV through the one safe writer (xiaozhen.tabular): formula-like text is escaped there."""
    return "".join(csv_lines(Table("per-mu", headers, rows), bom=False, lineterminator="\n"))


def cmd_per_mu(args: argparse.Namespace) -> int:
    try:
        method = find_method(args.method)
    except PolicyFileError as exc:
        raise PolicyProblems(exc.problems, "评价办法文件有问题 / the method file has problems") from None
    facts = read_enterprises(args.enterprises)
    try:
        result = per_mu(method, facts, args.year)
    except PerMuError as exc:
        raise CliError(str(exc)) from None
    record = run_record(result, facts)
    headers, rows = _flat(result)
    if args.format == "csv":
        if args.output is None:
            emit(_csv(headers, rows), None)
        else:
            try:
                with open(args.output, "w", encoding="utf-8-sig", newline="") as handle:
                    handle.write(_csv(headers, rows))
            except OSError as exc:
                raise CliError(f"无法写入 {args.output} / cannot write {args.output}: {exc.strerror or exc}") from None
            print(f"已写入 written: {args.output}")
        return 0
    data = {
        "run": record,
        "firms": [dict(zip(headers, row, strict=True)) for row in rows],
        "towns": result.towns.to_dicts(),
        "counties": result.groups.to_dicts(),
    }
    sheets = [
        Sheet("企业 Enterprises", headers, rows),
        _summary_sheet("各镇 Towns", result.towns, "town_id", method),
        _summary_sheet("各县 Counties", result.groups, "group", method),
        Sheet("复现记录 Run", ["项 key", "值 value"], [[k, str(v)] for k, v in record.items()]),
    ]
    emit_result(args.format, args.output, table=_table(result, record) if args.format == "table" else "", data=data, sheets=sheets)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("per-mu", help="亩均效益综合评价 / per-mu efficiency evaluation of enterprises",
                       description="逐家企业给出各指标的值、基准、得分、总分、名次、分类及不分类原因；各镇、各县的分类数和亩均领跑者 / "
                                   "per enterprise: each indicator's value, benchmark and score, the total, rank, class "
                                   "and why a firm is not graded; per town and county: class counts and the per-mu leaders")
    p.add_argument("--method", required=True, metavar="FILE",
                   help="评价办法文件或编号 / method file or id (methods/per-mu/, e.g. zhejiang-county)")
    p.add_argument("--year", type=int, help="评价年份，默认最新 / the year evaluated (default: the latest in the file)")
    p.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format (default table)")
    p.add_argument("--output", "-o", metavar="FILE", help="写入文件 / write to FILE (needed for xlsx)")
    p.add_argument("enterprises", metavar="ENTERPRISES", help="企业数据 / enterprise facts (.csv, .xlsx, .parquet)")
    p.set_defaults(func=cmd_per_mu)
