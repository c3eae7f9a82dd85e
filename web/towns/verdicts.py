"""What the engine says about one town now: the application verdict on its plans and
the latest annual (or acceptance) verdict on its actual figures.

Criteria may read context from other towns (``towns_in_sub_sector``, 003 §三(一)), so a
town is evaluated together with the programme's towns of the same sub-sector.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from xiaozhen.engine import TownVerdict, evaluate
from xiaozhen.facts import FactsError
from xiaozhen.policy import Policy

from .facts import facts_frame
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
            frame = facts_frame(programme=programme, towns=peers.distinct(), basis=basis)
            if frame is None or frame.filter(frame["town_id"] == town.code).is_empty():
                out.append(StageVerdict(stage, STAGE_LABELS[stage], None))
                continue
            evaluation = evaluate(policy, frame, stage, enrolment.started_on if stage == "application" else None)
            out.append(StageVerdict(stage, STAGE_LABELS[stage], evaluation.town(town.code), policy=policy))
        except (FactsError, KeyError, ValueError) as exc:
            out.append(StageVerdict(stage, STAGE_LABELS[stage], None, str(exc)))
    return out
