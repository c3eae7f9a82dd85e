"""Read-side helpers for the projects pages, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from portal.formatting import shown
from programmes.selectors import programmes_in_force
from regions.models import Region
from towns.facts import facts_frame
from towns.models import Enrolment, IndicatorValue, Town
from xiaozhen.engine import TownVerdict, evaluate
from xiaozhen.facts import FactsError
from xiaozhen.funding import FundingStatement, Movement, funding_statement
from xiaozhen.policy import resolve_parameter_value

from .models import Contract, ContractSignature, FundingEntry, Party

if TYPE_CHECKING:
    from accounts.models import User
    from programmes.models import Programme
    from xiaozhen.policy import Policy


def contract_list_queryset(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    return contracts.select_related("town__region", "programme", "local_party_region").defer(
        "town__boundary_geojson").prefetch_related(
        "signatures", Prefetch("funding_entries", queryset=FundingEntry.objects.order_by("on", "id")),
    ).order_by("-term_start", "number")


def contract_page_queryset() -> QuerySet[Contract]:
    return Contract.objects.select_related(
        "town__region__parent", "programme__current_version", "programme_version", "local_party_region",
        "created_by", "acceptance_applied_by",
    ).prefetch_related(
        Prefetch("signatures", queryset=ContractSignature.objects.select_related("signed_by")),
        "targets", Prefetch("funding_entries", queryset=FundingEntry.objects.select_related("recorded_by")),
        "milestones", "progress_reports",
    )


@dataclass(frozen=True)
class RequiredRatio:
    ratio: Decimal
    source: str  # "contract" or "policy"
    policy_ratio: Decimal | None
    clause: str

    @property
    def contract_below_policy(self) -> bool:
        return self.policy_ratio is not None and self.ratio < self.policy_ratio


def required_ratio(contract: Contract) -> RequiredRatio:
    """The contract's matching ratio; the programme's parameter when the contract sets none.
    Both cite 004 §三6 (the seed's 应安排配套经费; the 1:1 default is the programme file's)."""
    policy_ratio = default_matching_ratio(contract.programme, contract.term_start)
    if contract.matching_ratio is not None:
        return RequiredRatio(contract.matching_ratio, "contract", policy_ratio, "004 §三6")
    return RequiredRatio(policy_ratio or Decimal("0"), "policy", policy_ratio, "004 §三6")


def statement_for(contract: Contract, as_of: dt.date | None = None) -> FundingStatement:
    """Committed / allocated / spent per source and the matching status (reads the prefetched ledger)."""
    return funding_statement(contract.committed(), movements_of(contract.funding_entries.all()),
                             contract.matching_ratio, as_of=as_of)


@dataclass
class LedgerLine:
    entry: FundingEntry
    reversed_by: FundingEntry | None  # the reversal line pointing at this one
    reverse_form: Any = None  # a ReverseFundingForm when this user may reverse it now


def ledger_lines(contract: Contract, user: User, open_ledger: bool, bound: tuple[int, Any] | None = None) -> list[LedgerLine]:
    """The ledger's lines in order, each with its reversal and, where the user may reverse it, a form."""
    from . import permissions as perms
    from .forms import ReverseFundingForm

    entries = list(contract.funding_entries.all())
    reversal_of = {e.reverses_id: e for e in entries if e.reverses_id}
    lines = []
    for e in entries:
        form = None
        if open_ledger and not e.is_reversal and e.pk not in reversal_of and perms.can_reverse_funding(user, e):
            form = bound[1] if bound and bound[0] == e.pk else ReverseFundingForm(prefix=f"r{e.pk}")
        lines.append(LedgerLine(e, reversal_of.get(e.pk), form))
    return lines


def signatures_by_party(contract: Contract) -> list[dict[str, Any]]:
    signed = {s.party: s for s in contract.signatures.all()}
    return [{"party": p, "label": Party(p).label, "signature": signed.get(p)} for p in Party.values]


def party_names(contract: Contract) -> dict[str, Any]:
    return {
        "province": ("广东省科学技术厅" if contract.town.region.code.startswith("44") else "省科技主管部门",
                     "Provincial S&T department"),
        "local": (f"{contract.local_party_region.name_zh}科技主管部门", f"{contract.local_party_region.name_en} S&T department"),
        "town": (f"{contract.town.name_zh}(镇政府)", f"{contract.town.name_en or contract.town.code} (town government)"),
    }


@dataclass
class TargetRow:
    indicator_id: str
    label: Any
    unit: str
    target: str
    by_year: list[dict[str, Any]]
    latest: str
    met: bool | None


def progress_rows(contract: Contract) -> tuple[list[int], list[TargetRow]]:
    """Each target with the actual figure of every term year (one query for the values)."""
    policy = contract.programme.policy
    years = contract.term_years_list
    ids = [t.indicator_id for t in contract.targets.all()]
    values = {
        (v.indicator_id, v.period): v
        for v in IndicatorValue.objects.filter(
            town_id=contract.town_id, programme_id=contract.programme_id, basis="actual", indicator_id__in=ids,
            period__in=[str(y) for y in years],
        )
    }
    rows = []
    for target in contract.targets.all():
        try:
            ind = policy.indicator(target.indicator_id)
        except KeyError:
            continue
        cells, latest_value = [], None
        for year in years:
            v = values.get((target.indicator_id, str(year)))
            typed = v.typed_value(ind.type) if v else None
            if typed is not None:
                latest_value = typed
            cells.append({"year": year, "value": shown(typed) if v else ""})
        goal: Any = bool(target.target) if ind.type == "boolean" else target.target
        met = None if latest_value is None else (bool(latest_value) == goal if ind.type == "boolean"
                                                 else float(latest_value) >= target.target)
        rows.append(TargetRow(target.indicator_id, ind.label, ind.unit, shown(goal), cells,
                              shown(latest_value), met))
    return years, rows


@dataclass(frozen=True)
class AcceptanceView:
    verdict: TownVerdict | None
    problem: str = ""


def acceptance_verdict(contract: Contract) -> AcceptanceView:
    """The programme's acceptance criteria (``policy.criteria_for("acceptance")``) on the town's actuals."""
    policy = contract.programme.policy
    if not policy.criteria_for("acceptance"):
        return AcceptanceView(None)
    try:
        frame = facts_frame(programme=contract.programme, towns=Town.objects.filter(pk=contract.town_id),
                            basis="actual")
        if frame is None or frame.filter(frame["town_id"] == contract.town.code).is_empty():
            return AcceptanceView(None)
        evaluation = evaluate(policy, frame, "acceptance", None)
        try:  # the term's last year is the one judged; the latest year when it has no figures
            return AcceptanceView(evaluation.town(contract.town.code, contract.term_end.year))
        except KeyError:
            return AcceptanceView(evaluation.town(contract.town.code))
    except (FactsError, KeyError, ValueError) as exc:
        return AcceptanceView(None, str(exc))


def enrolments_awaiting_contract(user: User) -> list[Enrolment]:
    """Approved towns (in an entry tier of a programme with contracts) with no open contract, for
    the provincial officer who drafts them. Empty for everyone else."""
    from accounts.models import Role
    from towns.permissions import visible_towns

    from .permissions import offers_contracts

    if getattr(user, "role", None) != Role.PROVINCIAL_OFFICER:
        return []
    q = Q(pk__in=[])
    for programme in programmes_in_force():
        if offers_contracts(programme):
            q |= Q(programme=programme, tier__in=list(programme.policy.lifecycle.entry_tiers))
    return list(
        Enrolment.objects.filter(q, town__in=visible_towns(user), ended_on__isnull=True)
        .exclude(Exists(Contract.objects.filter(enrolment=OuterRef("pk"), state__in=Contract.OPEN_STATES)))
        .select_related("town__region", "programme").defer("town__boundary_geojson").order_by("town__code")[:50]
    )


def target_labels(contract: Contract) -> list[dict[str, Any]]:
    policy = contract.programme.policy
    out: list[dict[str, Any]] = []
    for target in contract.targets.all():
        try:
            ind = policy.indicator(target.indicator_id)
        except KeyError:
            out.append({"id": target.indicator_id, "label": target.indicator_id, "unit": "", "target": shown(target.target),
                        "clause": ""})
            continue
        goal: Any = bool(target.target) if ind.type == "boolean" else target.target
        out.append({"id": ind.id, "label": ind.label, "unit": ind.unit, "target": shown(goal), "clause": ind.clause or ""})
    return out


def milestones_by_year(contract: Contract) -> list[dict[str, Any]]:
    milestones = list(contract.milestones.all())
    return [{"year_no": n, "year": contract.term_start.year + n - 1,
             "items": [m for m in milestones if m.year_no == n]} for n in range(1, contract.term_years + 1)]


def acceptance_handover(contract: Contract) -> dict[str, Any] | None:
    """Where the acceptance goes once applied for: the generic acceptance of the reviews app
    when it is installed; until then the project rests at "acceptance applied"."""
    if not contract.acceptance_applied_on or not apps.is_installed("reviews"):
        return None
    from reviews.models import Acceptance

    acceptance = Acceptance.objects.filter(enrolment_id=contract.enrolment_id,
                                           material_ref=acceptance_material_ref(contract)).first()
    if acceptance is None:
        return None
    return {"url": reverse("reviews:acceptance", args=[acceptance.pk]), "zh": "查看验收进程(省组织或委托市县)",
            "en": "Follow the acceptance (province or delegated city/county)", "acceptance": acceptance}


def default_matching_ratio(programme: Programme, at: dt.date) -> Decimal | None:
    """The programme's ``local_matching_ratio_min`` in force at ``at`` (004 §三6 default 1:1)."""
    value = policy_parameter(programme.policy, "local_matching_ratio_min", at)
    return None if value is None else Decimal(str(value))


def local_party_choices(town: Town) -> list[Region]:
    """The regions whose S&T department may be the contract's city/county party: the town's
    county and its city (a city without counties is both)."""
    chain: list[Region] = []
    region: Region | None = town.region
    while region is not None and region.level != Region.Level.PROVINCE:
        chain.append(region)
        region = region.parent
    return chain


def movements_of(entries: Iterable[FundingEntry]) -> list[Movement]:
    """The lines that count: a reversed line and its reversal cancel out, so neither is counted."""
    entries = list(entries)
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    return [Movement(e.source, e.kind, e.amount, e.on) for e in entries
            if e.reverses_id is None and e.pk not in reversed_ids]


def acceptance_material_ref(contract: Contract) -> str:
    return f"contract:{contract.number}"


def policy_parameter(policy: Policy, ident: str, at: dt.date) -> Any:
    """A programme parameter in force at ``at``, or None where the programme file has none."""
    try:
        return resolve_parameter_value(policy, ident, at)
    except (KeyError, LookupError):
        return None
