"""Dashboard panels and navigation of the towns app (registered from TownsConfig.ready)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count

from accounts.models import Role
from accounts.permissions import is_active
from portal.bilingual import bi_text, pair_of
from portal.dashboard import register_nav, register_panel
from programmes.selectors import programmes_with_versions
from xiaozhen.charts import stacked_bar

from .models import Enrolment
from .permissions import visible_towns
from .selectors import town_list_queryset

REGIONAL = {Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE, Role.AUDITOR}

register_nav(key="towns", zh="小镇", en="Towns", url_name="towns:list", allowed=is_active, order=20)


@register_panel(key="towns_by_tier", zh="辖区小镇(按项目与层级)", en="Towns in your region by programme and tier",
                roles=REGIONAL, template="towns/panels/by_tier.html", order=10)
def towns_by_tier(request):
    counts = (
        Enrolment.objects.filter(town__in=visible_towns(request.user), ended_on__isnull=True)
        .values("programme_id", "tier").annotate(n=Count("id")).order_by()
    )
    by_programme: dict[int, dict[str, int]] = defaultdict(dict)
    for row in counts:
        by_programme[row["programme_id"]][row["tier"]] = row["n"]
    programmes = [p for p in programmes_with_versions() if p.pk in by_programme]
    table = []
    for programme in programmes:
        tiers: list[dict[str, Any]] = [
            {"id": t.id, "label": t.label, "n": by_programme[programme.pk].get(t.id, 0)}
            for t in programme.policy.lifecycle.tiers
            if not t.terminal
        ]
        table.append({"programme": programme, "tiers": tiers, "total": sum(t["n"] for t in tiers)})
    return {"table": table, "chart": tier_chart(table), "town_count": visible_towns(request.user).count()}


def _label(obj: Any) -> str:
    """A Bi label (or {"zh", "en"}) as the one string a chart shows."""
    pair = pair_of(obj)
    return bi_text(*pair) if pair else str(obj)


def tier_chart(table: list[dict]) -> dict | None:
    """One bar per programme, stacked by tier position (entry tiers first), for the panel's chart.

    Programmes name their tiers differently, so segments are the tiers' labels; a label shared by
    two programmes (培育, 创建 …) is one series."""
    if not table:
        return None
    names: list[str] = []
    for row in table:
        for tier in row["tiers"]:
            name = _label(tier["label"])
            if name not in names:
                names.append(name)
    series = []
    for name in names:
        values = []
        for row in table:
            counts = {_label(t["label"]): t["n"] for t in row["tiers"]}
            values.append(counts.get(name, 0))
        series.append((name, values))
    programmes = [_label(row["programme"].policy.identity.short_name) for row in table]
    return stacked_bar(categories=programmes, series=series)


@register_panel(key="my_town", zh="本小镇", en="Your town", roles={Role.TOWN_BODY},
                template="towns/panels/town_cards.html", order=10)
def my_town(request):
    return {"towns": list(town_list_queryset(visible_towns(request.user)))}


@register_panel(key="assigned_towns", zh="指派给您的小镇", en="Towns assigned to you", roles={Role.EXPERT},
                template="towns/panels/town_cards.html", order=10)
def assigned_towns(request):
    return {"towns": list(town_list_queryset(visible_towns(request.user))[:20])}
