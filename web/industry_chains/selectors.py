"""A town's industry-chain panorama (产业链全景图, 002 §二(四)1): its chain template, by the town's
category in each programme, and its enterprises placed in the chain's segments.

Enterprises come from the enterprise registry by year (``enterprises.EnterpriseYear``, its latest year
for the town: name, credit code and GB/T 4754 industry code) and, where a town has none there yet,
from the town's enterprise list (``towns.Enterprise``, whose industry field holds the code).
"""

from __future__ import annotations

from dataclasses import dataclass

from enterprises.models import EnterpriseYear
from towns.models import Town
from xiaozhen.chains import Firm, Panorama, chain_for, load_chains, place


def town_firms(town: Town) -> list[Firm]:
    latest = EnterpriseYear.objects.filter(town=town).order_by("-year").values_list("year", flat=True).first()
    if latest is not None:
        rows = EnterpriseYear.objects.filter(town=town, year=latest).order_by("name", "credit_code")
        return [Firm(r.name or r.credit_code, r.credit_code, r.industry_code) for r in rows]
    return [Firm(e.name_zh, e.credit_code, e.industry) for e in town.enterprises.order_by("name_zh")]


@dataclass(frozen=True)
class TownPanorama:
    programme_name: str
    category_label: str
    panorama: Panorama


def town_panoramas(town: Town) -> list[TownPanorama]:
    """One panorama per programme whose category has a chain template (none: an empty list)."""
    firms = town_firms(town)
    templates = load_chains()
    out = []
    for enrolment in town.enrolments.select_related("programme__current_version").order_by("started_on"):
        category = enrolment.category or town.category
        chain = chain_for(templates, enrolment.programme.policy_id, category)
        if chain is None:
            continue
        label = next((c.label.zh for c in enrolment.programme.policy.categories if c.id == category), category)
        out.append(TownPanorama(enrolment.programme.name_zh, label, place(chain, firms)))
    return out
