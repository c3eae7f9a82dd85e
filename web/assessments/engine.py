"""Glue between the database and the engine: a run's proposals from ``engine.annual_results``.

Pure decisions live in ``xiaozhen.engine`` (``annual_results``: the proposal, criteria outcomes
with their numbers, the grade, stars, risk grade, excellence score). This module only reads the
programme's facts from the database (``towns.facts.facts_with_sources``, which also says which
computed figures, e.g. enterprise-registry counts, were read) and turns each result into the
fields of a Proposal row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from towns.facts import FigureSource, facts_frame, facts_with_sources
from towns.models import Enrolment
from xiaozhen.engine import AnnualResult, TownChange, annual_results, compare_assessments
from xiaozhen.facts import frame_from_records
from xiaozhen.policy import Policy, referenced_names
from xiaozhen.verdicts import json_safe, outcomes_to_json

from .models import AssessmentRun

PROPOSED_FIELDS = (
    "tier", "annual_met", "missed_streak", "years_in_tier", "proposed_action", "proposed_next_tier",
    "proposed_transition_id", "proposed_clause", "proposed_grade", "score", "proposed_star_rating", "risk_grade",
    "risk_review_due", "excellence_score", "proposed_excellent", "reasons", "outcomes", "facts",
)
DECIDED_FIELDS = ("action", "next_tier", "transition_id", "clause", "grade", "star_rating", "excellent")
NO_DATA = "无该年度实际数据，未考核 / no actual figures for the year: not assessed"


def enrolments_assessed(programme, year: int):
    """The programme's open enrolments that began by the end of ``year``."""
    return (
        Enrolment.objects.filter(programme=programme, ended_on__isnull=True, started_on__lte=dt.date(year, 12, 31))
        .select_related("town__region")
        .order_by("town__code")
    )


def _history(run: AssessmentRun):
    """The run's towns' actual figures with their tier each year (None when there are none)."""
    frame = facts_frame(programme=run.programme, version=run.programme_version, basis="actual")
    if frame is None:
        return None
    frame = frame.filter(frame["tier"].is_not_null())
    return None if frame.is_empty() else frame


def results_and_sources(run: AssessmentRun) -> tuple[dict[str, AnnualResult], dict[str, list[str]]]:
    """The engine's result per town code, and per town the computed figures of the run's year it read
    (e.g. counts from the enterprise registry), each as a line for the proposal's reasons."""
    policy = run.programme_version.policy
    records, computed = facts_with_sources(programme=run.programme, policy=policy, basis="actual")
    if not records:
        return {}, {}
    frame = frame_from_records(policy, records, source=f"database:{run.programme.policy_id}")
    frame = frame.filter(frame["tier"].is_not_null())
    if frame.is_empty():
        return {}, {}
    results = {r.proposal.town_id: r for r in annual_results(policy, frame, run.year)}
    notes: dict[str, list[str]] = {}
    for (code, period), figures in sorted(computed.items()):
        if period[:4] == str(run.year):
            notes.setdefault(code, []).extend(source_line(f) for _, f in sorted(figures.items()))
    return results, notes


def source_line(f: FigureSource) -> str:
    """One computed figure as a person reads it: what was used, from where, what the town said, why."""
    reported = "—" if f.reported is None else f"{f.reported:g}" if isinstance(f.reported, float) else str(f.reported)
    used = f"{f.used:g}" if isinstance(f.used, float) else str(f.used)
    return (f"{f.label.zh} / {f.label.en}: 采用 used {used} — {f.source} ({f.how}); "
            f"小镇自报 the town reported {reported}{f' ({f.reported_source})' if f.reported_source else ''}. {f.why}")


def whatif_changes(run: AssessmentRun, reformed: Policy) -> list[TownChange]:
    """The towns whose proposed decision for the run's year differs under ``reformed`` (the core's
    ``compare_assessments`` on the same figures the run reads). Reads only; writes nothing."""
    frame = _history(run)
    if frame is None:
        return []
    return compare_assessments(run.programme_version.policy, reformed, frame, run.year)


def proposed_fields(enrolment: Enrolment, result: AnnualResult | None) -> dict[str, Any]:
    """What a Proposal row stores of the engine's result (or 'not assessed' without one)."""
    if result is None:
        return {
            "tier": enrolment.tier, "annual_met": None, "missed_streak": 0, "years_in_tier": 0,
            "proposed_action": "stay", "proposed_next_tier": enrolment.tier, "proposed_transition_id": "",
            "proposed_clause": "", "proposed_grade": "", "score": None, "proposed_star_rating": None,
            "risk_grade": "", "risk_review_due": False, "excellence_score": None, "proposed_excellent": False,
            "reasons": [NO_DATA], "outcomes": [], "facts": {},
        }
    p = result.proposal
    return {
        "tier": p.tier, "annual_met": p.annual_met, "missed_streak": p.missed_streak,
        "years_in_tier": p.years_in_tier, "proposed_action": p.action, "proposed_next_tier": p.next_tier,
        "proposed_transition_id": p.transition_id or "", "proposed_clause": p.clause or "",
        "proposed_grade": result.grade or "", "score": json_safe(result.score),
        "proposed_star_rating": result.star_rating, "risk_grade": result.risk_grade or "",
        "risk_review_due": result.risk_review_due, "excellence_score": json_safe(result.excellence_score),
        "proposed_excellent": p.excellent, "reasons": list(p.reasons),
        "outcomes": outcomes_to_json(result.outcomes),
        "facts": json_safe(dict(result.facts)),
    }


def decided_from_proposed(fields: dict[str, Any]) -> dict[str, Any]:
    """Until the officer overrides, the decision is the proposal."""
    return {
        "action": fields["proposed_action"], "next_tier": fields["proposed_next_tier"],
        "transition_id": fields["proposed_transition_id"], "clause": fields["proposed_clause"],
        "grade": fields["proposed_grade"], "star_rating": fields["proposed_star_rating"],
        "excellent": fields["proposed_excellent"],
    }


def risk_input(policy: Policy) -> str | None:
    """The reported text indicator through which assessors give the risk grade (002 §三(四))."""
    try:
        expr = policy.indicator("risk_grade").expr or ""
    except KeyError:
        return None
    for name in referenced_names(expr):
        try:
            ind = policy.indicator(name)
        except KeyError:
            continue
        if ind.kind == "reported" and ind.type == "text":
            return name
    return None
