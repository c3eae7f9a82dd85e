"""Proposal outcomes are stored in the core's version-1 shape, and rows stored under ``criterion`` are migrated."""

from __future__ import annotations

import importlib

from django.apps import apps

from assessments import actions
from assessments.models import Proposal

from .conftest import DOC

migration = importlib.import_module("assessments.migrations.0002_i11_outcomes_schema_1")


def test_proposal_outcomes_stored_under_criterion_are_rewritten_under_criterion_id(assessed, assessed_programme,
                                                                                    province_officer):
    run = actions.start_assessment(programme=assessed_programme, year=2020, by=province_officer, document_number=DOC)
    proposal = run.proposals.exclude(outcomes=[]).first()
    current = proposal.outcomes
    assert current and all("criterion_id" in o and "criterion" not in o for o in current)
    legacy = [{("criterion" if k == "criterion_id" else k): v for k, v in o.items()} for o in current]
    Proposal.objects.filter(pk=proposal.pk).update(outcomes=legacy)
    migration.forwards(apps, None)
    proposal.refresh_from_db()
    assert proposal.outcomes == current
