"""The period page, the reports home page and the dashboard make as many queries for 2,000 towns as for 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.web.test_town_list import add_towns

from reports.models import Report
from towns.models import Town

from .conftest import PAST


def add_reports(reporting_period) -> None:
    """Bulk report rows for volume only; every other state is exercised through the actions."""
    have = set(Report.objects.values_list("town_id", flat=True))
    states = [Report.Status.SUBMITTED, Report.Status.LATE, Report.Status.DRAFT, None]
    Report.objects.bulk_create(
        Report(town=town, reporting_period=reporting_period, status=states[i % 4])
        for i, town in enumerate(Town.objects.exclude(pk__in=have)) if states[i % 4]
    )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["reports:period", "reports:index", "portal:dashboard"])
def test_report_lists_make_a_fixed_number_of_queries(programme, past_period, signed_in, province_officer, url_name):
    url = reverse(url_name, args=[programme.policy_id, PAST]) if url_name == "reports:period" else reverse(url_name)
    client = signed_in(province_officer)
    add_towns(20, programme)
    add_reports(past_period)
    queries_for(client, url)  # warm the process's policy cache: the test is about towns, not a cold start
    small = queries_for(client, url)
    add_towns(1980, programme)
    add_reports(past_period)
    assert queries_for(client, url) == small
