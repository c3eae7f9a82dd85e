"""Verdicts stored at submission are written in the core's version-1 shape, and older rows are migrated to it."""

from __future__ import annotations

import importlib

from django.apps import apps

from applications.models import Submission
from applications.selectors import application_page

migration = importlib.import_module("applications.migrations.0002_i11_verdicts_schema_1")


def test_a_submission_stores_its_verdict_with_schema_1_and_criterion_ids(submitted, town_clerk):
    application = submitted(town_clerk)
    verdict = Submission.objects.get(application=application).verdict
    assert verdict["schema"] == 1
    assert verdict["outcomes"] and all("criterion_id" in o and "criterion" not in o for o in verdict["outcomes"])


def test_a_verdict_stored_before_version_1_is_migrated_and_nothing_else_changes(submitted, town_clerk):
    application = submitted(town_clerk)
    submission = Submission.objects.get(application=application)
    current = submission.verdict
    legacy = {k: v for k, v in current.items() if k != "schema"}
    Submission.objects.filter(pk=submission.pk).update(verdict=legacy)
    migration.forwards(apps, None)
    submission.refresh_from_db()
    assert submission.verdict == current


def test_the_application_page_reads_the_stored_verdict_back_criterion_by_criterion(submitted, town_clerk):
    application = submitted(town_clerk)
    stored = Submission.objects.get(application=application).verdict
    page = application_page(application, with_current_verdict=False)
    shown = page.verdict_at_submission
    assert shown is not None and shown.verdict == stored["verdict"]
    assert [o.criterion_id for o in shown.outcomes] == [o["criterion_id"] for o in stored["outcomes"]]
