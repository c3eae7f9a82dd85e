"""Schemathesis drives every operation of /api/openapi.json through Django's WSGI app,
in-process, with a valid token: no operation may answer 5xx, and every response must
match the published schema (status, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application


@pytest.fixture
def province_token(token_for, province_officer, enrolment, towns):
    return token_for(province_officer)


# The spec view needs no database, so the schema loads at collection: one test per operation.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
@pytest.mark.django_db
def test_no_operation_answers_5xx_or_off_its_schema(case, province_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {province_token}"})
