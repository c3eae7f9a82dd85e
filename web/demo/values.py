"""Indicator values for demo towns that make the engine's verdicts varied, for any policy file.

Nothing here knows a programme: for each stage it *searches* a template of values that
passes every criterion, by asking the engine (all candidates evaluated at once as
synthetic towns), and finds for each must-criterion a small change that breaks it.
A town is then strong (the template with a little noise → pass), weak (one criterion
broken → fail) or patchy (one input left blank → unknown).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from xiaozhen.engine import evaluate
from xiaozhen.facts import FactsError, frame_from_records
from xiaozhen.facts._records import implausible
from xiaozhen.policy import Policy, reported_inputs

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
Values = dict[str, Any]


def _family(policy: Policy, ident: str) -> list[str]:
    """An indicator and every indicator that is part of it (directly or not)."""
    members = [ident]
    for ind in policy.indicators:
        if ind.part_of and ind.part_of in members and ind.id not in members:
            members.append(ind.id)
    return members


def _clamped(policy: Policy, ident: str, value: Any) -> Any:
    """The value moved into the indicator's declared plausible range (A-levels 1–5, areas above 0)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    ind = policy.indicator(ident)
    if ind.minimum is not None and value < ind.minimum:
        value = float(ind.minimum)
    if ind.maximum is not None and value > ind.maximum:
        value = float(ind.maximum)
    if ind.positive and value <= 0:
        value = 1.0 if ind.type == "count" else 0.01
    return value


def _fit_parts_of_whole(policy: Policy, values: Values) -> None:
    """Shrink the parts of each parts-of-whole group so together they stay within their whole."""
    for group in policy.parts_of_whole:
        whole = values.get(group.whole)
        parts = [p for p in group.parts if values.get(p) is not None]
        total = sum(values[p] for p in parts)
        if whole is None or not parts or total <= whole:
            continue
        scale = 0.9 * whole / total if total else 0.0
        for p in parts:
            values[p] = values[p] * scale


def initial_values(policy: Policy, criteria_inputs: set[str]) -> Values:
    values: Values = {}
    for ind in policy.indicators:
        if ind.kind != "reported":
            continue
        if ind.type == "boolean":
            values[ind.id] = True if ind.id in criteria_inputs else None
        elif ind.type == "share":
            values[ind.id] = 0.8
        elif ind.type in ("text", "year"):
            values[ind.id] = None
        elif ind.type == "count":
            values[ind.id] = 20.0
        elif ind.type == "number":
            values[ind.id] = 1.0
        else:
            values[ind.id] = 10.0
    for ind in policy.indicators:  # parts start as a share of their whole
        if ind.kind == "reported" and ind.part_of and values.get(ind.part_of) is not None and ind.type != "boolean":
            values[ind.id] = values[ind.part_of] * (0.05 if ind.blank_is_zero else 0.8)
    for ident in list(values):
        values[ident] = _clamped(policy, ident, values[ident])
    _fit_parts_of_whole(policy, values)
    return values


def _normalised(policy: Policy, values: Values) -> Values | None:
    """The values as valid facts (counts whole), or None when no town could report them."""
    out = dict(values)
    for ind in policy.indicators:
        v = out.get(ind.id)
        if v is None or ind.kind != "reported" or ind.type in ("boolean", "text"):
            continue
        if ind.type == "count":
            out[ind.id] = v = float(round(v))
        if ind.type == "share" and not 0 <= v <= 1:
            return None
        if implausible(ind, v):
            return None
    for ind in policy.indicators:
        v, whole = out.get(ind.id), out.get(ind.part_of or "")
        if ind.part_of and v is not None and whole is not None and ind.type != "boolean" and v > whole:
            return None
    for group in policy.parts_of_whole:
        whole, parts = out.get(group.whole), [out.get(p) for p in group.parts]
        if whole is not None and all(p is not None for p in parts) and sum(float(p or 0) for p in parts) > whole:
            return None
    return out


@dataclass
class StageSetting:
    policy: Policy
    stage: str
    category: str | None
    at: dt.date
    years: list[int]
    tier: str | None = None  # the tier the synthetic towns hold (some criteria read it)

    @property
    def basis(self) -> str:
        return "plan" if self.stage == "application" else "actual"


def evaluate_many(setting: StageSetting, candidates: list[Values]) -> list[dict[str, str] | None]:
    """Each candidate's criterion outcomes (None when the values are not valid facts)."""
    policy = setting.policy
    usable = [_normalised(policy, c) for c in candidates]
    for _attempt in range(2):
        records, owners = [], []
        for k, values in enumerate(usable):
            if values is None:
                continue
            for year in setting.years:
                owners.append(k)
                records.append({
                    "town_id": f"C{k}", "category": setting.category, "sub_sector": f"S{k}", "tier": setting.tier,
                    "period": str(year), "basis": setting.basis,
                    **{i: v for i, v in values.items() if v is not None},
                })
        if not records:
            return [None] * len(candidates)
        try:
            frame = frame_from_records(policy, records, source="demo-search")
        except FactsError as exc:  # drop the candidates at fault and try once more
            for problem in exc.problems:
                if problem.row is not None and 0 < problem.row <= len(owners):
                    usable[owners[problem.row - 1]] = None
            continue
        stage_at = setting.at if setting.stage == "application" else None
        by_town = {tv.town_id: {o.criterion_id: o.outcome for o in tv.outcomes}
                   for tv in evaluate(policy, frame, setting.stage, stage_at)}
        return [by_town.get(f"C{k}") if usable[k] is not None else None for k in range(len(candidates))]
    return [None] * len(candidates)


def _score(policy: Policy, stage: str, outcomes: dict[str, str] | None) -> float:
    if outcomes is None:
        return -1.0
    score = 0.0
    for c in policy.criteria_for(stage):
        if outcomes.get(c.id) == PASS:
            score += 10 if c.severity == "must" else 1
    return score


def _variants(policy: Policy, values: Values, ident: str) -> list[Values]:
    ind = policy.indicator(ident)
    current = values.get(ident)
    options: list[Values] = []
    if ind.type == "boolean":
        for flag in (True, False):
            if flag != current:
                options.append({**values, ident: flag})
    elif ind.type == "share":
        for share in (0.05, 0.3, 0.6, 0.85, 0.95, 1.0):
            if share != current:
                options.append({**values, ident: share})
    elif ind.type in ("amount", "number", "count"):
        if ind.type == "count":  # exact small numbers ("one main industry", 000 §二(2))
            options += [{**values, ident: float(n)} for n in (0, 1, 2, 3, 4, 5) if n != current]
        if current is None:
            options.append({**values, ident: 10.0})
        else:
            for factor in (0.01, 0.1, 0.3, 3.0, 10.0, 100.0):
                changed = dict(values)
                for member in _family(policy, ident):
                    if changed.get(member) is not None and policy.indicator(member).type != "boolean":
                        changed[member] = changed[member] * factor
                options.append(changed)
    # Only values a town could report (within declared plausible ranges) are worth trying.
    return [o for o in options if _normalised(policy, o) is not None]


def _group_variants(policy: Policy, values: Values, idents: list[str]) -> list[Values]:
    """Moves no single change can make: all of a criterion's yes/no inputs at once, and
    every amount and count scaled together (ratios such as output per worker then hold)."""
    flags = [i for i in idents if policy.indicator(i).type == "boolean"]
    options = [{**values, **{i: flag for i in flags}} for flag in (True, False)] if len(flags) > 1 else []
    for kinds in (("amount", "count"), ("amount",), ("count",)):
        for factor in (0.3, 3.0, 20.0):
            changed = dict(values)
            for ind in policy.indicators:
                if ind.kind == "reported" and ind.type in kinds and changed.get(ind.id) is not None:
                    changed[ind.id] = changed[ind.id] * factor
            options.append(changed)
    return options


@dataclass
class Template:
    setting: StageSetting
    values: Values
    outcomes: dict[str, str]
    breakers: dict[str, Values] = field(default_factory=dict)  # must-criterion → values that fail it
    blankers: dict[str, str] = field(default_factory=dict)  # must-criterion → input left blank → unknown

    @property
    def passes(self) -> bool:
        return all(self.outcomes.get(c.id) == PASS for c in self.setting.policy.criteria_for(self.setting.stage)
                   if c.severity == "must")


def search_template(setting: StageSetting, rounds: int = 40, like: Template | None = None) -> Template:
    """Values passing every criterion of the stage (as many as the search can reach).

    ``like``: a template found for another category of the same programme and stage; the
    search starts from its values and keeps its breakers (most categories differ only in
    a threshold or two, so this saves nearly all the work).
    """
    policy, stage = setting.policy, setting.stage
    criteria = policy.criteria_for(stage)
    inputs = {c.id: reported_inputs(policy, c.expr) for c in criteria}
    values = dict(like.values) if like else initial_values(policy, {i for ids in inputs.values() for i in ids})
    (outcomes,) = evaluate_many(setting, [values])
    best = _score(policy, stage, outcomes)
    for _ in range(rounds):
        pending = [c for c in criteria if (outcomes or {}).get(c.id) != PASS]
        if not pending:
            break
        candidates = [v for c in pending for i in inputs[c.id] for v in _variants(policy, values, i)]
        candidates += [v for c in pending for v in _group_variants(policy, values, inputs[c.id])]
        if not candidates:
            break
        results = evaluate_many(setting, candidates)
        scores = [_score(policy, stage, r) for r in results]
        top = max(range(len(scores)), key=scores.__getitem__)
        if scores[top] <= best:
            break
        values, outcomes, best = candidates[top], results[top], scores[top]
    template = Template(setting, values, outcomes or {})
    if like is not None:
        template.breakers, template.blankers = like.breakers, like.blankers
    else:
        _find_breakers(template, inputs)
    return template


def _find_breakers(template: Template, inputs: dict[str, list[str]]) -> None:
    policy, stage = template.setting.policy, template.setting.stage
    must = [c for c in policy.criteria_for(stage) if c.severity == "must" and template.outcomes.get(c.id) == PASS]
    tried: list[tuple[str, Values]] = [
        (c.id, v) for c in must for i in inputs[c.id] for v in _variants(policy, template.values, i)
    ]
    if not tried:
        return
    results = evaluate_many(template.setting, [v for _, v in tried])
    for (criterion, values), outcome in zip(tried, results, strict=True):
        if outcome is None or outcome.get(criterion) != FAIL:
            continue
        others = sum(1 for c in must if outcome.get(c.id) == PASS)
        best = template.breakers.get(criterion)
        if best is None or others > best.get("__others__", -1):
            template.breakers[criterion] = {**values, "__others__": others}
    for c in must:
        blanks = [i for i in inputs[c.id] if not policy.indicator(i).blank_is_zero]
        if blanks:
            template.blankers[c.id] = blanks[0]


def town_values(template: Template, rng: random.Random, profile: str) -> Values:
    """One town's values for one period: strong, weak (a criterion broken) or patchy (a blank)."""
    policy = template.setting.policy
    values = dict(template.values)
    if profile == "weak" and template.breakers:
        criterion = rng.choice(sorted(template.breakers))
        values = {k: v for k, v in template.breakers[criterion].items() if k != "__others__"}
    elif profile == "patchy" and template.blankers:
        criterion = rng.choice(sorted(template.blankers))
        values[template.blankers[criterion]] = None
    # A little noise on the wholes; their parts follow, so part-of limits hold.
    for ind in policy.indicators:
        if ind.kind != "reported" or ind.part_of or ind.type not in ("amount", "count"):
            continue
        factor = rng.uniform(1.0, 1.12)
        for member in _family(policy, ind.id):  # never past a member's plausible maximum
            limit, v = policy.indicator(member).maximum, values.get(member)
            if limit is not None and isinstance(v, int | float) and not isinstance(v, bool) and v > 0:
                factor = min(factor, max(1.0, limit / v))
        for member in _family(policy, ind.id):
            if values.get(member) is not None and policy.indicator(member).type in ("amount", "count"):
                values[member] = values[member] * factor
    out: Values = {}
    for ident, value in values.items():
        if value is None:
            continue
        ind = policy.indicator(ident)
        if isinstance(value, int | float) and not isinstance(value, bool):
            # Within the indicator's plausible range (an A-level is 1–5), as an import would insist.
            if ind.maximum is not None:
                value = min(value, ind.maximum)
            if ind.minimum is not None:
                value = max(value, ind.minimum)
        kind = ind.type
        out[ident] = round(value) if kind == "count" else (round(value, 4) if isinstance(value, float) else value)
    return out


# --------------------------------------------------------------------------------------------------
# A town economy an official would believe (issue 12 §6)
#
# The search above only cares about what the criteria read, so the figures nothing checks (output,
# tax, value added, revenue, R&D, employees, energy, emissions, construction land) came out as
# whatever the search started from: tax equal to output, R&D equal to revenue, the same every year.
# ``plausible_economy`` replaces them, for the indicator ids below when a programme file declares
# them, with one coherent series per town, built from a tax per 亩 of construction land:
#
#   construction land   0.45–1.0 km² (675–1,500 亩; 002: about 1 km² per town), never above the plan area
#   tax per 亩          12–60 万元 (Zhejiang's county 亩均 practice; 002's 50万元 benchmark sits inside)
#   value added         tax ÷ 12–22 %          output        value added ÷ 22–32 %
#   revenue             output × 0.92–1.08      R&D           revenue × 1.5–4 %
#   employees           value added ÷ 18–45 万元 a head
#   energy              value added × 0.12–0.35 吨标准煤 per 万元
#   emissions           value added ÷ 300–1,500 万元 per 吨
#   growth              output 4–14 % a year (a weak year −6 % to +3 %); each ratio drifts ±3 % a year
#
# so tax < value added < output every year. An indicator a criterion reads is left as the search set
# it — except output, whose parts (feature output) are scaled with it, keeping the share criteria read.

ECONOMY_IDS = ("construction_area_km2", "output", "value_added", "tax", "main_revenue", "rd_expenditure",
               "employees", "energy_consumption", "emissions")
ECONOMY_RANGES = {
    "area_km2": (0.45, 1.0), "tax_per_mu": (12.0, 60.0), "tax_of_va": (0.12, 0.22), "va_of_output": (0.22, 0.32),
    "revenue_of_output": (0.92, 1.08), "rd_of_revenue": (0.015, 0.04), "va_per_head": (18.0, 45.0),
    "energy_per_va": (0.12, 0.35), "va_per_emission": (300.0, 1500.0),
}
GROWTH = {"strong": (0.04, 0.14), "weak": (-0.06, 0.03)}
MU_PER_KM2 = 1500.0


def _read_by_criteria(policy: Policy) -> set[str]:
    read: set[str] = set()
    for c in policy.criteria:
        read |= set(reported_inputs(policy, c.expr))
    return read


def plausible_economy(policy: Policy, by_year: dict[int, Values], rng: random.Random,
                      weak_years: set[int] | None = None) -> None:
    """Replace the town's economic figures in ``by_year`` (year → values, changed in place) with a
    coherent growing series; see the block comment above for the relations."""
    declared = {i.id for i in policy.indicators if i.kind == "reported"}
    read = _read_by_criteria(policy) - {"output"}
    touch = [i for i in ECONOMY_IDS if i in declared and i not in read]
    if not touch or not by_year:
        return
    r = {k: rng.uniform(lo, hi) for k, (lo, hi) in ECONOMY_RANGES.items()}
    output = None
    for year in sorted(by_year):
        values = by_year[year]
        planned = values.get("planned_area_km2")
        area = values.get("construction_area_km2") if "construction_area_km2" not in touch else r["area_km2"]
        if isinstance(planned, int | float) and area is not None:
            area = min(area, 0.9 * planned)
        if area is None or area <= 0:
            area = r["area_km2"]
        if output is None:  # the first year: from tax per 亩
            tax = r["tax_per_mu"] * area * MU_PER_KM2 / 10_000  # 亿元
            output = tax / r["tax_of_va"] / r["va_of_output"]
        else:
            weak = year in weak_years if weak_years is not None else rng.random() < 0.15
            lo, hi = GROWTH["weak" if weak else "strong"]
            output *= 1 + rng.uniform(lo, hi)
            for k in r:
                if k not in ("area_km2", "tax_per_mu"):
                    r[k] *= rng.uniform(0.97, 1.03)
        va = output * r["va_of_output"]
        revenue = output * r["revenue_of_output"]
        figures = {
            "construction_area_km2": round(area, 4), "output": output, "value_added": va,
            "tax": va * r["tax_of_va"], "main_revenue": revenue, "rd_expenditure": revenue * r["rd_of_revenue"],
            "employees": float(round(va * 10_000 / r["va_per_head"])),
            "energy_consumption": float(round(va * 10_000 * r["energy_per_va"])),
            "emissions": float(round(va * 10_000 / r["va_per_emission"], 1)),
        }
        old_output = values.get("output")
        for ident in touch:
            if ident == "output":
                if not isinstance(old_output, int | float) or old_output <= 0:
                    continue  # left blank on purpose (a patchy town): stays unknown
                for member in _family(policy, "output")[1:]:  # parts keep their share of output
                    if isinstance(values.get(member), int | float):
                        values[member] = round(values[member] * output / old_output, 4)
            values[ident] = round(figures[ident], 4)
