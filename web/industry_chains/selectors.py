"""A town's industry-chain panorama (产业链全景图, 002 §二(四)1): its chain template, by the town's
category in each programme, and its enterprises placed in the chain's segments.

Enterprises come from the registry (``towns.Enterprise``: its industry field holds the GB/T 4754
code). Another source (an enterprise registry with dated attributes) registers itself with
``register_firm_source``; the newest registered source wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from towns.models import Town
from xiaozhen.chains import Firm, Panorama, chain_for, load_chains, place

FirmSource = Callable[[Town], list[Firm]]


def _registry_firms(town: Town) -> list[Firm]:
    return [Firm(e.name_zh, e.credit_code, e.industry) for e in town.enterprises.order_by("name_zh")]


_SOURCES: list[FirmSource] = [_registry_firms]


def register_firm_source(source: FirmSource) -> FirmSource:
    _SOURCES.append(source)
    return source


@dataclass(frozen=True)
class TownPanorama:
    programme_name: str
    category_label: str
    panorama: Panorama


def town_panoramas(town: Town) -> list[TownPanorama]:
    """One panorama per programme whose category has a chain template (none: an empty list)."""
    firms = _SOURCES[-1](town)
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
