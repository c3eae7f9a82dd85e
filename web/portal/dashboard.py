"""Dashboard panels and navigation entries: the extension points other apps register into.

Every role gets a dashboard made of the panels registered for it, in ``order``. An app adds
a panel from its ``AppConfig.ready()`` (import a ``dashboard`` module there):

    from portal.dashboard import register_panel

    @register_panel(key="applications_to_review", zh="待审核的申报", en="Applications to review",
                    roles={"city_reviewer"}, template="applications/panel_to_review.html", order=20)
    def applications_to_review(request):
        return {"applications": visible_applications(request.user).filter(state="submitted")[:10]}

A panel may instead take ``allowed=predicate`` (the permission predicate that guards the
page it summarises), so the rule is not restated as a set of roles;
and a navigation entry with ``register_nav(key=..., zh=..., en=..., url_name=..., allowed=predicate)``.
The panel function returns the template's context, or None to hide the panel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from .bilingual import Bi

PanelContext = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    key: str
    title: Bi
    roles: frozenset[str]
    template: str
    context: PanelContext
    order: int = 100
    allowed: Callable[[Any], bool] | None = None

    def shown_to(self, user: Any) -> bool:
        if self.allowed is not None:
            return self.allowed(user)
        return getattr(user, "role", None) in self.roles


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: Bi
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100


_PANELS: dict[str, Panel] = {}
_NAV: dict[str, NavEntry] = {}


def register_panel(
    *, key: str, zh: str, en: str, template: str, roles: Iterable[str] = (), order: int = 100,
    allowed: Callable[[Any], bool] | None = None,
) -> Callable[[PanelContext], PanelContext]:
    def decorate(func: PanelContext) -> PanelContext:
        _PANELS[key] = Panel(key, Bi(zh, en), frozenset(roles), template, func, order, allowed)
        return func

    return decorate


def register_nav(
    *, key: str, zh: str, en: str, url_name: str, allowed: Callable[[Any], bool], order: int = 100
) -> None:
    _NAV[key] = NavEntry(key, Bi(zh, en), url_name, allowed, order)


@dataclass(frozen=True)
class RenderedPanel:
    panel: Panel
    context: dict[str, Any]


def panels_for(request: HttpRequest) -> list[RenderedPanel]:
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if not panel.shown_to(request.user):
            continue
        context = panel.context(request)
        if context is not None:
            out.append(RenderedPanel(panel, context))
    return out


@lru_cache(maxsize=256)
def _nav_url(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    """A navigation entry's URL, reversed once per prefix and URLconf: the menu is on every page."""
    return reverse(url_name)


def nav_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    items = []
    for entry in sorted(_NAV.values(), key=lambda e: (e.order, e.key)):
        if not entry.allowed(user):
            continue
        url = _nav_url(entry.url_name, get_script_prefix(), get_urlconf())
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"key": entry.key, "label": entry.label, "url": url, "current": current})
    return items
