"""Template context every page gets: the navigation for the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .dashboard import nav_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_for(request)}


ELDER_COOKIE = "xz_elder"


def elder_mode(request: HttpRequest) -> dict[str, Any]:
    """长者模式 (large text): chosen with the header's switch, kept in a cookie for a year."""
    return {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1"}
