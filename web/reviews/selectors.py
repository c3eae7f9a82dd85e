"""Read-side helpers for the review pages: what a page shows, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from programmes.models import deferred_document
from programmes.selectors import programmes_in_force
from towns.facts import facts_frame
from towns.models import Town
from xiaozhen.engine import TownVerdict, evaluate
from xiaozhen.facts import FactsError
from xiaozhen.scoring import DivergenceRule, Flag, PanelAggregate, RubricLine, Sheet, aggregate

from .models import Acceptance, AcceptanceStepRecord, Panel, PanelMember, ScoreSheet

if TYPE_CHECKING:
    from accounts.models import User
    from towns.models import Enrolment


def rubric_lines(panel: Panel) -> list[RubricLine]:
    return [RubricLine(item["id"], float(item["max_score"]), item["label"]["zh"], item["label"]["en"])
            for item in panel.rubric]


def panel_sheets(panel: Panel) -> list[ScoreSheet]:
    return list(ScoreSheet.objects.filter(member__panel=panel).select_related("member__expert").order_by("member_id"))


def panel_aggregate(panel: Panel, sheets: list[ScoreSheet] | None = None) -> PanelAggregate:
    sheets = panel_sheets(panel) if sheets is None else sheets
    return aggregate(rubric_lines(panel), [Sheet(s.member.expert.username, s.scores) for s in sheets],
                     DivergenceRule.from_dict(panel.rule))


def panel_list_queryset(panels: QuerySet[Panel]) -> QuerySet[Panel]:
    """A panel row: town, programme, member and sheet counts — three queries whatever the size."""
    return panels.select_related("town__region", "programme").defer("town__boundary_geojson").annotate(
        n_members=Count("members", filter=Q(members__active=True), distinct=True),
        n_sheets=Count("members__sheet", distinct=True),
        n_conflicts=Count("members", filter=Q(members__conflict=PanelMember.Conflict.CONFLICTED), distinct=True),
    ).order_by("-created_at", "-id")


def my_memberships(user: User) -> QuerySet[PanelMember]:
    """The expert's own panels ("我的评审任务"), newest first, with panel and town loaded."""
    return PanelMember.objects.filter(expert=user).select_related(
        "panel__town__region", "panel__programme", "sheet"
    ).order_by("-panel__created_at", "-id")


@dataclass
class AggregateRow:
    item: str
    label: tuple[str, str]
    max_score: float
    mean: float | None
    sd: float | None
    minimum: float | None
    maximum: float | None
    range: float | None
    scores: list[dict[str, Any]] = field(default_factory=list)  # per sheet: score, flagged


@dataclass(frozen=True)
class FlagRow:
    flag: Flag
    label: tuple[str, str]
    expert: Any


def aggregate_table(panel: Panel, sheets: list[ScoreSheet]) -> tuple[PanelAggregate, list[AggregateRow], list[FlagRow]]:
    """The aggregate as table rows (items, then the total), each expert's score with its flag,
    and the flags with their item labels (total first)."""
    result = panel_aggregate(panel, sheets)
    flagged = {(f.expert, f.item): f for f in result.flags}
    labels = {item["id"]: (item["label"]["zh"], item["label"]["en"]) for item in panel.rubric}
    rows = []
    for stats in (*result.items, result.total):
        label = labels.get(stats.item, ("总分", "Total"))
        rows.append(AggregateRow(
            stats.item, label, stats.max_score, stats.mean, stats.sd, stats.minimum, stats.maximum, stats.range,
            [{"expert": s.member.expert, "score": stats.scores.get(s.member.expert.username),
              "flag": flagged.get((s.member.expert.username, stats.item))} for s in sheets],
        ))
    experts = {s.member.expert.username: s.member.expert for s in sheets}
    flag_rows = [FlagRow(f, labels.get(f.item, ("总分", "Total")), experts.get(f.expert))
                 for f in sorted(result.flags, key=lambda f: (f.item != "total", f.expert))]
    return result, rows, flag_rows


# --- acceptance -----------------------------------------------------------------------------

def acceptance_list_queryset(acceptances: QuerySet[Acceptance]) -> QuerySet[Acceptance]:
    return acceptances.select_related("enrolment__town__region", "enrolment__programme__current_version").defer(
        "enrolment__town__boundary_geojson", *deferred_document("enrolment__programme__current_version")).order_by(
        "-applied_at", "-id")


def acceptance_verdict(acceptance: Acceptance) -> tuple[TownVerdict | None, str]:
    """The engine's acceptance-stage verdict on the town's actual figures, criterion by criterion."""
    enrolment = acceptance.enrolment
    programme = enrolment.programme
    policy = programme.policy
    if not policy.criteria_for("acceptance"):
        return None, ""
    town = enrolment.town
    sub_sector = enrolment.effective_sub_sector
    peers = Town.objects.filter(pk=town.pk)
    if sub_sector:  # criteria may read the sub-sector's other towns (towns.verdicts does the same)
        peers = Town.objects.filter(Q(enrolments__sub_sector=sub_sector) | Q(enrolments__sub_sector="", sub_sector=sub_sector),
                                    enrolments__programme=programme).distinct()
    try:
        frame = facts_frame(programme=programme, towns=peers, basis="actual")
        if frame is None or frame.filter(frame["town_id"] == town.code).is_empty():
            return None, ""
        return evaluate(policy, frame, "acceptance").town(town.code), ""
    except (FactsError, KeyError, ValueError) as exc:
        return None, str(exc)


def acceptance_panels(acceptance: Acceptance) -> list[Panel]:
    return list(Panel.objects.filter(subject_ref=acceptance.subject_ref).order_by("created_at"))


def acceptance_records(acceptance: Acceptance) -> list[AcceptanceStepRecord]:
    return list(acceptance.records.select_related("decided_by", "panel"))


def panels_prefetch() -> Prefetch:
    return Prefetch("members", queryset=PanelMember.objects.select_related("expert", "sheet"))


def acceptance_candidates(user: User, limit: int = 50, town: Town | None = None) -> list[Enrolment]:
    """Open enrolments the user may apply for acceptance for, in a tier the programme can name."""
    from towns.permissions import visible_enrolments

    from .workflow import naming_transition

    if getattr(user, "role", None) not in ("town_body", "county_office", "city_reviewer", "provincial_officer"):
        return []
    q = Q(pk__in=[])
    for programme in programmes_in_force():
        tiers = [t.id for t in programme.policy.lifecycle.tiers if naming_transition(programme.policy, t.id)]
        if tiers:
            q |= Q(programme=programme, tier__in=tiers)
    running = Acceptance.objects.filter(status=Acceptance.Status.IN_REVIEW).values("enrolment_id")
    enrolments = visible_enrolments(user) if town is None else visible_enrolments(user).filter(town=town)
    enrolments = (enrolments.filter(q, ended_on__isnull=True).exclude(pk__in=running)
                  .select_related("town__region", "programme__current_version")
                  .defer("town__boundary_geojson", *deferred_document("programme__current_version"))
                  .order_by("started_on", "pk"))
    return list(enrolments[:limit])
