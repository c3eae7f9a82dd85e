"""`xiaozhen index run|uncertainty METHOD.yaml`: a composite index from its method file."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from .._output import Sheet, render_table
from ..index import IndexMethodError, IndexResult, load_method, run_index
from ..tabular import Table, csv_lines
from ._common import CliError, emit, emit_result

FORMATS = ("table", "csv", "json", "xlsx")


def _score(value: float) -> float | None:
    return None if not math.isfinite(value) else round(float(value), 2)


def _run_rows(result: IndexResult) -> tuple[list[str], list[list[Any]]]:
    """One row per unit, best first: code, name, rank, every aggregate's score (top level first), group ranks."""
    tree = result.method.tree
    root = tree.root
    aggregates = tree.aggregates()
    headers = ["code", "name", "rank", *aggregates]
    for group in result.group_ranks:
        headers.append(f"rank_in_{group}")
    order = sorted(range(len(result.units)),
                   key=lambda i: (math.inf if math.isnan(result.ranks[root][i]) else result.ranks[root][i], result.units[i]))
    rows: list[list[Any]] = []
    for i in order:
        rank = result.ranks[root][i]
        row: list[Any] = [result.units[i], result.names[i], None if math.isnan(rank) else int(rank)]
        row += [_score(result.scores[a][i]) for a in aggregates]
        for group, per in result.group_ranks.items():
            r = per[root][i]
            row.append(f"{result.groups[group][i]}:{int(r)}" if math.isfinite(r) else None)
        rows.append(row)
    return headers, rows


def _csv(headers: list[str], rows: list[list[Any]]) -> str:
    """CSV through the one safe writer (xiaozhen.tabular): formula-like text is escaped there."""
    return "".join(csv_lines(Table("index", headers, rows), bom=False, lineterminator="\n"))


def _load(path: str) -> Any:
    try:
        return load_method(path)
    except IndexMethodError as exc:
        raise CliError("方法文件有问题 / method file problems:\n  " + "\n  ".join(exc.problems)) from None


def cmd_index_run(args: argparse.Namespace) -> int:
    method = _load(args.method)
    try:
        result = run_index(method)
    except IndexMethodError as exc:
        raise CliError("数据有问题 / data problems:\n  " + "\n  ".join(exc.problems)) from None
    headers, rows = _run_rows(result)
    if args.format == "csv":
        emit(_csv(headers, rows), args.output)
        return 0
    name = method.spec.name
    title = f"{name.zh} / {name.en} — {len(result.units)} 个单位 units"
    if result.prepared.screened_out:
        title += f"; 数据不足剔除 screened out: {', '.join(result.prepared.screened_out)}"
    table = title + "\n" + render_table(headers, [["—" if v is None else v for v in r] for r in rows])
    record = result.record
    table += (f"\n\n运行记录 run record: method {record.method_hash[:12]}… data {record.data_hash[:12]}… "
              f"({record.software})")
    data = {
        "method": method.spec.id,
        "units": [dict(zip(headers, r, strict=True)) for r in rows],
        "weights": result.weights,
        "treatments": result.prepared.treatments,
        "screened_out": result.prepared.screened_out,
        "run_record": record,
    }
    emit_result(args.format, args.output, table=table, data=data, sheets=[Sheet("index", headers, rows)])
    return 0


def _progress(done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} runs")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_index_uncertainty(args: argparse.Namespace) -> int:
    from ..index._uncertainty import run_uncertainty

    method = _load(args.method)
    if args.runs < 10:
        raise CliError(f"--runs {args.runs}: 至少 10 次 / at least 10 runs")
    try:
        ua = run_uncertainty(method, runs=args.runs, seed=args.seed, progress=_progress)
    except IndexMethodError as exc:
        raise CliError("方法文件有问题 / method file problems:\n  " + "\n  ".join(exc.problems)) from None
    rank_headers = ["code", "name", "nominal_rank", "median_rank", "rank_p5", "rank_p95"]
    rank_rows = [[u.code, u.name, u.nominal_rank, u.median_rank, u.p5, u.p95] for u in ua.units]
    sens_headers = ["input", "alternatives", "first_order", "total"]
    sens_rows = [[s.input, s.alternatives, round(s.first_order, 3), round(s.total, 3)] for s in ua.sensitivity]
    text = (f"{method.spec.name.zh} / {method.spec.name.en}: {ua.evaluations} 次运行 runs "
            f"(N = {ua.base_n}, d = {len(ua.sensitivity)}, seed {ua.seed})\n\n"
            "排名区间 rank intervals (5–95 %)\n" + render_table(rank_headers, rank_rows)
            + "\n\n敏感性 sensitivity of the mean absolute rank shift (Saltelli first order, Jansen total)\n"
            + render_table(sens_headers, sens_rows))
    emit_result(args.format, args.output, table=text, data=ua,
                sheets=[Sheet("ranks", rank_headers, rank_rows), Sheet("sensitivity", sens_headers, sens_rows)])
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("index", help="综合指数 / composite index: run a method file, or its uncertainty",
                       description="按方法文件计算综合指数 / run a composite-index method file (docs/index.md)")
    inner = p.add_subparsers(dest="index_command", metavar="run|uncertainty", required=True)
    p_run = inner.add_parser("run", help="计算得分与排名 / scores and ranks, one row per unit")
    p_run.add_argument("method", metavar="METHOD.yaml")
    p_run.add_argument("--format", choices=FORMATS, default="table")
    p_run.add_argument("--output", "-o", metavar="FILE", help="写入文件 / write to FILE (needed for xlsx)")
    p_run.set_defaults(func=cmd_index_run)
    p_ua = inner.add_parser("uncertainty", help="不确定性与敏感性 / rank intervals and sensitivity indices")
    p_ua.add_argument("method", metavar="METHOD.yaml")
    p_ua.add_argument("--runs", type=int, default=1000, help="模型运行总次数 / total model runs (default 1000)")
    p_ua.add_argument("--seed", type=int, default=1, help="随机种子 / random seed (default 1)")
    p_ua.add_argument("--format", choices=("table", "json", "xlsx"), default="table")
    p_ua.add_argument("--output", "-o", metavar="FILE")
    p_ua.set_defaults(func=cmd_index_uncertainty)
