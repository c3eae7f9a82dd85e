"""`xiaozhen evaluate | assess | targets`: run the engine on a facts file and show why."""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from typing import Any

import polars as pl

from .._output import Sheet, column_widths, render_table
from ..engine import (
    Evaluation,
    HistoryError,
    Proposal,
    TargetProgress,
    TownChange,
    assess,
    compare_assessments,
    compare_evaluations,
    evaluate,
    track_targets,
)
from ..facts import read_facts
from ..glossary import term
from ..policy import STAGES, Policy, apply_reform, criterion_defaults, read_reform
from ._common import (
    ACTION_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    STAGE_LABELS,
    YES_NO,
    CliError,
    emit_result,
    find_policy,
    named_values,
    number,
    percent,
    policy_title,
    show_value,
    shown_name,
)

FORMATS = ["table", "json", "xlsx"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD / a date is written YYYY-MM-DD, got {text!r}") from None


def _unit_header(policy: Policy) -> str:
    """What one enrolled unit is called: 小镇 Town, 高新区 Zone …"""
    kind = policy.identity.unit_kind
    return f"{kind.zh} {kind.en[:1].upper()}{kind.en[1:]}"


def _tier_label(policy: Policy, tier: str | None) -> str:
    if tier is None:
        return "—"
    for t in policy.lifecycle.tiers:
        if t.id == tier:
            return f"{t.label.zh} {t.label.en.lower()}"
    return tier


def _require_basis(facts: pl.DataFrame, basis: str, why: str) -> None:
    """Stop early when no row has the basis the command reads (plan at application, actual later)."""
    if facts.filter(pl.col("basis") == basis).is_empty():
        zh = "计划" if basis == "plan" else "实际"
        raise CliError(f"事实中没有{zh}行 (basis={basis})，{why}")


# ---------------------------------------------------------------- evaluate

def cmd_evaluate(args: argparse.Namespace) -> int:
    policy = find_policy(args.policy)
    if not policy.criteria_for(args.stage):
        have = ", ".join(s for s in STAGES if policy.criteria_for(s))
        raise CliError(f"{policy.id} 在阶段 {args.stage} 没有准则 / has no criteria for stage {args.stage}; stages with criteria: {have}")
    facts = read_facts(args.facts, policy)
    if args.stage == "application":
        _require_basis(facts, "plan", "申报阶段只读计划行 / the facts have no plan rows: the application stage reads plan rows")
    else:
        _require_basis(facts, "actual", f"该阶段只读实际行 / the facts have no actual rows: stage {args.stage} reads actual rows")
    if args.reform:
        reformed = apply_reform(policy, read_reform(args.reform), args.reform)
        changes = compare_evaluations(policy, reformed, facts, args.stage, args.at)
        _emit_whatif(policy, args, changes, f"{STAGE_LABELS.get(args.stage, args.stage)}")
        return 0
    ev = evaluate(policy, facts, args.stage, args.at)
    if len(ev) == 0:
        raise CliError(f"{args.at} 之前没有实际数据 / no actual rows up to {args.at}")
    towns = list(ev)
    data = {
        "policy": policy.id,
        "stage": args.stage,
        "at": args.at,
        "facts": args.facts,
        "defaults": {cid: [d.as_dict() for d in found] for cid, found in _stage_defaults(policy, args.stage).items()},
        "towns": [
            {
                "town_id": tv.town_id, "town_name": tv.town_name, "period_year": tv.period_year,
                "verdict": tv.verdict, "outcomes": list(tv.outcomes),
            }
            for tv in towns
        ],
    }
    emit_result(args.format, args.output, table=_evaluate_table(policy, args, ev), data=data,
                sheets=_evaluate_sheets(policy, args.stage, ev))
    return 0


DEFAULT_MARK = "默认 default"


def _stage_defaults(policy: Policy, stage: str) -> dict[str, list[Any]]:
    """The stage's criteria that rest on a default (``default_source``), with those defaults."""
    return {c.id: found for c in policy.criteria_for(stage) if (found := criterion_defaults(policy, c.id))}


def _changed_lines(policy: Policy, change: TownChange) -> str:
    lines = []
    for c in change.criteria:
        numbers = ", ".join(f"{shown_name(policy, k)}={show_value(policy, k, v)}" for k, v in c.values.items())
        lines.append(f"{c.clause} {c.label_zh} / {c.label_en}: {c.before} → {c.after}; {numbers}")
        moved = [f"{shown_name(policy, k)} {show_value(policy, k, v)} → {show_value(policy, k, c.thresholds_after.get(k))}"
                 for k, v in c.thresholds_before.items() if c.thresholds_after.get(k) != v]
        if moved:
            lines.append(f"  阈值 thresholds: {'; '.join(moved)}")
    if change.clause_before != change.clause_after:
        lines.append(f"条款 clause: {change.clause_before or '—'} → {change.clause_after or '—'}")
    return "\n".join(lines) or "—"


def _emit_whatif(policy: Policy, args: argparse.Namespace, changes: list[TownChange], what: str) -> None:
    """The towns whose verdict or decision the reform changes: before, after, numbers and clauses."""
    reform = read_reform(args.reform)
    title = (f"{policy_title(policy)} — {what}\n"
             f"改革假设 what-if: {reform.name.zh} / {reform.name.en} ({args.reform}) — 不发布 never published\n")
    table = render_table(
        [_unit_header(policy), "现行 Before", "改革后 After", "变化的准则、数值与条款 Criteria, numbers and clauses that changed"],
        [[f"{c.town_id} {c.town_name or ''}".strip(), c.before, c.after, _changed_lines(policy, c)] for c in changes],
        max_widths=[24, 22, 22, 90],
    )
    summary = f"{len(changes)} 个结果改变 / {len(changes)} result(s) change"
    text = title + (table + "\n\n" + summary if changes else "没有结果改变 / no result changes")
    data = {"policy": policy.id, "reform": args.reform, "reform_name": reform.name.model_dump(), "changes": changes}
    sheet = Sheet("what-if 改革对比", ["town_id", "town_name", "before", "after", "criteria"],
                  [[c.town_id, c.town_name, c.before, c.after, _changed_lines(policy, c)] for c in changes])
    emit_result(args.format, args.output, table=text, data=data, sheets=[sheet])


def _evaluate_table(policy: Policy, args: argparse.Namespace, ev: Evaluation) -> str:
    towns = list(ev)
    at = f" · 日期 at: {args.at}" if args.at else ""
    out = [
        policy_title(policy),
        f"阶段 stage: {STAGE_LABELS[args.stage]}{at} · 事实 facts: {args.facts}",
        "",
        "结论 Verdicts",
    ]
    summary = []
    for tv in towns:
        failed = [o.criterion_id for o in tv.outcomes if o.outcome == "fail" and o.severity == "must"]
        advisory = [o.criterion_id for o in tv.outcomes if o.outcome == "fail" and o.severity != "must"]
        unknown = [o.criterion_id for o in tv.outcomes if o.outcome == "unknown"]
        summary.append([tv.town_id, tv.town_name or "", tv.period_year if args.stage != "application" else "",
                        OUTCOME_LABELS.get(tv.verdict, tv.verdict), "\n".join(failed), "\n".join(advisory), "\n".join(unknown)])
    headers = [_unit_header(policy), "名称 Name", "年份 Year", "结论 Verdict", "不符合(必须) Failed must", "不符合(原则上) Missed should", "待定 Unknown"]
    if args.stage == "application":
        headers.pop(2)
        summary = [row[:2] + row[3:] for row in summary]
    out.append(render_table(headers, summary))
    detail_headers = ["结果 Outcome", "条款 Clause", "要求 Criterion", "数值 Values", "阈值 Thresholds"]
    limits = [None, None, 40, 48, 40]
    defaults = _stage_defaults(policy, args.stage)
    details = {
        tv.town_id: [
            [f"{OUTCOME_LABELS[o.outcome]}\n{SEVERITY_LABELS.get(o.severity, o.severity)}"
             + (f"\n{DEFAULT_MARK}" if o.criterion_id in defaults else ""), o.clause,
             f"{o.label.zh}\n{o.label.en}", named_values(policy, o.values), named_values(policy, o.thresholds)]
            for o in tv.outcomes
        ]
        for tv in towns
    }
    widths = column_widths(detail_headers, [row for rows in details.values() for row in rows], limits)
    for tv in towns if not args.summary else []:
        year = f" · {tv.period_year}" if args.stage != "application" else ""
        out += ["", f"■ {tv.town_id} {tv.town_name or ''}{year} — {OUTCOME_LABELS.get(tv.verdict, tv.verdict)}"]
        out.append(render_table(detail_headers, details[tv.town_id], max_widths=limits, min_widths=widths, indent="  "))
    counts = Counter(tv.verdict for tv in towns)
    out += ["", f"共 {len(towns)} 个: 符合 {counts['pass']}, 不符合 {counts['fail']}, 待定 {counts['unknown']} / "
                f"{len(towns)} {policy.identity.unit_kind.en}(s): {counts['pass']} pass, {counts['fail']} fail, {counts['unknown']} unknown"]
    if counts["unknown"]:
        out.append("待定表示数据缺失，不是不符合 / unknown means data is missing, not a failure: fill the blank cells named above")
    if defaults:
        out += ["", f"{DEFAULT_MARK}: 以下准则依据的是默认取值或解读，不是政策原文 / these criteria rest on a default, "
                    "not on the seed's words (xiaozhen policies defaults)"]
        labels = {c.id: c.label for c in policy.criteria}
        for cid, found in defaults.items():
            out.append(f"  · {labels[cid].zh} / {labels[cid].en}:")
            out += [f"      {d.label.zh} / {d.label.en} — {d.source}" for d in found]
    return "\n".join(out)


def _evaluate_sheets(policy: Policy, stage: str, ev: Evaluation) -> list[Sheet]:
    towns = list(ev)
    defaults = _stage_defaults(policy, stage)
    verdicts = Sheet(
        "结论 Verdicts",
        ["小镇 town_id", "名称 town_name", "年份 period_year", "结论 verdict", "不符合 failed", "待定 unknown"],
        [[tv.town_id, tv.town_name, tv.period_year, tv.verdict,
          ", ".join(o.criterion_id for o in tv.outcomes if o.outcome == "fail"),
          ", ".join(o.criterion_id for o in tv.outcomes if o.outcome == "unknown")] for tv in towns],
    )
    long = ev.long()
    headers = {
        "town_id": "小镇 town_id", "town_name": "名称 town_name", "period_year": "年份 period_year",
        "verdict": "结论 verdict", "criterion": "准则 criterion", "label_zh": "要求", "label_en": "Criterion",
        "severity": "严格度 severity", "outcome": "结果 outcome", "clause": "条款 clause",
        "values": "数值 values", "thresholds": "阈值 thresholds",
    }
    at = list(long.columns).index("criterion")
    outcomes = Sheet("明细 Outcomes", [*(headers.get(c, c) for c in long.columns), DEFAULT_MARK],
                     [[*r, "; ".join(d.source for d in defaults.get(r[at], []))] for r in long.iter_rows()])
    return [verdicts, outcomes]


# ------------------------------------------------------------------ assess

def cmd_assess(args: argparse.Namespace) -> int:
    policy = find_policy(args.policy)
    if not policy.lifecycle.transitions and not policy.lifecycle.excellence:
        raise CliError(f"{policy.id} 没有年度升降规则 / has no lifecycle transitions to assess")
    history = read_facts(args.history, policy)
    actual = history.filter(pl.col("basis") == "actual")
    years = sorted({int(p[:4]) for p in actual["period"].to_list() if p})
    if args.year not in years:
        shown = ", ".join(map(str, years)) or "无 none"
        raise CliError(f"{args.history}: 没有 {args.year} 年的实际行 / no actual rows for {args.year}; years present: {shown}")
    try:
        if args.reform:
            reformed = apply_reform(policy, read_reform(args.reform), args.reform)
            changes = compare_assessments(policy, reformed, history, args.year)
            _emit_whatif(policy, args, changes, f"{args.year} 年度考核 assessment")
            return 0
        proposals = assess(policy, history, args.year)
    except HistoryError as exc:
        raise CliError(f"{args.history}: 历史表需要 tier 列 (每年所处层级) / {exc}") from None
    data = {"policy": policy.id, "year": args.year, "history": args.history, "towns": proposals}
    emit_result(args.format, args.output, table=_assess_table(policy, args, proposals), data=data,
                sheets=_assess_sheets(policy, proposals))
    return 0


def _assess_table(policy: Policy, args: argparse.Namespace, proposals: list[Proposal]) -> str:
    out = [policy_title(policy), f"{args.year} 年度考核 annual assessment · 历史 history: {args.history}", ""]
    rows = [
        [p.town_id, p.town_name or "", _tier_label(policy, p.tier), YES_NO[p.annual_met], p.missed_streak,
         ACTION_LABELS.get(p.action, p.action), _tier_label(policy, p.next_tier), "★ 优秀 excellent" if p.excellent else ""]
        for p in proposals
    ]
    out.append(render_table(
        [_unit_header(policy), "名称 Name", "当前层级 Tier", "年度达标 Met", "连续未达标 Missed", "建议 Action", "下一层级 Next tier", "优秀 Excellent"],
        rows,
    ))
    out += ["", "理由 Reasons"]
    for p in proposals:
        move = (f"{_tier_label(policy, p.tier)} → {_tier_label(policy, p.next_tier)}" if p.next_tier != p.tier
                else _tier_label(policy, p.tier))
        out.append(f"■ {p.town_id} {p.town_name or ''}: {ACTION_LABELS.get(p.action, p.action)} · {move}")
        out += [f"    · {_bilingual_reason(policy, reason)}" for reason in p.reasons]
    counts = Counter(p.action for p in proposals)
    parts = ", ".join(f"{ACTION_LABELS.get(a, a)} {n}" for a, n in sorted(counts.items()))
    excellent = sum(p.excellent for p in proposals)
    out += ["", f"共 {len(proposals)} 个 / {len(proposals)} {policy.identity.unit_kind.en}(s): {parts}; 优秀 excellent {excellent}",
            "以上为建议，由主管部门审定 / these are proposals: the programme office decides"]
    return "\n".join(out)


def _bilingual_reason(policy: Policy, reason: str) -> str:
    """The engine cites a criterion by its Chinese label ("不符合 完成年度建设进度 (003 §四(三)): …"): add the English."""
    for c in policy.criteria:
        for outcome, mark in (("fail", "✗"), ("unknown", "?"), ("pass", "✓")):
            head = f"{term('outcome', outcome).zh} {c.label.zh} ({c.clause}):"
            if reason.startswith(head):
                return f"{mark} {OUTCOME_LABELS[outcome].split(' ', 1)[1]}: {c.label.zh} / {c.label.en} ({c.clause}):{reason[len(head):]}"
    return reason


def _assess_sheets(policy: Policy, proposals: list[Proposal]) -> list[Sheet]:
    return [Sheet(
        "考核 Assessment",
        ["小镇 town_id", "名称 town_name", "年份 year", "当前层级 tier", "年度达标 annual_met", "连续未达标 missed_streak",
         "本层级年数 years_in_tier", "建议 action", "下一层级 next_tier", "条款 clause", "优秀 excellent", "理由 reasons"],
        [[p.town_id, p.town_name, p.year, _tier_label(policy, p.tier), p.annual_met, p.missed_streak, p.years_in_tier,
          ACTION_LABELS.get(p.action, p.action), _tier_label(policy, p.next_tier), p.clause, p.excellent,
          "\n".join(_bilingual_reason(policy, r) for r in p.reasons)]
         for p in proposals],
    )]


# ----------------------------------------------------------------- targets

def cmd_targets(args: argparse.Namespace) -> int:
    policy = find_policy(args.policy)
    if not policy.targets:
        print(f"{policy.id} 没有量化目标 / has no programme targets (see `xiaozhen policies show {policy.id}`)")
        return 0
    facts = read_facts(args.facts, policy)
    _require_basis(facts, "actual", "目标按实际行计算 / the facts have no actual rows: targets are computed from them")
    results = track_targets(policy, facts)
    data = {"policy": policy.id, "facts": args.facts, "targets": results}
    emit_result(args.format, args.output, table=_targets_table(policy, args, results), data=data,
                sheets=_targets_sheets(results))
    return 0


_COMPARISON = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _fmt_target(t: TargetProgress, value: float | None, projected: bool = False) -> str:
    if value is None:
        return "— 缺 missing"
    if t.unit in ("share", "比例"):
        return percent(value)
    # A projection is an estimate: six significant digits, not 9818.3333.
    shown = f"{value:.6g}" if projected and abs(value) < 1e15 and "e" not in f"{value:.6g}" else number(value)
    return f"{shown} {t.unit}"


def _on_track(flag: bool | None) -> str:
    return {True: "✓ 是 on track", False: "✗ 否 behind", None: "? 待定 unknown"}[flag]


def _targets_table(policy: Policy, args: argparse.Namespace, results: list[TargetProgress]) -> str:
    out = [policy_title(policy), f"目标进度 target progress · 事实 facts: {args.facts}", ""]
    rows: list[list[Any]] = []
    for t in results:
        latest = _fmt_target(t, t.latest) + (f" ({t.latest_year})" if t.latest_year else "")
        progress = percent(t.progress) if t.progress is not None else "—"
        goal = f"{_COMPARISON.get(t.comparison, t.comparison)} {_fmt_target(t, t.target)} ({t.target_year})"
        rows.append([t.target_id, f"{t.label.zh}\n{t.label.en}", t.clause, goal,
                     latest, progress, _fmt_target(t, t.projected, projected=True), _on_track(t.on_track)])
    out.append(render_table(
        ["目标 Target", "名称 Label", "条款 Clause", "目标值 Goal (年 year)", "最新 Latest", "进度 Progress", "线性预测 Projected", "按期 On track"],
        rows, max_widths=[None, 36, None, None, None, None, None, None],
    ))
    out += ["", "线性预测：按已有年份的最小二乘直线推到目标年 / projected: a least-squares line through the years so far, "
                "read at the target year"]
    return "\n".join(out)


def _targets_sheets(results: list[TargetProgress]) -> list[Sheet]:
    return [Sheet(
        "目标 Targets",
        ["目标 target_id", "名称", "Label", "条款 clause", "比较 comparison", "目标值 target", "单位 unit", "目标年 target_year",
         "最新年 latest_year", "最新 latest", "进度 progress", "预测 projected", "按期 on_track", "历年 series"],
        [[t.target_id, t.label.zh, t.label.en, t.clause, t.comparison, t.target, t.unit, t.target_year, t.latest_year,
          t.latest, t.progress, t.projected, t.on_track, "; ".join(f"{y}: {'' if v is None else number(v)}" for y, v in t.series)]
         for t in results],
    )]


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--policy", required=True, metavar="ID",
                       help="计划编号或文件 / programme id or file (see `xiaozhen policies list`)")
        p.add_argument("--format", choices=FORMATS, default="table", help="输出格式 / output format (default table)")
        p.add_argument("--output", "-o", metavar="FILE", help="写入文件 / write to FILE (needed for xlsx)")
        if p.prog.split()[-1] in ("evaluate", "assess"):
            p.add_argument("--reform", metavar="REFORM.yaml",
                           help="改革假设：按现行与改革后各算一次，列出结果改变的小镇 / what-if: run as-is and under the "
                                "reform file, show the towns whose result changes")

    p_eval = sub.add_parser("evaluate", help="按阶段评估小镇 / evaluate towns against a stage's criteria",
                            description="逐个小镇给出结论及每条准则的结果、数值、阈值和条款 / each town's verdict and every criterion with values, thresholds and clause")
    common(p_eval)
    p_eval.add_argument("--stage", required=True, choices=list(STAGES), help="阶段 / stage")
    p_eval.add_argument("--at", type=_date, metavar="DATE", help="评估日期 YYYY-MM-DD / the date whose parameters apply")
    p_eval.add_argument("--summary", action="store_true", help="只显示结论表 / only the verdicts table, no per-criterion detail")
    p_eval.add_argument("facts", metavar="FACTS", help="事实文件 / facts file (.csv, .xlsx, .json)")
    p_eval.set_defaults(func=cmd_evaluate)

    p_assess = sub.add_parser("assess", help="年度考核与升降 / annual assessment: demote, exit, promote, name …",
                              description="按历史表提出每个小镇的升降建议及理由 / propose each town's next tier from its history, with reasons")
    common(p_assess)
    p_assess.add_argument("--year", required=True, type=int, help="考核年份 / the year assessed")
    p_assess.add_argument("history", metavar="HISTORY", help="历史事实文件(含 tier 列) / history facts file with a tier column")
    p_assess.set_defaults(func=cmd_assess)

    p_targets = sub.add_parser("targets", help="计划目标进度 / programme targets: progress and projection",
                               description="每个目标的最新值、进度、线性预测和是否按期 / each target's latest value, progress, projection and whether it is on track")
    common(p_targets)
    p_targets.add_argument("facts", metavar="FACTS", help="事实文件 / facts file (.csv, .xlsx, .json)")
    p_targets.set_defaults(func=cmd_targets)

