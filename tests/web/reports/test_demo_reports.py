"""The demo shows quarterly reporting in every state, and the demo town has a report to file."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from reports.models import (
    Bulletin,
    LedgerProject,
    Reminder,
    Report,
    ReportingPeriod,
    ReportRevision,
)


def test_the_demo_has_reports_in_every_state_a_published_bulletin_and_a_report_for_the_town_login(db, client, demo_output):
    assert set(Report.objects.values_list("status", flat=True)) == {"draft", "submitted", "late"}
    assert Report.objects.filter(revisions__kind="submit", revisions__number=2).exists()
    assert LedgerProject.objects.filter(counted=False).exists()
    assert Bulletin.objects.filter(status="published").exists() and Bulletin.objects.filter(status="draft").exists()
    assert Reminder.objects.filter(kind="overdue").exists()
    assert ReportRevision.objects.count() > Report.objects.count()

    clerk = User.objects.get(username="town")
    open_periods = ReportingPeriod.objects.filter(programme__enrolments__town=clerk.town, status="open")
    assert open_periods.exclude(reports__town=clerk.town).exists()  # this quarter's, still to file
    draft = Report.objects.get(town=clerk.town, status="draft")
    client.force_login(clerk)
    page = client.get(reverse("reports:report", args=[draft.reporting_period.programme.policy_id,
                                                       draft.reporting_period.period, clerk.town.code]))
    assert "草稿中有以下问题" in page.content.decode()
