"""Annual decisions from a town's history: demote, exit, promote, extend, name, cancel …

The history is the facts table with basis ``actual`` and a ``tier`` column: the
tier each town held during each year. For the assessed year the engine:

1. evaluates, for every town-year at once, the criteria of the stage that the
   town's tier is assessed on (``lifecycle.tiers[].stage``) → ``annual_met``;
2. derives history numbers: ``missed_streak`` (consecutive years ending now
   with ``annual_met`` false), ``years_in_tier``, ``years_in_programme``;
3. applies the programme's transitions in file order; the first whose
   ``from`` tier matches and whose ``when`` is true is proposed;
4. marks the year's excellent towns among those that met the standard.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..glossary import Glossary
from ..policy import Policy, Text, compile_expression, referenced_names
from ..policy._schema import ADVERSE_ACTIONS
from ._evaluate import FAIL, CriterionOutcome, Evaluation, apply_criteria, prepare, verdict_expr
from ._frame import ID, MISSING_QUARTERS, YEAR

#: Shown wherever a decision rests on xiaozhen's reading rather than the seed's words.
DEFAULT_MARK = "默认 default"


@dataclass(frozen=True)
class Proposal:
    """What the engine proposes for one town after one year, and why."""

    town_id: str
    town_name: str | None
    year: int
    tier: str
    action: str  # a transition's action, or "stay"
    next_tier: str
    transition_id: str | None
    clause: str | None
    label: Text | None
    annual_met: bool | None
    missed_streak: int
    years_in_tier: int
    excellent: bool
    reasons: tuple[str, ...]


class HistoryError(ValueError):
    pass


def _stage_met(policy: Policy, frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, list[str]]]:
    stages = sorted({t.stage for t in policy.lifecycle.tiers if t.stage})
    stage_of = {t.id: t.stage for t in policy.lifecycle.tiers}
    criteria_by_stage: dict[str, list[str]] = {}
    met_exprs: list[tuple[str, pl.Expr]] = []
    for stage in stages:
        crit = policy.criteria_for(stage)
        criteria_by_stage[stage] = [c.id for c in crit]
        frame = apply_criteria(frame, crit).with_columns(verdict_expr(crit, f"verdict__{stage}"))
        verdict = pl.col(f"verdict__{stage}")
        met: pl.Expr = pl.when(verdict == "pass").then(True).when(verdict == FAIL).then(False)
        met_exprs.append((stage, met))
    tier_stage = pl.col("tier").replace_strict(stage_of, default=None, return_dtype=pl.String)
    annual_met: pl.Expr = pl.lit(None, dtype=pl.Boolean)
    for stage_id, stage_met in reversed(met_exprs):
        annual_met = pl.when(tier_stage == stage_id).then(stage_met).otherwise(annual_met)
    return frame.with_columns(tier_stage.alias("tier_stage"), annual_met.alias("annual_met")), criteria_by_stage


def _history_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """missed_streak, years_in_tier, years_in_programme; the frame is sorted by town and year."""
    missed = (pl.col("annual_met") == False).fill_null(False)  # noqa: E712
    idx = pl.col("_idx")
    new_town = pl.col("_new_town")
    tier_change = new_town | (pl.col("tier") != pl.col("tier").shift(1)).fill_null(True)
    # The last row at or before this one that breaks a run of misses (or the row before the town starts).
    last_break = pl.when(~pl.col("_missed")).then(idx).when(new_town).then(idx - 1).otherwise(None).forward_fill()
    tier_start = pl.when(tier_change).then(idx).otherwise(None).forward_fill()
    return (
        frame.with_columns(missed.alias("_missed"))
        .with_columns(
            (idx - last_break).cast(pl.Int32).alias("missed_streak"),
            (idx - tier_start + 1).cast(pl.Int32).alias("years_in_tier"),
            pl.col("years_elapsed").alias("years_in_programme"),
        )
        .drop("_missed")
    )


def assessment_frame(
    policy: Policy, history: pl.DataFrame, year: int, *, prepared: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Every town's row for ``year`` with outcomes, history numbers and the proposed transition."""
    if "tier" not in history.columns or history["tier"].null_count() == history.height:
        raise HistoryError("the history needs a `tier` column: each town's tier in each year")
    if prepared is None:
        prepared = prepare(policy, history, "annual", None)
    frame = prepared.filter(pl.col(YEAR) <= year)
    frame, _ = _stage_met(policy, frame)
    frame = _history_numbers(frame).filter(pl.col(YEAR) == year)
    terminal = [t.id for t in policy.lifecycle.tiers if t.terminal]
    action: pl.Expr = pl.lit("stay")
    trans_id: pl.Expr = pl.lit(None, dtype=pl.String)
    next_tier: pl.Expr = pl.col("tier")
    incomplete = pl.col(MISSING_QUARTERS).is_not_null() if MISSING_QUARTERS in frame.columns else pl.lit(False)
    for tr in reversed(policy.lifecycle.transitions):
        if tr.when is None:  # decided by an officer, never proposed
            continue
        in_from = ~pl.col("tier").is_in(terminal) if "*" in tr.from_ else pl.col("tier").is_in(tr.from_)
        hit = in_from & compile_expression(tr.when).cast(pl.Boolean).fill_null(False)
        if tr.action in ADVERSE_ACTIONS:  # nobody is demoted or removed on an incomplete year
            hit = hit & ~incomplete
        action = pl.when(hit).then(pl.lit(tr.action)).otherwise(action)
        trans_id = pl.when(hit).then(pl.lit(tr.id)).otherwise(trans_id)
        next_tier = pl.when(hit).then(pl.lit(tr.to) if tr.to else pl.col("tier")).otherwise(next_tier)
    frame = frame.with_columns(action.alias("action"), trans_id.alias("transition_id"), next_tier.alias("next_tier"))
    excellent = pl.lit(False)
    exc = policy.lifecycle.excellence
    if exc:
        eligible = (pl.col("annual_met") == True) & ~pl.col("action").is_in(["cancel", "exit", "demote", "terminate", "eliminate"])  # noqa: E712
        score = pl.when(eligible).then(compile_expression(exc.score).cast(pl.Float64))
        frame = frame.with_columns(score.alias("excellence_score"))
        rank = pl.col("excellence_score").rank(method="ordinal", descending=True)
        excellent = (rank <= exc.top).fill_null(False)
    return frame.with_columns(excellent.alias("excellent"))


def _reasons(policy: Policy, row: dict[str, Any], ev: Evaluation | None) -> tuple[str, ...]:
    reasons: list[str] = []
    words = Glossary(policy)
    if row.get(MISSING_QUARTERS):
        reasons.append(
            f"数据不全：{row[MISSING_QUARTERS]} 缺报，不据此降格或退出 / "
            f"incomplete: {row[MISSING_QUARTERS]} missing; no demotion or exit on it"
        )
    if row["transition_id"]:
        tr = next(t for t in policy.lifecycle.transitions if t.id == row["transition_id"])
        used = "，".join(f"{words.label(n).zh} {words.value(n, row.get(n))}" for n in referenced_names(tr.when or ""))
        mark = f" [{DEFAULT_MARK}: {tr.default_source}]" if tr.default_source else ""
        reasons.append(f"{tr.clause} {tr.label.zh} / {tr.label.en} ({used}){mark}")
    if ev is not None:
        verdict = ev._verdict(row)
        for o in verdict.outcomes:
            if o.outcome != "pass":
                reasons.append(o.explain("zh", words))
    if row.get("excellent") and policy.lifecycle.excellence:
        exc = policy.lifecycle.excellence
        mark = f" [{DEFAULT_MARK}]" if exc.default_source else ""
        reasons.append(f"{exc.clause} {exc.label.zh} / {exc.label.en} (得分 score {row.get('excellence_score'):.3g}){mark}")
    if not reasons:
        met = row.get("annual_met")
        reasons.append("达标，保持现有层级 / met the standard; stays" if met else "无年度考核或数据不全 / not assessed or data missing")
    return tuple(reasons)


def assess(policy: Policy, history: pl.DataFrame, year: int) -> list[Proposal]:
    return [r.proposal for r in annual_results(policy, history, year)]


#: Derived indicators the platform reads when a programme file defines them (002 §三(三)(四)):
#: the annual grade and score, the named-town star rating and the five-year risk grade.
GRADE, SCORE, STARS, RISK = "annual_grade", "annual_score", "star_rating", "risk_grade"


@dataclass(frozen=True)
class AnnualResult:
    """A proposal with everything behind it: criterion outcomes with numbers, grades, scores.

    ``grade``, ``score``, ``star_rating`` and ``risk_grade`` are the values of the programme's
    ``annual_grade``, ``annual_score``, ``star_rating`` and ``risk_grade`` indicators (None when the
    file has no such indicator or the data do not give one). ``risk_review_due`` says that a
    transition reading ``risk_grade`` would fire for some risk grade: the town is due for the
    five-year risk review (002 §三(四)). ``facts`` are the numbers the proposed transition read.
    """

    proposal: Proposal
    outcomes: tuple[CriterionOutcome, ...]
    grade: str | None
    score: float | None
    star_rating: int | None
    risk_grade: str | None
    risk_review_due: bool
    excellence_score: float | None
    facts: dict[str, Any]


def grade_values(policy: Policy) -> tuple[str, ...]:
    """The grades the programme's ``annual_grade`` expression can give, in the file's order."""
    try:
        expr = policy.indicator(GRADE).expr or ""
    except KeyError:
        return ()
    tiers = {t.id for t in policy.lifecycle.tiers}
    return tuple(dict.fromkeys(v for v in re.findall(r"'([^']*)'", expr) if v not in tiers))


def risk_values(policy: Policy) -> tuple[str, ...]:
    """The risk grades (the ``risk_grade`` indicator's unit, e.g. 低/中/高), low to high."""
    try:
        unit = policy.indicator(RISK).unit
    except KeyError:
        return ()
    return tuple(v.strip() for v in unit.split("/") if v.strip())


def _risk_due(policy: Policy, frame: pl.DataFrame) -> list[bool]:
    terminal = [t.id for t in policy.lifecycle.tiers if t.terminal]
    due = [False] * frame.height
    for tr in policy.lifecycle.transitions:
        if tr.when is None or RISK not in referenced_names(tr.when):
            continue
        in_from = ~pl.col("tier").is_in(terminal) if "*" in tr.from_ else pl.col("tier").is_in(tr.from_)
        hit = in_from & compile_expression(tr.when).cast(pl.Boolean).fill_null(False)
        for value in risk_values(policy):
            fires = frame.with_columns(pl.lit(value).alias(RISK)).select(hit.alias("_due"))["_due"].to_list()
            due = [d or bool(f) for d, f in zip(due, fires, strict=True)]
    return due


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def annual_results(policy: Policy, history: pl.DataFrame, year: int) -> list[AnnualResult]:
    """Every town's proposal for ``year`` (sorted by town id) with outcomes, grades and scores."""
    frame = assessment_frame(policy, history, year).sort(ID)
    stage_of = {t.id: t.stage for t in policy.lifecycle.tiers}
    evaluations: dict[str, Evaluation] = {}
    for assessed in {s for s in stage_of.values() if s}:
        evaluations[assessed] = Evaluation(policy, assessed, None, policy.criteria_for(assessed), frame)
    due = _risk_due(policy, frame)
    transitions = {t.id: t for t in policy.lifecycle.transitions}
    results = []
    for n, row in enumerate(frame.iter_rows(named=True)):
        stage = stage_of.get(row["tier"])
        ev = evaluations.get(stage) if stage else None
        tr = transitions.get(row["transition_id"]) if row["transition_id"] else None
        proposal = Proposal(
            town_id=row[ID],
            town_name=row.get("town_name"),
            year=year,
            tier=row["tier"],
            action=row["action"],
            next_tier=row["next_tier"],
            transition_id=row["transition_id"],
            clause=tr.clause if tr else None,
            label=tr.label if tr else None,
            annual_met=row["annual_met"],
            missed_streak=row["missed_streak"],
            years_in_tier=row["years_in_tier"],
            excellent=row["excellent"],
            reasons=_reasons(policy, row, ev),
        )
        stars = _number(row.get(STARS))
        results.append(
            AnnualResult(
                proposal=proposal,
                outcomes=ev._verdict(row).outcomes if ev is not None else (),
                grade=row.get(GRADE),
                score=_number(row.get(SCORE)),
                star_rating=int(stars) if stars is not None else None,
                risk_grade=row.get(RISK),
                risk_review_due=bool(due[n]),
                excellence_score=_number(row.get("excellence_score")),
                facts={name: row.get(name) for name in referenced_names(tr.when)} if tr and tr.when else {},
            )
        )
    return results
