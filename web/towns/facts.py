"""From the database to the engine: IndicatorValue rows → the core's facts records and frame.

One record per town × period × basis, with the reserved columns the engine reads
(town_id = Town.code, town_name, category, sub_sector, region_code, period, basis, tier)
and one column per reported indicator. ``tier`` is the tier the town held at the end of
the period (from its enrolment and tier changes), so the same records serve as the
history ``engine.assess`` reads. Queries: three, whatever the number of towns.

A year may hold both quarterly rows (quarterly reports, API pushes) and a whole-year row
(an annual assessment, an acceptance panel's ``confirms:``). The engine would count them
twice, so the year's quarters are folded into the year here, as the engine folds them
(``xiaozhen.engine``'s ``to_years``: summed flows add up, other figures keep the last
quarter), and the whole-year row's values are laid over the fold indicator by indicator.
A whole-year value wins for the indicator it gives; it never blanks the others
(docs/facts-sources.md).

Computed figures (``register_computed_figures``): an app higher up (the enterprise registry)
may supply figures it counts itself, e.g. 000's above-scale firms with an R&D institution.
They are laid over the town's actual rows of that year *when the records are read*; the
town's own stored figure is never changed, and ``facts_with_sources`` says, per town, year and
indicator, which figure was used, from which source, what the town reported and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Prefetch, QuerySet

from portal.request_memo import memo
from xiaozhen.facts import frame_from_records
from xiaozhen.periods import Period
from xiaozhen.policy import Policy

from .models import Enrolment, ExtensionApproval, IndicatorValue, TierChange, Town


@dataclass(frozen=True)
class ComputedFigure:
    """A town's figure for a whole year that another app computed from its own records."""

    town_pk: int
    year: int
    indicator: str
    value: float
    source: str  # bilingual, e.g. "企业库 2024 年 10 家企业 / enterprise registry, 10 firms in 2024"
    how: str  # how it was counted, e.g. "2 ÷ 10", "按企业计数 / counted firm by firm"


@dataclass(frozen=True)
class FigureSource:
    """Which figure the engine read for one town, year and indicator, and why."""

    indicator: str
    label: Any  # the indicator's bilingual label (xiaozhen.policy.Text)
    used: Any
    source: str
    how: str
    reported: Any  # the town's own stored figure for that row (None when it gave none)
    reported_source: str  # its source label ("" when none)
    why: str

    @property
    def differs(self) -> bool:
        return self.reported is not None and self.reported != self.used


#: (town pks, indicator ids a policy reads) → the figures computed for them.
ComputedSource = Callable[[set[int], set[str]], Iterable[ComputedFigure]]
_COMPUTED: dict[str, ComputedSource] = {}

REGISTRY_WINS = ("数据源逐家计数，口径统一，优先于小镇自报数；自报数保留备查",
                 "counted record by record from the source, so it takes precedence over the town's own figure, "
                 "which is kept for reference")


def register_computed_figures(key: str) -> Callable[[ComputedSource], ComputedSource]:
    """Register a supplier of computed figures (from an app's ``AppConfig.ready()``)."""

    def decorate(func: ComputedSource) -> ComputedSource:
        _COMPUTED[key] = func
        return func

    return decorate


def facts_records(
    *,
    programme,
    policy: Policy | None = None,
    towns: QuerySet[Town] | None = None,
    basis: str | None = None,
) -> list[dict[str, Any]]:
    return facts_with_sources(programme=programme, policy=policy, towns=towns, basis=basis)[0]


def facts_with_sources(
    *,
    programme,
    policy: Policy | None = None,
    towns: QuerySet[Town] | None = None,
    basis: str | None = None,
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], dict[str, FigureSource]]]:
    """The engine's records, and for each (town code, period) the computed figures laid over them."""
    policy = policy or programme.policy
    types = {i.id: i.type for i in policy.indicators if i.kind == "reported"}
    values = IndicatorValue.objects.filter(programme=programme, indicator_id__in=list(types))
    if towns is not None:
        values = values.filter(town__in=towns)
    if basis is not None:
        values = values.filter(basis=basis)
    rows = values.order_by("town__code", "period", "basis").values_list(
        "town_id", "town__code", "town__name_zh", "town__category", "town__sub_sector", "town__region__code",
        "indicator_id", "period", "basis", "number", "text", "source",
    )
    enrolments = _enrolments(programme, {r[0] for r in rows}) if rows else {}
    records: dict[tuple[int, str, str], dict[str, Any]] = {}
    stored_sources: dict[tuple[int, str, str, str], str] = {}
    for town_pk, code, name, category, sub_sector, region_code, ident, period, row_basis, number, text, src in rows:
        stored_sources[(town_pk, period, row_basis, ident)] = src
        key = (town_pk, period, row_basis)
        record = records.get(key)
        if record is None:
            enrolment = enrolments.get(town_pk)
            if enrolment is not None:  # the programme's own classification, when given
                category, sub_sector = enrolment.category or category, enrolment.sub_sector or sub_sector
            record = records[key] = {
                "town_id": code, "town_name": name, "category": category or None, "sub_sector": sub_sector or None,
                "region_code": region_code, "period": period, "basis": row_basis,
                "tier": enrolment.tier_at(Period.parse(period).end) if enrolment else None,
            }
        record[ident] = _typed(types[ident], number, text)
    _add_approvals(records, enrolments)
    years = {(town_pk, period, b) for (town_pk, period, b) in records if len(period) == 4}
    quarters: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
    out = []
    for (town_pk, period, b), record in records.items():
        if len(period) == 4:
            out.append(record)
        elif (town_pk, period[:4], b) in years:
            quarters.setdefault((town_pk, period[:4], b), []).append(record)
        else:
            out.append(record)
    for key, quarter_rows in quarters.items():
        _lay_year_over_quarters(records[key], quarter_rows, policy)
    sources = _lay_computed(records, quarters, stored_sources, policy) if _COMPUTED and basis != "plan" else {}
    return out, sources


def _lay_computed(records: dict[tuple[int, str, str], dict[str, Any]],
                  folded: dict[tuple[int, str, str], list[dict[str, Any]]],
                  stored_sources: dict[tuple[int, str, str, str], str],
                  policy: Policy) -> dict[tuple[str, str], dict[str, FigureSource]]:
    """Put computed figures on the actual row the engine reads for their year; say what each replaced.

    The row is the whole-year record, or, in a year reported only by quarter, the latest quarter
    (a stock keeps the last quarter's value when the engine folds the year). Summed flows are never
    computed here. Plans are left alone: a registry counts what exists, a plan what is intended.
    """
    reported = {i.id: i for i in policy.indicators if i.kind == "reported" and i.aggregate != "sum"}
    if not reported:
        return {}
    targets: dict[tuple[int, int], tuple[tuple[int, str, str], dict[str, Any]]] = {}
    folded_quarters = {id(r) for rows in folded.values() for r in rows}
    for key, record in sorted(records.items(), key=lambda kv: kv[0][1]):
        town_pk, period, row_basis = key
        if row_basis != "actual" or id(record) in folded_quarters:
            continue
        year = int(period[:4])
        current = targets.get((town_pk, year))
        if current is None or len(current[0][1]) != 4:  # a whole-year row beats its quarters; later quarters beat earlier
            targets[(town_pk, year)] = (key, record)
    if not targets:
        return {}
    labels = dict(IndicatorValue.Source.choices)
    out: dict[tuple[str, str], dict[str, FigureSource]] = {}
    town_pks = {pk for pk, _ in targets}
    for supplier in _COMPUTED.values():
        for figure in supplier(town_pks, set(reported)):
            target = targets.get((figure.town_pk, figure.year))
            if target is None or figure.indicator not in reported:
                continue
            (town_pk, period, row_basis), record = target
            before = record.get(figure.indicator)
            stored = stored_sources.get((town_pk, period, row_basis, figure.indicator), "")
            used = _typed(reported[figure.indicator].type, figure.value, "")
            record[figure.indicator] = used
            out.setdefault((record["town_id"], period), {})[figure.indicator] = FigureSource(
                indicator=figure.indicator, label=reported[figure.indicator].label, used=used, source=figure.source, how=figure.how, reported=before,
                reported_source=str(labels.get(stored, stored)), why=" / ".join(REGISTRY_WINS))
    return out


def _lay_year_over_quarters(year: dict[str, Any], quarters: list[dict[str, Any]], policy: Policy) -> None:
    """Fill ``year`` (a whole-year record) with what its quarters say for the indicators it leaves blank.

    The fold is the engine's: a summed flow (``aggregate: sum``, not cumulative) is the sum of the
    quarters, unknown when a quarter lacks it (zero when ``blank_is_zero``); any other figure (a stock,
    a running total, yes/no) is the last quarter's.
    """
    quarters = sorted(quarters, key=lambda r: r["period"])
    given = {ident for row in quarters for ident in row if ident not in _RESERVED}
    for ident in given:
        if year.get(ident) is not None:
            continue  # the whole-year figure for this indicator wins
        ind = policy.indicator(ident)
        seen = [row.get(ident) for row in quarters]
        if ind.blank_is_zero:
            seen = [0.0 if v is None else v for v in seen]
        if ind.aggregate == "sum" and not ind.cumulative:
            year[ident] = None if any(v is None for v in seen) else float(sum(v for v in seen if v is not None))
        else:
            year[ident] = seen[-1]


_RESERVED = frozenset({"town_id", "town_name", "category", "sub_sector", "region_code", "period", "basis", "tier"})


def _add_approvals(records: dict[tuple[int, str, str], dict[str, Any]], enrolments: dict[int, Enrolment]) -> None:
    """Each recorded extension approval goes on the town's first actual row of its year or later
    (the facts column ``extension_approved_until``; the engine carries it to later years)."""
    for town_pk, enrolment in enrolments.items():
        for approval in enrolment.extension_approvals.all():
            keys = sorted(k for k in records if k[0] == town_pk and k[2] == "actual" and k[1][:4] >= str(approval.approved_on.year))
            if keys:
                records[keys[0]]["extension_approved_until"] = approval.approved_until.isoformat()


def facts_frame(
    *,
    programme,
    version=None,
    towns: QuerySet[Town] | None = None,
    basis: str | None = None,
) -> pl.DataFrame | None:
    """The engine's facts frame for ``programme`` (None when there is no value yet).

    ``version`` picks the policy (default: the current one) — pass the version a past
    decision used to re-run it exactly.
    """
    policy = (version or programme.current_version).policy
    records = facts_records(programme=programme, policy=policy, towns=towns, basis=basis)
    if not records:
        return None
    return frame_from_records(policy, records, source=f"database:{programme.policy_id}")


def _enrolments(programme, town_pks: set[int]) -> dict[int, Enrolment]:
    """The latest enrolment of each town in the programme, with its tier changes (read once per request:
    a town page reads them for its plans and again for its actuals)."""
    key = f"towns.facts.enrolments:{programme.pk}:{','.join(map(str, sorted(town_pks)))}"
    return memo(key, lambda: _read_enrolments(programme, town_pks))


def _read_enrolments(programme, town_pks: set[int]) -> dict[int, Enrolment]:
    out: dict[int, Enrolment] = {}
    enrolments = (
        Enrolment.objects.filter(programme=programme, town_id__in=town_pks)
        .order_by("town_id", "started_on")
        .prefetch_related(
            Prefetch("tier_changes", queryset=TierChange.objects.order_by("effective_on", "pk")),
            Prefetch("extension_approvals", queryset=ExtensionApproval.objects.order_by("approved_on", "pk")),
        )
    )
    for enrolment in enrolments:
        out[enrolment.town_id] = enrolment
    return out


def _typed(indicator_type: str, number: float | None, text: str) -> Any:
    if indicator_type == "text":
        return text or None
    if number is None:
        return None
    if indicator_type == "boolean":
        return number != 0
    return number
