"""Schemathesis drives every operation of /api/openapi.json through Django's WSGI app,
in-process, with a valid token: no operation may answer 5xx, and every response must
match the published schema (status, content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application


@pytest.fixture(autouse=True)
def no_rate_limit_in_the_fuzz(settings):
    """Hundreds of generated requests a minute on one token: the limit (tests/web/api/test_rate_limit.py)
    would answer 429 to most of them and hide what the fuzz is for."""
    settings.API_REQUESTS_PER_MINUTE = 1_000_000


@pytest.fixture
def province_token(token_for, province_officer, enrolment, towns):
    return token_for(province_officer)


@pytest.fixture
def keep_db_connection():
    """The WSGI handler closes the database connection after each request, which would end the
    test's transaction on PostgreSQL; Django's own test client suspends that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The spec view needs no database, so the schema loads at collection: one test per operation.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
@pytest.mark.django_db
def test_no_operation_answers_5xx_or_off_its_schema(case, province_token, keep_db_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {province_token}"},
                           excluded_checks=[positive_data_acceptance],
                           additional_checks=[valid_data_is_accepted_unless_it_holds_text_that_cannot_be_stored])


def valid_data_is_accepted_unless_it_holds_text_that_cannot_be_stored(ctx, response, case) -> None:
    """Schemathesis' positive_data_acceptance, except for one refusal by design: a schema-valid body holding
    NUL or another control character (or nested past 32 levels) is refused with 422 ``invalid_body``."""
    if response.status_code in (422, 400) and response.json().get("error", {}).get("code") == "invalid_body":
        return None
    return positive_data_acceptance(ctx, response, case)


INDICATORS = ["investment", "feature_investment", "feature_share", "has_maker_space"]


@pytest.fixture
def clerk_token(token_for, town_clerk, enrolment, programme, province_officer):
    from reports.actions import open_reporting_period

    open_reporting_period(programme=programme, period="2025Q3", by=province_officer)
    return token_for(town_clerk)


@schema.include(path="/api/reports/", method="POST").parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
@pytest.mark.django_db
def test_random_values_pushed_for_a_real_town_never_answer_5xx(case, clerk_token, qingxiu_town, keep_db_connection):
    """The generated body is pointed at a real town, an open period and the programme's own
    indicators, so the generated values reach the report checks and are stored when they pass.
    Whether a case is "valid" then changes, so only the answer's conformance is checked here."""
    if isinstance(case.body, dict):
        generated = case.body.get("values")
        values = list(generated.values()) if isinstance(generated, dict) else []
        case.body.update(town=qingxiu_town.code, programme="test-guangxi-towns", period="2025Q3", ledger=[],
                         values=dict(zip(INDICATORS, values, strict=False)))
    case.call_and_validate(headers={"Authorization": f"Bearer {clerk_token}"},
                           checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])
