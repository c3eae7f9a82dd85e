"""The enterprises app's navigation entry and town-page section (registered from EnterprisesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.permissions import is_active
from portal.dashboard import register_nav
from towns.extensions import register_town_section

from .selectors import latest_town_classes, town_leaderboard

register_nav(key="enterprises", zh="亩均评价", en="Per-mu evaluation", url_name="enterprises:index",
             allowed=is_active, order=45)


@register_town_section(key="per_mu", template="enterprises/_town_section.html", order=42)
def per_mu_section(request: HttpRequest, town: Any) -> dict[str, Any] | None:
    """The town's class counts and its five best firms in the latest published evaluation."""
    classes = latest_town_classes(town)
    if classes is None:
        return None
    _, leaders = town_leaderboard(town, classes["run"])
    return {"classes": classes, "leaders": list(leaders[:5]), "town": town}
