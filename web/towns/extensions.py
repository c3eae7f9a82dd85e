"""Extra sections on the town page, added by other apps (e.g. the reports app's project ledger).

    from towns.extensions import register_town_section

    @register_town_section(key="ledger", template="reports/town_ledger.html", order=50)
    def ledger(request, town):
        return {"ledger_groups": ...}   # the template's ``section``; None hides it

Register from your app's ``AppConfig.ready()``. The function must check nothing more than
what the town page already checked (the viewer may see the town) unless it shows more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

SectionContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class TownSection:
    key: str
    template: str
    context: SectionContext
    order: int


_SECTIONS: dict[str, TownSection] = {}


def register_town_section(*, key: str, template: str, order: int = 100) -> Callable[[SectionContext], SectionContext]:
    def decorate(func: SectionContext) -> SectionContext:
        _SECTIONS[key] = TownSection(key, template, func, order)
        return func

    return decorate


def town_page_sections(request: HttpRequest, town) -> list[dict[str, Any]]:
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, town)
        if context is not None:
            out.append({"template": section.template, "context": context})
    return out
