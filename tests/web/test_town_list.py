"""The town list: filters, pagination, HTMX partial, and a query count that does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Region
from towns.models import Enrolment, Town


def add_towns(n: int, programme, county_codes=("450103", "450107", "450205")) -> None:
    """Bulk rows for volume only (no audit); behaviour is tested through the actions elsewhere."""
    counties = [Region.objects.get(code=c) for c in county_codes]
    start = Town.objects.count()
    towns = Town.objects.bulk_create(
        Town(code=f"bulk-{start + i:05d}", name_zh=f"批量小镇{start + i}", region=counties[i % len(counties)],
             category="manufacturing")
        for i in range(n)
    )
    tiers = ["cultivation", "creation", "named"]
    Enrolment.objects.bulk_create(
        Enrolment(town=t, programme=programme, programme_version=programme.current_version, initial_tier="creation",
                  tier=tiers[i % 3], started_on=dt.date(2019, 1, 1), tier_since=dt.date(2019, 1, 1))
        for i, t in enumerate(towns)
    )


def queries_for(client, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("towns:list"), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"tier": "creation"}, {"region": "placeholder", "q": "批量"}])
def test_the_town_list_makes_as_many_queries_for_5000_towns_as_for_50(programme, signed_in, province_officer, params):
    client = signed_in(province_officer)
    if "region" in params:
        params = {**params, "region": Region.objects.get(code="450100").pk}
    params = {**params, "programme": programme.pk} if "tier" in params else params
    add_towns(50, programme)
    with_50 = queries_for(client, params)
    add_towns(4950, programme)
    assert Town.objects.count() == 5000
    assert queries_for(client, params) == with_50


def test_the_list_shows_twenty_towns_a_page_or_fifty_when_asked_with_links_to_the_next(
        programme, signed_in, province_officer):
    add_towns(120, programme)
    client = signed_in(province_officer)
    html = client.get(reverse("towns:list"), {"page": 2}).content.decode()
    assert html.count('href="/towns/bulk-') == 20
    assert "2 / 6" in html and 'rel="next"' in html and 'rel="prev"' in html
    html = client.get(reverse("towns:list"), {"page": 2, "per_page": 50}).content.decode()
    assert html.count('href="/towns/bulk-') == 50
    assert "2 / 3" in html and "per_page=50&amp;page=3" in html


def test_filtering_by_programme_and_tier_keeps_only_those_towns(programme, signed_in, province_officer):
    add_towns(9, programme)
    html = signed_in(province_officer).get(reverse("towns:list"),
                                           {"programme": programme.pk, "tier": "named"}).content.decode()
    assert html.count('href="/towns/bulk-') == 3
    assert "命名" in html


def test_filtering_by_region_keeps_the_towns_inside_it(programme, signed_in, province_officer):
    add_towns(9, programme)
    liuzhou = Region.objects.get(code="450200")
    html = signed_in(province_officer).get(reverse("towns:list"), {"region": liuzhou.pk}).content.decode()
    assert html.count('href="/towns/bulk-') == 3


def test_a_region_outside_the_users_scope_is_not_a_valid_filter(programme, signed_in, nanning_reviewer):
    add_towns(9, programme)
    liuzhou = Region.objects.get(code="450200")
    html = signed_in(nanning_reviewer).get(reverse("towns:list"), {"region": liuzhou.pk}).content.decode()
    # The form refuses the choice and the list stays the reviewer's own city.
    assert html.count('href="/towns/bulk-') == 6


def test_an_htmx_request_gets_only_the_table(programme, signed_in, province_officer):
    add_towns(3, programme)
    html = signed_in(province_officer).get(reverse("towns:list"), HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith("<table>") and "<html" not in html
