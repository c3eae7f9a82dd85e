"""What the engine says about one town now: the application verdict on its plans and
the latest annual (or acceptance) verdict on its actual figures.

Criteria may read context from other towns (``towns_in_sub_sector``, 003 §三(一)), so a
town is evaluated together with the programme's towns of the same sub-sector.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Q

from xiaozhen.engine import TownVerdict, evaluate
from xiaozhen.facts import FactsError, frame_from_records
from xiaozhen.policy import Policy

from .facts import FigureSource, facts_with_sources
from .models import Enrolment, Town

STAGE_LABELS = {
    "application": ("申报条件(计划数)", "Application criteria (plans)"),
    "annual": ("年度考核(实际数)", "Annual assessment (actuals)"),
    "acceptance": ("验收条件(实际数)", "Acceptance criteria (actuals)"),
    "named": ("命名后评价(实际数)", "After naming (actuals)"),
}


@dataclass(frozen=True)
class StageVerdict:
    stage: str
    label: tuple[str, str]
    verdict: TownVerdict | None
    problem: str = ""
    policy: Policy | None = None  # for the labels and 默认 marks of the numbers shown
    #: The computed figures (e.g. from the enterprise registry) the verdict read instead of the town's own,
    #: each saying what the town reported and why the computed one was used.
    sources: tuple[FigureSource, ...] = field(default_factory=tuple)


def town_verdicts(town: Town, enrolment: Enrolment) -> list[StageVerdict]:
    programme = enrolment.programme
    policy = programme.policy
    sub_sector = enrolment.effective_sub_sector
    peers = Town.objects.filter(pk=town.pk)
    if sub_sector:
        peers = Town.objects.filter(
            Q(enrolments__sub_sector=sub_sector) | Q(enrolments__sub_sector="", sub_sector=sub_sector),
            enrolments__programme=programme,
        )
    tier = policy.tier(enrolment.tier) if enrolment.tier in {t.id for t in policy.lifecycle.tiers} else None
    stages = [("application", "plan")]
    later = tier.stage if tier and tier.stage else ("acceptance" if policy.criteria_for("acceptance") else "annual")
    if later != "application":
        stages.append((later, "actual"))
    out = []
    for stage, basis in stages:
        if not policy.criteria_for(stage):
            continue
        try:
            records, computed = facts_with_sources(programme=programme, policy=policy, towns=peers.distinct(),
                                                   basis=basis)
            frame = frame_from_records(policy, records, source=f"database:{programme.policy_id}") if records else None
            if frame is None or frame.filter(frame["town_id"] == town.code).is_empty():
                out.append(StageVerdict(stage, STAGE_LABELS[stage], None))
                continue
            verdict = _verdict(programme.version.content_hash, policy, frame, stage,
                               enrolment.started_on if stage == "application" else None, town.code)
            out.append(StageVerdict(stage, STAGE_LABELS[stage], verdict, policy=policy,
                                    sources=_sources_read(verdict, computed)))
        except (FactsError, KeyError, ValueError) as exc:
            out.append(StageVerdict(stage, STAGE_LABELS[stage], None, str(exc)))
    return out


# The engine is a pure function of the policy, the facts frame, the stage and the date: the same inputs give
# the same verdict, so a verdict is kept per process under a digest of exactly those inputs. A changed value
# changes the frame's bytes and so the key: nothing here can go stale. Bounded, least recently used first out.
_VERDICTS: OrderedDict[tuple, TownVerdict] = OrderedDict()
_VERDICTS_LOCK = threading.Lock()
VERDICTS_KEPT = 256


def _frame_digest(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def _verdict(policy_hash: str, policy: Policy, frame: pl.DataFrame, stage: str, at: dt.date | None,
             code: str) -> TownVerdict:
    """``evaluate(policy, frame, stage, at).town(code)``, reused while its inputs are byte for byte the same
    (today's date is in the key too: a row without a year reads the parameters of this year's end)."""
    key = (policy_hash, stage, at, code, dt.date.today(), _frame_digest(frame))
    with _VERDICTS_LOCK:
        if (kept := _VERDICTS.get(key)) is not None:
            _VERDICTS.move_to_end(key)
            return kept
    verdict = evaluate(policy, frame, stage, at).town(code)
    with _VERDICTS_LOCK:
        _VERDICTS[key] = verdict
        while len(_VERDICTS) > VERDICTS_KEPT:
            _VERDICTS.popitem(last=False)
    return verdict


def _sources_read(verdict: TownVerdict, computed: dict[tuple[str, str], dict[str, FigureSource]]) -> tuple[FigureSource, ...]:
    """The computed figures of the verdict's year that its criteria read."""
    if verdict.period_year is None:
        return ()
    read = {name for o in verdict.outcomes for name in o.values}
    found: dict[str, FigureSource] = {}
    for (code, period), figures in sorted(computed.items()):
        if code == verdict.town_id and period[:4] == str(verdict.period_year):
            found.update({k: f for k, f in figures.items() if k in read})
    return tuple(found[k] for k in sorted(found))
