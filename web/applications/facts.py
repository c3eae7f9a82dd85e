"""An application's core facts: which the form asks, how they become the engine's facts,
and the engine's verdict on them (live while the town types, and at each decision).

* The form asks every reported indicator the programme's application-stage criteria read
  (``xiaozhen.policy.stage_inputs``), except those a review step ``confirms`` (the city's
  check establishes ``materials_complete``; the town does not answer it).
* Summed indicators (investment …) are asked **by plan year** (year 1, 2, 3 of the call);
  the others once, stored in year 1. All are basis ``plan`` (docs/facts-format.md: the
  application stage reads plan rows and totals them over the plan horizon).
* Draft answers are kept as typed in ``Application.facts`` — ``{indicator: {period: text}}``
  — so a draft may be invalid; the core's facts reader validates them (units, yes/no,
  shares, part-of limits) and its problems are mapped back to the form's fields.
* Indicators confirmed by a step that has passed are added as yes.

The one-sub-sector-one-town context (``towns_in_sub_sector``, 003 §三(一)) is not judged
here against other towns: the application is evaluated on its own, and the list rule is
enforced when the town is enrolled (towns.actions.enrol_town).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from xiaozhen.engine import FAIL, PASS, UNKNOWN, TownVerdict, evaluate
from xiaozhen.facts import FactsError, frame_from_records
from xiaozhen.policy import Indicator, Policy, stage_inputs
from xiaozhen.verdicts import StoredVerdict

STAGE = "application"


@dataclass(frozen=True)
class FactField:
    indicator: Indicator
    yearly: bool
    required: bool

    @property
    def id(self) -> str:
        return self.indicator.id

    def key(self, period: str) -> str:
        """The form field's name for one period (yearly) or the only one."""
        return f"{self.id}__{period}" if self.yearly else self.id


def confirmed_by(policy: Policy) -> dict[str, str]:
    """Indicator id → the id of the review step that confirms it."""
    return {ident: step.id for step in policy.review_steps(STAGE) for ident in step.confirms}


def fact_fields(policy: Policy) -> list[FactField]:
    confirmed = confirmed_by(policy)
    must = set(stage_inputs(policy, STAGE, severity="must"))
    out = []
    for ident in stage_inputs(policy, STAGE):
        if ident in confirmed:
            continue
        ind = policy.indicator(ident)
        out.append(FactField(ind, yearly=ind.aggregate == "sum", required=ident in must and not ind.blank_is_zero))
    return out


def normalise_facts(policy: Policy, periods: list[str], data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Form data (field name → text) → ``{indicator: {period: text}}``, blanks left out."""
    out: dict[str, dict[str, str]] = {}
    for f in fact_fields(policy):
        for period in periods if f.yearly else periods[:1]:
            raw = data.get(f.key(period))
            text = "" if raw is None else str(raw).strip()
            if text:
                out.setdefault(f.id, {})[period] = text
    return out


def form_initial(policy: Policy, periods: list[str], facts: dict[str, dict[str, str]]) -> dict[str, str]:
    initial = {}
    for f in fact_fields(policy):
        for period in periods if f.yearly else periods[:1]:
            value = facts.get(f.id, {}).get(period)
            if value is not None:
                initial[f.key(period)] = value
    return initial


def missing_required(policy: Policy, periods: list[str], facts: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(field name, bilingual message) for each required fact left blank."""
    out = []
    for f in fact_fields(policy):
        if not f.required:
            continue
        for n, period in enumerate(periods if f.yearly else periods[:1], start=1):
            if not facts.get(f.id, {}).get(period):
                year = f"第{n}年({period}) " if f.yearly else ""
                year_en = f" for year {n} ({period})" if f.yearly else ""
                out.append((f.key(period), f"请填写{year}{f.indicator.label.zh} / {f.indicator.label.en} is required{year_en}"))
    return out


@dataclass
class LiveVerdict:
    """The engine's verdict on an application's facts, and the problems with them by field."""

    verdict: TownVerdict | None
    problems: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return self.verdict.verdict if self.verdict else UNKNOWN


def records(
    *, policy: Policy, town, periods: list[str], facts: dict[str, dict[str, str]], category: str = "",
    sub_sector: str = "", confirmed: set[str] | frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """One plan record per plan year, as the core's facts reader takes them."""
    known = {f.id: f for f in fact_fields(policy)}
    out = []
    for n, period in enumerate(periods):
        rec: dict[str, Any] = {
            "town_id": town.code, "town_name": town.name_zh, "category": category or None,
            "sub_sector": sub_sector or None, "region_code": town.region.code, "period": period, "basis": "plan",
        }
        for ident, by_period in facts.items():
            f = known.get(ident)
            if f is None or (not f.yearly and n > 0):
                continue
            rec[ident] = by_period.get(period)
        if n == 0:
            for ident in confirmed:
                rec[ident] = True
        out.append(rec)
    return out


def evaluate_facts(
    *, policy: Policy, town, periods: list[str], facts: dict[str, dict[str, str]], at: dt.date,
    category: str = "", sub_sector: str = "", confirmed: set[str] | frozenset[str] = frozenset(),
) -> LiveVerdict:
    """The application-stage verdict on these facts. A cell the reader refuses is reported
    against its field and read as blank, so the rest of the verdict still shows."""
    recs = records(policy=policy, town=town, periods=periods, facts=facts, category=category,
                   sub_sector=sub_sector, confirmed=confirmed)
    result = LiveVerdict(None)
    fields = {f.id: f for f in fact_fields(policy)}
    for _attempt in range(2):
        try:
            frame = frame_from_records(policy, recs, source="application")
        except FactsError as exc:
            if _attempt:
                result.general += [p.message for p in exc.problems]
                return result
            for problem in exc.problems:
                f = fields.get(problem.column or "")
                row = (problem.row or 1) - 1
                if f is None or not 0 <= row < len(recs):
                    result.general.append(problem.message if problem.column != "category" else
                                          f"类别 / category: {problem.message}")
                    if problem.column in ("category", "sub_sector"):
                        for rec in recs:
                            rec[problem.column] = None
                    continue
                result.problems.setdefault(f.key(periods[row]), []).append(problem.message)
                recs[row][f.id] = None
            continue
        result.verdict = evaluate(policy, frame, STAGE, at).town(town.code)
        return result
    return result


# ------------------------------------------------------------- stored verdicts (JSON)

def verdict_to_json(live: LiveVerdict, version) -> dict[str, Any]:
    """A verdict as stored on a submission or decision: enough to show it again as it was."""
    tv = live.verdict
    return StoredVerdict(
        verdict=live.outcome, outcomes=tv.outcomes if tv else (),
        problems=tuple(m for msgs in live.problems.values() for m in msgs) + tuple(live.general),
        programme_version=version.number, content_hash=version.content_hash,
    ).to_json()


def verdict_from_json(data: dict[str, Any]) -> TownVerdict | None:
    stored = StoredVerdict.from_json(data)
    return stored.town_verdict() if stored is not None else None


__all__ = ["FAIL", "PASS", "UNKNOWN", "FactField", "LiveVerdict", "confirmed_by", "evaluate_facts",
           "fact_fields", "form_initial", "missing_required", "normalise_facts", "records",
           "verdict_from_json", "verdict_to_json"]
