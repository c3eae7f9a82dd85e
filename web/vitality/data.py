"""From the database to the core: a programme's figures as index data and as signal inputs.

Index data: each town's latest year with actual figures (a whole-year row, or the sum / last of its
quarters as the programme's facts reader folds them — we read whole-year rows and fall back to the last
quarter's value). Signals: every actual figure, the reports' project ledgers, the enterprise claims.
Queries: a handful, whatever the number of towns.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings

from programmes.models import Programme
from reports.models import LedgerProject
from towns.models import IndicatorValue, Town
from xiaozhen.index import IndexData, Method, index_data, load_method
from xiaozhen.reports import ledger_link_for
from xiaozhen.signals import EnterpriseClaim, LedgerLine, Observation
from xiaozhen.signals._facts import indicator_infos

from .models import EnterpriseClaim as ClaimRow

METHODS_DIR = Path(settings.REPO_DIR) / "methods"


def method_for(programme: Programme) -> Method | None:
    """The programme's vitality method file (methods/<programme>-vitality.yaml), if it has one."""
    path = METHODS_DIR / f"{programme.policy_id}-vitality.yaml"
    return load_method(path) if path.exists() else None


def programmes_with_methods() -> list[tuple[Programme, Method]]:
    out = []
    for programme in Programme.objects.order_by("policy_id"):
        method = method_for(programme)
        if method is not None:
            out.append((programme, method))
    return out


def latest_year(programme: Programme, columns: set[str] | None = None) -> int | None:
    """The latest whole year with actual figures (of the method's columns: a boundary's area measured this
    year does not make this year one of the index's years)."""
    values = IndicatorValue.objects.filter(programme=programme, basis="actual")
    if columns is not None:
        values = values.filter(indicator_id__in=columns)
    periods = values.values_list("period", flat=True)
    years = [int(p[:4]) for p in set(periods) if len(p) == 4]
    return max(years) if years else None


def vitality_data(programme: Programme, method: Method, year: int | None = None) -> tuple[IndexData, int | None]:
    """One row per enrolled town with figures: town_id, town_name, city (region prefix) and each column."""
    year = year or latest_year(programme, set(method.columns()))  # denominators (areas) are not a year's figures
    columns = set(method.columns()) | set(method.spec.data.denominators)
    values = IndicatorValue.objects.filter(programme=programme, basis="actual", period=str(year),
                                           indicator_id__in=columns, number__isnull=False)
    rows: dict[int, dict[str, Any]] = {}
    towns = {t.pk: t for t in Town.objects.filter(pk__in=values.values("town_id")).select_related("region")}
    for town_pk, ident, number in values.values_list("town_id", "indicator_id", "number"):
        town = towns[town_pk]
        row = rows.setdefault(town_pk, {"town_id": town.code, "town_name": town.name_zh,
                                        "city": (town.region.code[:4] if town.region else "")})
        row[ident] = number
    ordered = sorted(rows.values(), key=lambda r: r["town_id"])
    header = ["town_id", "town_name", "city", *sorted(columns)]
    return index_data(method, ordered, columns=header, source=f"{programme.policy_id} {year}"), year


def signal_inputs(programme: Programme, towns: Any = None) -> tuple[list[Observation], list[LedgerLine], list[EnterpriseClaim]]:
    """The programme's actual figures, project-ledger lines and enterprise claims (optionally of some towns)."""
    policy = programme.policy
    infos = indicator_infos(policy)
    values = IndicatorValue.objects.filter(programme=programme, basis="actual", indicator_id__in=list(infos),
                                           number__isnull=False)
    if towns is not None:
        values = values.filter(town__in=towns)
    observations = [Observation(code, period, ident, float(number)) for code, period, ident, number in
                    values.values_list("town__code", "period", "indicator_id", "number")
                    if number is not None]
    link = ledger_link_for(policy)
    ledger: list[LedgerLine] = []
    if link.total is not None:
        projects = LedgerProject.objects.filter(reporting_period__programme=programme)
        if towns is not None:
            projects = projects.filter(town__in=towns)
        for code, period, name, amount in projects.values_list("town__code", "reporting_period__period", "name",
                                                               "completed_investment"):
            ledger.append(LedgerLine(code, period, link.total, name, float(amount)))
    enrolled = IndicatorValue.objects.filter(programme=programme).values("town_id")
    claims = [EnterpriseClaim(code, town, year, name) for code, town, year, name in
              ClaimRow.objects.filter(town__in=enrolled).values_list("credit_code", "town__code", "year", "name")]
    return observations, ledger, claims


def town_labels(codes: set[str]) -> dict[str, Town]:
    return {t.code: t for t in Town.objects.filter(code__in=codes).select_related("region")}


def by_town(items: list[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        out[item.town].append(item)
    return out
