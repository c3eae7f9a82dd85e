"""Read-side helpers for the towns pages: what a page shows, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from portal.formatting import shown
from programmes.models import Programme, deferred_document

from .models import Enrolment, IndicatorValue, TierChange, Town
from .verdicts import StageVerdict, town_verdicts

if TYPE_CHECKING:
    from accounts.models import User
    from xiaozhen.policy import Policy


def town_list_queryset(towns: QuerySet[Town]) -> QuerySet[Town]:
    """What a row of the town list needs, loaded with the page in a fixed number of queries: the
    region chain (joined) and the open enrolments with their programmes. The enrolments'
    programmes are prefetched, not joined, so a page builds one object per programme rather than
    one per enrolment (benchmarks/bench_web.py); prefetching the regions as well measured slower."""
    programmes = Programme.objects.select_related("current_version").defer(*deferred_document("current_version"))
    open_enrolments = Enrolment.objects.filter(ended_on__isnull=True).prefetch_related(
        Prefetch("programme", queryset=programmes)
    ).order_by("programme__policy_id")
    return towns.select_related("region__parent").defer("boundary_geojson").prefetch_related(
        Prefetch("enrolments", queryset=open_enrolments, to_attr="open_enrolments"),
    ).order_by("code")


@dataclass
class IndicatorRow:
    indicator_id: str
    label: Any
    unit: str
    cells: list[dict[str, Any]]


@dataclass
class ProgrammeSection:
    enrolment: Enrolment
    periods: list[str]
    rows: list[IndicatorRow]
    verdicts: list[StageVerdict]
    tier_changes: list[TierChange] = field(default_factory=list)
    provenance: list[dict[str, Any]] = field(default_factory=list)  # who set each value, newest first
    change_form: Any = None  # a ChangeTierForm when the viewer may change the tier
    approval_form: Any = None  # an ExtensionApprovalForm when the programme extends towns (002 §三(四))


def town_sections(town: Town) -> list[ProgrammeSection]:
    """One section per enrolment: tier history, indicator series (plan and actual), verdicts."""
    enrolments = list(
        town.enrolments.select_related("programme__current_version", "programme_version")
        .defer(*deferred_document("programme__current_version"), *deferred_document("programme_version"))
        .prefetch_related(Prefetch("tier_changes", queryset=TierChange.objects.select_related(
            "decided_by", "programme_version").defer(*deferred_document("programme_version"))))
        .order_by("-ended_on", "programme__policy_id")
    )
    values: dict[int, dict[tuple[str, str, str], IndicatorValue]] = defaultdict(dict)
    for v in IndicatorValue.objects.filter(town=town).select_related("recorded_by"):
        values[v.programme_id][(v.indicator_id, v.period, v.basis)] = v
    sections = []
    for enrolment in enrolments:
        policy = enrolment.programme.policy
        mine = values.get(enrolment.programme_id, {})
        periods = sorted({period for (_, period, _) in mine})
        rows = []
        for ind in policy.indicators:
            if ind.kind != "reported" or not any(k[0] == ind.id for k in mine):
                continue
            cells = []
            for period in periods:
                plan = mine.get((ind.id, period, "plan"))
                actual = mine.get((ind.id, period, "actual"))
                cells.append({
                    "period": period,
                    "plan": shown(plan.typed_value(ind.type)) if plan else None,
                    "actual": shown(actual.typed_value(ind.type)) if actual else None,
                })
            rows.append(IndicatorRow(ind.id, ind.label, ind.unit, cells))
        sections.append(ProgrammeSection(
            enrolment=enrolment, periods=periods, rows=rows,
            verdicts=town_verdicts(town, enrolment) if mine else [],
            tier_changes=list(enrolment.tier_changes.all()),
            provenance=_provenance(policy, mine.values()),
        ))
    return sections


def _provenance(policy: Policy, values: Iterable[IndicatorValue]) -> list[dict[str, Any]]:
    """Each stored value with who set it: source (季度报告, 验收 …), its reference, the person and the time."""
    indicators = {i.id: i for i in policy.indicators if i.kind == "reported"}
    rows = []
    for v in sorted(values, key=lambda v: (v.period, v.indicator_id, v.basis)):
        ind = indicators.get(v.indicator_id)
        if ind is None:
            continue
        person = v.recorded_by
        rows.append({
            "label": ind.label, "unit": "" if ind.type in ("boolean", "text") else ind.unit, "period": v.period,
            "basis": IndicatorValue.Basis(v.basis).label, "value": shown(v.typed_value(ind.type)),
            "source": IndicatorValue.Source(v.source).label, "source_ref": v.source_ref,
            "by": person.display_name if person else None, "at": v.recorded_at,
        })
    return rows


def offer_tier_changes(
    sections: list[ProgrammeSection], user: User, bound: dict[int, Any] | None = None, bound_approvals: dict[int, Any] | None = None
) -> None:
    """Give each open enrolment the viewer may decide on its change-tier form (``bound`` ones keep errors),
    and its extension-approval form where the programme extends towns."""
    from .forms import ChangeTierForm, ExtensionApprovalForm
    from .permissions import can_change_tier

    for section in sections:
        enrolment = section.enrolment
        if enrolment.is_open and can_change_tier(user, enrolment):
            section.change_form = (bound or {}).get(enrolment.pk) or ChangeTierForm(enrolment=enrolment)
            if any(t.action == "extend" for t in enrolment.programme.policy.lifecycle.transitions):
                section.approval_form = (bound_approvals or {}).get(enrolment.pk) or ExtensionApprovalForm(enrolment=enrolment)
