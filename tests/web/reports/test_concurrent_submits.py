"""The same report sent several times at once (a double click, a retried request) is stored once.

Real concurrency needs real transactions: each request runs in its own thread and connection.
SQLite takes one writer at a time and would make the threads fail with "database is locked"
rather than race, so the parallel test runs on PostgreSQL (CI runs it there); the same
report twice in a row (test_submit_actions) runs everywhere.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from reports.models import Report, ReportRevision
from towns.models import IndicatorValue

from ..races import at_once
from .conftest import PAST

pytestmark = [
    pytest.mark.django_db(transaction=True),  # tests/conftest.py puts the seeded regions back after a flush
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"),
]

PARALLEL = 4


def _post_at_once(url: str, user, data: dict) -> list[object]:
    clients = []
    for _ in range(PARALLEL):  # signed in beforehand, so the posts themselves start together
        client = Client()
        client.force_login(user)
        clients.append(client)
    ready = iter(clients)
    return at_once(PARALLEL, lambda: next(ready).post(url, data).status_code)


def test_four_identical_form_submissions_at_once_make_one_revision(past_period, town_clerk, qingxiu_town):
    url = reverse("reports:report", args=["test-guangxi-towns", PAST, qingxiu_town.code])
    data = {"investment": "2.5", "feature_investment": "2", "has_maker_space": "是",
            "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0"}
    statuses = _post_at_once(url, town_clerk, data)
    assert statuses == [302] * PARALLEL
    report = Report.objects.get(town=qingxiu_town)
    assert report.is_submitted
    assert ReportRevision.objects.filter(report=report).count() == 1
    assert AuditEntry.objects.filter(verb="submit_report").count() == 1
    assert IndicatorValue.objects.get(town=qingxiu_town, indicator_id="investment").number == 2.5


def test_four_identical_corrections_at_once_make_one_more_revision(past_period, town_clerk, qingxiu_town, programme):
    from reports.actions import submit_report_values

    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                         values={"investment": 1, "feature_investment": 1})
    url = reverse("reports:report", args=["test-guangxi-towns", PAST, qingxiu_town.code])
    data = {"investment": "3", "feature_investment": "2", "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0"}
    assert _post_at_once(url, town_clerk, data) == [302] * PARALLEL
    assert ReportRevision.objects.filter(report__town=qingxiu_town).count() == 2
