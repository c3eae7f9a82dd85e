"""`xiaozhen signals --policy ID FACTS`: data-quality and fraud signals for officers to review."""

from __future__ import annotations

import argparse

from .._output import render_table
from ..signals import BENFORD_CAVEAT, KIND_LABELS, STRENGTH_LABELS, Signal, find_signals
from ..signals._facts import indicator_infos, read_enterprises, read_ledger, read_observations
from ._common import emit_result, find_policy, policy_title


def _evidence_line(signal: Signal) -> str:
    return f"{signal.message_zh}\n{signal.message_en}"


def cmd_signals(args: argparse.Namespace) -> int:
    policy = find_policy(args.policy)
    observations = read_observations(args.facts, policy)
    ledger = read_ledger(args.ledger) if args.ledger else []
    enterprises = read_enterprises(args.enterprises) if args.enterprises else []
    signals = find_signals(observations, indicator_infos(policy), ledger=ledger, enterprises=enterprises)
    headers = ["强度 strength", "线索 signal", "小镇 town", "指标 indicator", "期间 periods", "依据 evidence"]
    rows = [[STRENGTH_LABELS[s.strength], "\n".join(KIND_LABELS[s.kind]), s.town, s.indicator or "—",
             ", ".join(s.periods) or "—", _evidence_line(s)] for s in signals]
    towns = len({o.town for o in observations})
    head = (f"{policy_title(policy)}: {len(observations)} 个数字 figures, {towns} 个小镇 towns → "
            f"{len(signals)} 条线索 signals (供复核，不自动处理 / for review, never applied automatically)")
    table = head + ("\n" + render_table(headers, rows, max_widths=[None, 16, None, 24, 20, 70]) if rows else "")
    if any(s.kind == "benford" for s in signals):
        table += "\n\n注意 caveat: " + BENFORD_CAVEAT
    data = {"policy": policy.id, "figures": len(observations), "towns": towns,
            "signals": [{"key": s.key, "kind": s.kind, "label": s.label, "town": s.town, "indicator": s.indicator,
                         "periods": list(s.periods), "strength": s.strength, "score": s.score,
                         "message_zh": s.message_zh, "message_en": s.message_en, "evidence": s.evidence,
                         "other_towns": list(s.towns)} for s in signals]}
    emit_result(args.format, args.output, table=table, data=data, sheets=[])
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser("signals", help="数据质量与造假线索 / data-quality and fraud signals for review",
                       description="找出值得复核的数字：累计数下降、突变、重复、整数堆积、本福特、重复申报企业、"
                                   "报表与台账不符、分项大于总数 / figures that deserve a second look (docs/signals.md)")
    p.add_argument("--policy", required=True, metavar="ID", help="计划编号或文件 / programme id or file")
    p.add_argument("--ledger", metavar="FILE", help="项目台账 / project ledger: town_id, period, indicator, project, amount")
    p.add_argument("--enterprises", metavar="FILE", help="企业名录 / enterprises: credit_code, town_id, year[, name]")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--output", "-o", metavar="FILE")
    p.add_argument("facts", metavar="FACTS", help="事实文件 / facts file (.csv, .xlsx, .json)")
    p.set_defaults(func=cmd_signals)
