"""`xiaozhen policies list | show ID | defaults [--policy ID] | validate [PATH]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .._output import render_table, to_json, wrap
from ..policy import (
    Policy,
    PolicyFileError,
    PolicyProblem,
    load_policy_file,
    policies_dir,
    policy_defaults,
)
from ._common import (
    ACTION_LABELS,
    SEVERITY_LABELS,
    STAGE_LABELS,
    CliError,
    PolicyProblems,
    emit,
    find_policy,
    load_policies,
    policy_title,
    show_value,
    shown_path,
)


def cmd_list(args: argparse.Namespace) -> int:
    found, problems = load_policies()
    rows: list[dict[str, Any]] = [
        {
            "id": policy.id,
            "name": policy.identity.name.model_dump(),
            "seed": policy.identity.seed,
            "source": policy.identity.source,
            "criteria": len(policy.criteria),
            "file": str(path),
        }
        for policy, path in sorted(found.values(), key=lambda item: item[0].id)
    ]
    if args.format == "json":
        emit(to_json(rows), None)
    else:
        table = render_table(
            ["编号 ID", "名称", "Name", "依据 Seed", "准则 Criteria", "文件 File"],
            [[r["id"], r["name"]["zh"], r["name"]["en"], r["seed"] or _short(r["source"]), r["criteria"], Path(r["file"]).name]
             for r in rows],
            max_widths=[None, 30, 40, 28, None, None],
        )
        emit(f"{table}\n\n共 {len(rows)} 个计划 / {len(rows)} programme(s) in {shown_path(policies_dir())}", None)
    if problems:
        raise PolicyProblems(problems, "以下计划文件无法读取 / these programme files have problems")
    return 0


def _short(text: str | None, width: int = 24) -> str:
    """The head of a long source note: up to its first comma, at most ``width`` columns."""
    if not text:
        return "—"
    head = text.split(",")[0].split("，")[0].strip()
    lines = wrap(head, width)
    return lines[0] + ("…" if len(lines) > 1 or head != text.strip() else "")


def _values_cell(policy: Policy, name: str, param_values: list[Any]) -> str:
    categories = {c.id: c.label.zh for c in policy.categories}
    lines = []
    for v in param_values:
        line = f"{v.from_.isoformat()} 起 from: {show_value(policy, name, v.value)}"
        for cat, value in v.by_category.items():
            line += f"\n  {categories.get(cat, cat)} {cat}: {show_value(policy, name, value)}"
        lines.append(line)
    return "\n".join(lines)


def _show_text(policy: Policy, path: str) -> str:
    ident = policy.identity
    out = [
        policy_title(policy),
        f"编号 id: {policy.id} · 类型 type: {ident.programme_type} · 单位 unit: {ident.unit_kind.zh} {ident.unit_kind.en}",
        f"发文 issuer: {ident.issuer.zh} / {ident.issuer.en}",
        f"文号 document: {ident.document_number}",
        f"依据 seed: {ident.seed or ident.source} · 生效 effective: {ident.effective_from}"
        + (f" – {ident.effective_to}" if ident.effective_to else " 起 onwards"),
        f"文件 file: {path}",
    ]
    if policy.categories:
        out += ["", f"类别 Categories ({len(policy.categories)})"]
        out.append(render_table(
            ["编号 ID", "名称 Label", "细分产业 Sub-sectors"],
            [[c.id, f"{c.label.zh}\n{c.label.en}", "、".join(c.sub_sectors)] for c in policy.categories],
            max_widths=[None, 34, 60], indent="  ",
        ))
    if policy.parameters:
        out += ["", f"参数 Parameters ({len(policy.parameters)}): 按日期生效的取值 / values by the date they take effect"]
        out.append(render_table(
            ["编号 ID", "名称 Label", "单位 Unit", "条款 Clause", "取值 Values"],
            [[p.id, f"{p.label.zh}\n{p.label.en}", p.unit, p.clause, _values_cell(policy, p.id, list(p.values))]
             for p in policy.parameters],
            max_widths=[None, 40, None, None, 44], indent="  ",
        ))
        for p in policy.parameters:
            if not p.default_source:
                continue
            out.append(f"  * {p.id}: {' '.join((p.default_source or '').split())}")
    out += ["", f"指标 Indicators ({len(policy.indicators)}): 事实文件的列 / the columns of a facts file (reported)"]
    rows = []
    for ind in policy.indicators:
        notes = []
        if ind.kind == "derived":
            notes.append(f"派生 derived: {ind.expr}")
        if ind.part_of:
            notes.append(f"不大于 ≤ {ind.part_of}")
        if ind.blank_is_zero:
            notes.append("空白为 0 / blank is zero")
        if ind.cumulative:
            notes.append("累计值 running total")
        if ind.aggregate == "sum":
            notes.append(f"可用 cum_{ind.id}, first_{ind.id}")
        if ind.period == "quarter":
            notes.append("按季度 quarterly")
        rows.append([ind.id, f"{ind.label.zh}\n{ind.label.en}", ind.unit, ind.type,
                     "报送 reported" if ind.kind == "reported" else "派生 derived", ind.aggregate,
                     "\n".join(notes), ind.clause or ""])
    out.append(render_table(
        ["编号 ID", "名称 Label", "单位 Unit", "类型 Type", "来源 Kind", "汇总 Aggregate", "说明 Notes", "条款 Clause"],
        rows, max_widths=[None, 36, None, None, None, None, 40, None], indent="  ",
    ))
    out += ["", f"准则 Criteria ({len(policy.criteria)})"]
    for stage, label in STAGE_LABELS.items():
        crit = policy.criteria_for(stage)
        if not crit:
            continue
        out.append(f"  {label} ({len(crit)})")
        out.append(render_table(
            ["编号 ID", "严格度 Severity", "条款 Clause", "要求 Criterion", "表达式 Expression"],
            [[c.id, SEVERITY_LABELS.get(c.severity, c.severity), c.clause, f"{c.label.zh}\n{c.label.en}", " ".join(c.expr.split())]
             for c in crit],
            max_widths=[None, None, None, 44, 48], indent="    ",
        ))
    life = policy.lifecycle
    out += ["", f"层级 Tiers ({len(life.tiers)}) · 入选层级 entry tiers: {', '.join(life.entry_tiers)}"
            + (f" · 验收年限 acceptance after {life.acceptance_after_years} 年 years" if life.acceptance_after_years else "")]
    out.append(render_table(
        ["编号 ID", "名称 Label", "每年考核 Assessed on", "终止 Terminal"],
        [[t.id, f"{t.label.zh} {t.label.en}", STAGE_LABELS.get(t.stage or "", "—"), "是 yes" if t.terminal else ""]
         for t in life.tiers],
        indent="  ",
    ))
    if life.transitions:
        out += ["", f"转换 Transitions ({len(life.transitions)}): 按顺序尝试，第一个成立的生效 / tried in order, the first that holds applies"]
        out.append(render_table(
            ["#", "编号 ID", "动作 Action", "从 From → 到 To", "条件 When", "条款 Clause", "说明 Label"],
            [[i, t.id, ACTION_LABELS.get(t.action, t.action), f"{', '.join(t.from_)} → {t.to or '(不变 same)'}",
              " ".join(t.when.split()) if t.when else "官员决定 officer decides", t.clause, f"{t.label.zh}\n{t.label.en}"]
             for i, t in enumerate(life.transitions, start=1)],
            max_widths=[None, None, None, 28, 36, None, 44], indent="  ",
        ))
    if life.excellence:
        exc = life.excellence
        out += ["", f"优秀 Excellence: {exc.label.zh} / {exc.label.en} — 前 top {exc.top}, 得分 score = {exc.score} ({exc.clause})"]
    if policy.targets:
        out += ["", f"目标 Targets ({len(policy.targets)})"]
        out.append(render_table(
            ["编号 ID", "名称 Label", "目标 Target", "年份 Year", "条款 Clause", "表达式 Expression"],
            [[t.id, f"{t.label.zh}\n{t.label.en}", f"{t.comparison} {t.target:g} {t.unit}", t.year, t.clause, t.expr]
             for t in policy.targets],
            max_widths=[None, 40, None, None, None, 40], indent="  ",
        ))
    return "\n".join(out)


def cmd_show(args: argparse.Namespace) -> int:
    policy = find_policy(args.policy)
    found, _ = load_policies()
    path = str(found[policy.id][1]) if policy.id in found else args.policy
    if args.format == "json":
        emit(to_json({"file": path, **policy.model_dump(mode="json", by_alias=True)}), None)
    else:
        emit(_show_text(policy, path), None)
    return 0


_KIND_LABELS = {
    "parameter": "参数 parameter",
    "criterion": "准则 criterion",
    "transition": "转换 transition",
    "excellence": "评优 excellence",
    "indicator": "合理范围 plausible range",
}


def _shown_default_value(value: Any) -> str:
    if isinstance(value, list):  # a parameter's dated values
        return "\n".join(f"{v['from']} 起 from: {v['value']}" + (f" {v['by_category']}" if "by_category" in v else "") for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return " ".join(str(value).split())


def cmd_defaults(args: argparse.Namespace) -> int:
    if args.policy:
        policies = [find_policy(args.policy)]
    else:
        found, problems = load_policies()
        if problems:
            raise PolicyProblems(problems, "以下计划文件无法读取 / these programme files have problems")
        policies = [policy for policy, _ in sorted(found.values(), key=lambda item: item[0].id)]
    if args.format == "json":
        emit(to_json([{"policy": p.id, "defaults": [d.as_dict() for d in policy_defaults(p)]} for p in policies]), None)
        return 0
    blocks = []
    for policy in policies:
        defaults = policy_defaults(policy)
        table = render_table(
            ["类别 Kind", "编号 ID", "条款 Clause", "说明 Label", "取值 Value", "默认依据 Default source"],
            [[_KIND_LABELS[d.kind], d.id, d.clause, f"{d.label.zh}\n{d.label.en}", _shown_default_value(d.value), d.source]
             for d in defaults],
            max_widths=[None, 26, 14, 30, 28, 60], indent="  ",
        )
        blocks.append(f"{policy_title(policy)} — {len(defaults)} 项默认 default(s), 非种子原文 not in the seed\n{table}")
    emit("\n\n".join(blocks), None)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    target = Path(args.path) if args.path else shown_path(policies_dir())
    if not target.exists():
        raise CliError(f"{target}: 文件或文件夹不存在 / no such file or folder")
    files = sorted([*target.glob("*.yaml"), *target.glob("*.yml")]) if target.is_dir() else [target]
    files = [shown_path(f) for f in files]
    if not files:
        raise CliError(f"{target}: 没有 .yaml 计划文件 / no .yaml programme files here")
    problems: list[PolicyProblem] = []
    ids: dict[str, Path] = {}
    valid = 0
    for path in files:
        try:
            policy = load_policy_file(path)
        except PolicyFileError as exc:
            problems.extend(exc.problems)
            continue
        if policy.id in ids:
            problems.append(PolicyProblem(str(path), "identity.id", None,
                                          f"编号与 {ids[policy.id]} 重复 / id {policy.id!r} is also used by {ids[policy.id]}"))
            continue
        ids[policy.id] = path
        valid += 1
        print(f"✓ {path}: {policy.id} — {len(policy.criteria)} 条准则 criteria")
    for problem in problems:
        print(str(problem), file=sys.stderr)
    bad = len({p.path for p in problems})
    print(f"{valid} 个文件有效，{bad} 个有问题 / {valid} valid, {bad} with problems")
    return 2 if problems else 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    parser = sub.add_parser("policies", help="计划文件 / programme files: list, show, validate",
                            description="计划文件 / programme files under policies/ (or $XIAOZHEN_POLICIES)")
    actions = parser.add_subparsers(dest="action", metavar="list|show|defaults|validate", required=True)
    p_list = actions.add_parser("list", help="列出计划 / list the programmes")
    p_list.add_argument("--format", choices=["table", "json"], default="table")
    p_list.set_defaults(func=cmd_list)
    p_show = actions.add_parser("show", help="显示一个计划 / show one programme")
    p_show.add_argument("policy", metavar="ID", help="计划编号或文件 / programme id or file, e.g. tongzhou-towns")
    p_show.add_argument("--format", choices=["table", "json"], default="table")
    p_show.set_defaults(func=cmd_show)
    p_def = actions.add_parser("defaults", help="列出默认值及其依据 / every default not in the seed, with its source")
    p_def.add_argument("--policy", metavar="ID", help="只看一个计划 / one programme only")
    p_def.add_argument("--format", choices=["table", "json"], default="table")
    p_def.set_defaults(func=cmd_defaults)
    p_val = actions.add_parser("validate", help="检查计划文件 / check programme files")
    p_val.add_argument("path", metavar="PATH", nargs="?", help="文件或文件夹 / a file or folder (default: policies/)")
    p_val.set_defaults(func=cmd_validate)
