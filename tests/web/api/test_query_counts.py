"""API lists make as many queries for a thousand rows as for fifty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import Region
from towns.models import Enrolment, TierChange, Town

pytestmark = pytest.mark.django_db


def add_enrolled_towns(n: int, programme) -> None:
    """Bulk rows for volume only (no audit); behaviour is tested through the actions elsewhere."""
    counties = [Region.objects.get(code=c) for c in ("450103", "450107", "450205")]
    start = Town.objects.count()
    towns = Town.objects.bulk_create(
        Town(code=f"bulk-{start + i:05d}", name_zh=f"批量小镇{start + i}", region=counties[i % 3],
             category="manufacturing")
        for i in range(n)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(town=t, programme=programme, programme_version=programme.current_version, initial_tier="creation",
                  tier="cultivation", started_on=dt.date(2019, 1, 1), tier_since=dt.date(2021, 3, 1))
        for t in towns
    )
    TierChange.objects.bulk_create(
        TierChange(enrolment=e, from_tier="creation", to_tier="cultivation", effective_on=dt.date(2021, 3, 1),
                   programme_version=programme.current_version, transition_id="demote", clause="T §4",
                   reason="未达标", decision_ref="桂科〔2021〕1号")
        for e in enrolments
    )


def queries_for(api, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, {"page_size": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/api/towns/", "/api/enrolments/", "/api/programmes/"])
def test_a_list_makes_as_many_queries_for_1000_rows_as_for_50(path, programme, api_as, province_officer):
    api = api_as(province_officer)
    api.get("/api/me")  # the first use stamps last_used_at (one more query, once a minute)
    add_enrolled_towns(50, programme)
    with_50 = queries_for(api, path)
    add_enrolled_towns(950, programme)
    assert queries_for(api, path) == with_50


def test_the_reports_list_makes_as_many_queries_for_1000_reports_as_for_50(programme, api_as, province_officer):
    from reports.models import Report, ReportingPeriod, ReportRevision

    period = ReportingPeriod.objects.create(programme=programme, period="2025Q3", starts_on=dt.date(2025, 7, 1),
                                            ends_on=dt.date(2025, 9, 30), due_on=dt.date(2025, 10, 15))

    def add_reports(n: int) -> None:
        add_enrolled_towns(n, programme)
        towns = Town.objects.filter(reports__isnull=True)
        reports = Report.objects.bulk_create(
            Report(town=t, reporting_period=period, status="submitted", values={"investment": 1.0}) for t in towns)
        ReportRevision.objects.bulk_create(
            ReportRevision(report=r, number=1, kind="submit", source="api", by=province_officer,
                           values=r.values) for r in reports)

    api = api_as(province_officer)
    api.get("/api/me")
    add_reports(50)
    with_50 = queries_for(api, "/api/reports/")
    add_reports(950)
    assert queries_for(api, "/api/reports/") == with_50
