"""Read-side helpers: what the assessment pages and the API show, in a fixed number of queries.

``published_results(user, programme, year)`` is the one selector the API serves to local
platforms: the published proposals of that programme and year that the user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from portal.bilingual import Bi
from programmes.models import deferred_document
from towns.models import tier_label
from xiaozhen.engine import FAIL, grade_basis

from .models import AssessmentRun, FraudEvidence, FraudFinding, Proposal
from .permissions import visible_proposals, visible_results

if TYPE_CHECKING:
    from accounts.models import User
    from programmes.models import Programme
    from towns.models import Enrolment, Town
    from xiaozhen.policy import Policy

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "stay": ("保持", "stay"),
    "demote": ("降格", "demote"),
    "exit": ("退出", "exit"),
    "promote": ("升格", "promote"),
    "extend": ("延期", "extend"),
    "terminate": ("终止创建", "terminate"),
    "name": ("命名", "name"),
    "star_rate": ("星级评定", "star rating"),
    "eliminate": ("淘汰", "eliminate"),
    "cancel": ("取消资格", "cancel"),
    "recommend": ("推荐(不改层级)", "recommend (no tier change)"),
}
#: Actions that move a town down or out (the filter "negative").
NEGATIVE = frozenset({"demote", "exit", "terminate", "eliminate", "cancel"})


def action_label(action: str) -> Bi:
    zh, en = ACTION_LABELS.get(action, (action, action))
    return Bi(zh, en)


def published_results(user: User, programme: Programme, year: int) -> QuerySet[Proposal]:
    """The published results of ``programme`` for ``year`` that ``user`` may see, town by town.

    Each row: ``town`` (code, names, region), ``tier`` (assessed) → ``next_tier`` (decided),
    ``action``, ``transition_id``, ``clause``, ``grade``, ``score``, ``star_rating``, ``risk_grade``,
    ``excellent``, ``annual_met``, ``reasons``, ``outcomes`` (criteria with values and thresholds),
    ``overridden`` / ``override_reason``, ``tier_change`` (its ``effective_on``), and ``run``
    (``document_number``, ``published_at``, ``programme_version``). Empty until the run is published.
    """
    return (
        visible_results(user)
        .filter(run__programme=programme, run__year=year)
        .select_related("town__region", "run__programme_version", "tier_change")
        .order_by("town__code")
    )


def run_proposals(user: User, run: AssessmentRun, *, action: str = "") -> QuerySet[Proposal]:
    proposals = visible_proposals(user, run).select_related("town__region", "tier_change", "overridden_by")
    if action == "negative":
        proposals = proposals.filter(action__in=NEGATIVE)
    elif action == "changes":
        proposals = proposals.exclude(action__in=["stay", "star_rate"])
    elif action == "overridden":
        proposals = proposals.filter(overridden=True)
    elif action == "excellent":
        proposals = proposals.filter(excellent=True)
    elif action == "risk":
        proposals = proposals.filter(risk_review_due=True)
    elif action:
        proposals = proposals.filter(action=action)
    return proposals.order_by("town__code")


@dataclass
class Row:
    """A proposal with its labels resolved against the run's programme version."""

    proposal: Proposal
    tier: Any
    next_tier: Any
    proposed_next_tier: Any
    action: Bi
    proposed_action: Bi
    override_form: Any = None
    excellent_form: Any = None
    risk_form: Any = None
    grade_basis: Bi | None = None  # why the grade: the score band met, or the veto that set the score aside


def rows(run: AssessmentRun, proposals: Iterable[Proposal]) -> list[Row]:
    policy = run.programme_version.policy
    labels = {t.id: t.label for t in policy.lifecycle.tiers}
    out = []
    for p in proposals:
        row = Row(p, labels.get(p.tier, p.tier), labels.get(p.next_tier, p.next_tier),
                  labels.get(p.proposed_next_tier, p.proposed_next_tier), action_label(p.action),
                  action_label(p.proposed_action))
        row.grade_basis = proposal_grade_basis(policy, run, p)
        out.append(row)
    return out


def proposal_grade_basis(policy: Policy, run: AssessmentRun, proposal: Proposal) -> Bi | None:
    """The system's grade explained with its score, band line and clause, or with the failed
    must-criteria that vetoed the score (``xiaozhen.engine.grade_basis``). None for a grade an
    officer changed (the override and its reason say why) or a programme without score bands."""
    if proposal.grade != proposal.proposed_grade:
        return None
    failed = tuple(
        (o["label"]["zh"], o["label"]["en"], o.get("clause") or "")
        for o in proposal.outcomes or [] if o.get("severity") == "must" and o.get("outcome") == FAIL
    )
    basis = grade_basis(policy, grade=proposal.grade, score=proposal.score, tier=proposal.tier,
                        at=dt.date(run.year, 12, 31), failed=failed)
    return Bi(basis.explain("zh"), basis.explain("en")) if basis else None


def run_summary(run: AssessmentRun) -> dict[str, Any]:
    """Counts by decided action, overrides and excellent towns (for the run header)."""
    counts: dict[str, int] = {}
    overridden = excellent = 0
    for action, is_overridden, is_excellent in run.proposals.values_list("action", "overridden", "excellent"):
        counts[action] = counts.get(action, 0) + 1
        overridden += is_overridden
        excellent += is_excellent
    return {
        "by_action": [(action_label(a), n, a) for a, n in sorted(counts.items())],
        "total": sum(counts.values()), "overridden": overridden, "excellent": excellent,
    }


def latest_star_ratings(enrolments: Iterable[Enrolment]) -> dict[int, Proposal]:
    """The newest published star rating of each enrolment (for the town page)."""
    out: dict[int, Proposal] = {}
    published = (
        Proposal.objects.filter(enrolment__in=enrolments, run__status=AssessmentRun.Status.PUBLISHED,
                                star_rating__isnull=False)
        .select_related("run").order_by("enrolment_id", "-run__year")
    )
    for p in published:
        out.setdefault(p.enrolment_id, p)
    return out


def town_results(town: Town) -> list[Proposal]:
    """Every published result of a town, newest first."""
    return list(
        Proposal.objects.filter(town=town, run__status=AssessmentRun.Status.PUBLISHED)
        .select_related("run__programme", "run__programme_version", "tier_change")
        .defer(*deferred_document("run__programme_version")).order_by("-run__year")
    )


def town_fraud_findings(town: Town) -> list[FraudFinding]:
    return list(
        FraudFinding.objects.filter(enrolment__town=town).select_related("tier_change", "enrolment__programme")
        .prefetch_related(Prefetch("evidence", queryset=FraudEvidence.objects.defer("content")))
    )


__all__ = ["latest_star_ratings", "published_results", "rows", "run_proposals", "run_summary", "tier_label"]
