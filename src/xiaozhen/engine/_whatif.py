"""What-if: the same facts under a programme and under a reform of it; the towns whose result changes.

Nothing here is a decision: a comparison is for an office weighing a change of rules (see
``xiaozhen.policy.apply_reform``), never published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..policy import Policy
from ._assess import AnnualResult, annual_results
from ._evaluate import CriterionOutcome, evaluate


@dataclass(frozen=True)
class CriterionChange:
    """One criterion whose outcome or severity differs, with the numbers under each."""

    criterion_id: str
    clause: str
    label_zh: str
    label_en: str
    before: str  # "fail (must)"
    after: str
    values: dict[str, Any]
    thresholds_before: dict[str, Any]
    thresholds_after: dict[str, Any]
    outcome_before: str = ""  # pass | fail | unknown, as the engine says it (``before`` spells it out)
    severity_before: str = ""  # must | should
    outcome_after: str = ""
    severity_after: str = ""


@dataclass(frozen=True)
class TownChange:
    town_id: str
    town_name: str | None
    before: str  # a verdict, or "action → next_tier"
    after: str
    criteria: tuple[CriterionChange, ...] = field(default_factory=tuple)
    clause_before: str | None = None
    clause_after: str | None = None
    # An assessment's decision in parts (``before``/``after`` spell it out), for pages that label them.
    action_before: str | None = None
    next_tier_before: str | None = None
    excellent_before: bool | None = None
    action_after: str | None = None
    next_tier_after: str | None = None
    excellent_after: bool | None = None


def _criteria_changes(before: tuple[CriterionOutcome, ...], after: tuple[CriterionOutcome, ...]) -> tuple[CriterionChange, ...]:
    after_by_id = {o.criterion_id: o for o in after}
    out = []
    for b in before:
        a = after_by_id.get(b.criterion_id)
        if a is None or (a.outcome, a.severity, a.thresholds) == (b.outcome, b.severity, b.thresholds):
            continue
        if a.outcome == b.outcome == "pass" and a.thresholds == b.thresholds:
            continue  # a severity switched on a line the town meets: no difference to it
        out.append(CriterionChange(b.criterion_id, b.clause, b.label.zh, b.label.en, f"{b.outcome} ({b.severity})",
                                   f"{a.outcome} ({a.severity})", b.values, b.thresholds, a.thresholds,
                                   b.outcome, b.severity, a.outcome, a.severity))
    return tuple(out)


def compare_evaluations(
    policy: Policy, reformed: Policy, facts: pl.DataFrame, stage: str, at: dt.date | None = None
) -> list[TownChange]:
    """Towns whose verdict changes under the reform, with every criterion that changed."""
    before = {tv.town_id: tv for tv in evaluate(policy, facts, stage, at)}
    changes = []
    for tv in evaluate(reformed, facts, stage, at):
        old = before[tv.town_id]
        if old.verdict != tv.verdict:
            changes.append(TownChange(tv.town_id, tv.town_name, old.verdict, tv.verdict,
                                      _criteria_changes(old.outcomes, tv.outcomes)))
    return changes


def _decision(result: AnnualResult) -> str:
    p = result.proposal
    return f"{p.action} → {p.next_tier}" + (" ★" if p.excellent else "")


def compare_assessments(policy: Policy, reformed: Policy, history: pl.DataFrame, year: int) -> list[TownChange]:
    """Towns whose proposed decision (action, next tier, excellence) changes under the reform."""
    before = {r.proposal.town_id: r for r in annual_results(policy, history, year)}
    changes = []
    for r in annual_results(reformed, history, year):
        old = before[r.proposal.town_id]
        if _decision(old) != _decision(r):
            changes.append(TownChange(
                r.proposal.town_id, r.proposal.town_name, _decision(old), _decision(r),
                _criteria_changes(old.outcomes, r.outcomes), old.proposal.clause, r.proposal.clause,
                old.proposal.action, old.proposal.next_tier, old.proposal.excellent,
                r.proposal.action, r.proposal.next_tier, r.proposal.excellent,
            ))
    return changes
