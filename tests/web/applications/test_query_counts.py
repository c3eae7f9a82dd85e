"""The application list and the review queue make as many queries for 5,000 applications as for 50."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from regions.models import Region
from towns.models import Town

STATES = [("submitted", "city_check"), ("in_review", "city_recommend"), ("in_review", "region_review"),
          ("returned", ""), ("listed", "")]


def add_applications(n: int, call, creator, county_codes=("450103", "450107", "450205")) -> None:
    """Bulk rows for volume only (no audit); behaviour is tested through the actions elsewhere."""
    counties = [Region.objects.get(code=c) for c in county_codes]
    start = Town.objects.count()
    towns = Town.objects.bulk_create(
        Town(code=f"app-{start + i:05d}", name_zh=f"申报小镇{start + i}", region=counties[i % len(counties)])
        for i in range(n)
    )
    Application.objects.bulk_create(
        Application(call=call, programme=call.programme, town=t, state=STATES[i % len(STATES)][0],
                    current_step=STATES[i % len(STATES)][1], created_by=creator, category="high_tech_zone")
        for i, t in enumerate(towns)
    )


def queries_for(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who,url,params", [
    ("province_officer", "applications:list", {}),
    ("nanning_reviewer", "applications:list", {"state": "in_review"}),
    ("auditor", "applications:list", {}),
    ("nanning_reviewer", "applications:queue", {}),
    ("province_officer", "applications:queue", {}),
])
def test_the_list_and_the_queue_make_as_many_queries_for_5000_applications_as_for_50(
    guangxi_call, province_officer, signed_in, request, who, url, params
):
    client = signed_in(request.getfixturevalue(who))
    add_applications(50, guangxi_call, province_officer)
    with_50 = queries_for(client, reverse(url), params)
    add_applications(4950, guangxi_call, province_officer)
    assert Application.objects.count() == 5000
    assert queries_for(client, reverse(url), params) == with_50


def test_the_queue_shows_a_page_of_only_the_reviewers_steps(guangxi_call, province_officer, nanning_reviewer,
                                                            signed_in):
    add_applications(300, guangxi_call, province_officer)
    client = signed_in(nanning_reviewer)
    html = client.get(reverse("applications:queue")).content.decode()
    # Nanning holds two of the three counties; the city decides city_check and city_recommend (2 of 5 states).
    assert len(re.findall(r'href="/applications/\d+/"', html)) == 20
    assert "设区市科技局" in html and "自治区科技厅审核评估" not in html
    assert "1 / 4" in html  # 300 × 2/3 × 2/5 = 80 waiting for Nanning, 20 a page
    html = client.get(reverse("applications:queue"), {"per_page": 50}).content.decode()
    assert len(re.findall(r'href="/applications/\d+/"', html)) == 50 and "1 / 2" in html
