"""The demo shows boundaries for every town, one Zhejiang town crossing a demo red line, and two cockpits."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from boundaries.models import BoundaryVersion, RedLineFinding, RedLineLayer
from towns.models import IndicatorValue, Town


def test_the_demo_has_every_boundary_a_flagged_crossing_and_cockpits_for_zhejiang_and_guangxi(db, client, demo_output):
    towns = Town.objects.count()
    assert towns >= 60
    assert BoundaryVersion.objects.filter(layer="planned", is_current=True).values("town").distinct().count() == towns
    assert RedLineLayer.objects.filter(region__code="330000", kind="ecological_red_line").exists()
    crossing = RedLineFinding.objects.filter(crossed=True).select_related("town__region").get()
    assert crossing.town.region.code.startswith("33") and crossing.overlap_share > 0
    assert IndicatorValue.objects.filter(town=crossing.town, indicator_id="crosses_ecological_red_line",
                                         number=1.0, source="spatial").exists()
    for username in ("province-zj", "province"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("cockpit:index")).status_code == 200
        option = client.get(reverse("cockpit:map_data") + "?colour=red_lines").json()
        drawn = sum(len(s["data"]) for s in option["series"])
        assert drawn == Town.objects.filter(region__code__startswith=User.objects.get(username=username).region.code[:2]).count()
    page = client.get(reverse("towns:detail", args=[crossing.town.code]))  # a Guangxi officer may not see it
    assert page.status_code == 403
    client.force_login(User.objects.get(username="province-zj"))
    assert "触碰控制线" in client.get(reverse("towns:detail", args=[crossing.town.code])).content.decode()
