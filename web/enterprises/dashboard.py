"""The enterprises app's navigation entry and town-page section (registered from EnterprisesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.permissions import is_active
from portal.dashboard import register_nav
from towns.extensions import register_town_section

from .models import EnterpriseYear
from .selectors import latest_town_classes, registry_indicators, town_leaderboard

register_nav(key="enterprises", zh="亩均评价", en="Per-mu evaluation", url_name="enterprises:index",
             allowed=is_active, order=45)


@register_town_section(key="per_mu", template="enterprises/_town_section.html", order=42)
def per_mu_section(request: HttpRequest, town: Any) -> dict[str, Any] | None:
    """The town's class counts and five best firms in the latest published evaluation, and the
    indicators counted from its firms in the registry's latest year (000 第二部分(六), 001 §三(四))."""
    classes = latest_town_classes(town)
    year = EnterpriseYear.objects.filter(town=town).order_by("-year").values_list("year", flat=True).first()
    if classes is None and year is None:
        return None
    leaders = list(town_leaderboard(town, classes["run"])[1][:5]) if classes else []
    registry = registry_indicators(town, year) if year is not None else {}
    return {"classes": classes, "leaders": leaders, "town": town, "registry_year": year, "registry": registry}
