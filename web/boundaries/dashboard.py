"""The town page's boundary section and the navigation entry (from BoundariesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import Role
from accounts.permissions import is_active
from portal.dashboard import register_nav
from towns.extensions import register_town_section

from .permissions import can_upload_boundary
from .selectors import town_boundary_context

register_nav(key="red_lines", zh="控制线", en="Control lines", url_name="boundaries:red_lines",
             allowed=lambda user: is_active(user) and user.role in (Role.PROVINCIAL_OFFICER, Role.AUDITOR), order=60)


@register_town_section(key="boundary", template="boundaries/town_section.html", order=5)
def boundary_section(request: HttpRequest, town: Any) -> dict[str, Any] | None:
    context = town_boundary_context(town)
    if context is None:
        return None
    return {**context, "town": town, "chart_id": f"boundary-map-{town.code}", "may_upload": can_upload_boundary(request.user, town)}
