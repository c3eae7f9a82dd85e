"""One API token may make API_REQUESTS_PER_MINUTE requests a minute; the next gets 429 in the
API's error shape with Retry-After, and other tokens are not held back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from safety.throttle import take

from ..races import at_once


def test_the_request_at_the_limit_passes_and_the_one_after_gets_429_in_the_error_shape(api_as, nanning_reviewer, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    api = api_as(nanning_reviewer)
    assert [api.get("/api/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/me")
    body = refused.json()["error"]
    assert refused.status_code == 429 and body["code"] == "rate_limited"
    assert "每分钟最多 3 次" in body["message_zh"] and "at most 3 a minute" in body["message_en"]
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_another_token_has_its_own_allowance(api_as, nanning_reviewer, liuzhou_reviewer, settings):
    settings.API_REQUESTS_PER_MINUTE = 2
    first = api_as(nanning_reviewer)
    for _ in range(3):
        first.get("/api/me")
    assert first.get("/api/me").status_code == 429
    assert api_as(liuzhou_reviewer).get("/api/me").status_code == 200


def test_an_unknown_token_is_refused_before_it_counts_against_anyone(api_as, nanning_reviewer, settings):
    from tests.web.api.conftest import ApiClient

    settings.API_REQUESTS_PER_MINUTE = 1
    assert ApiClient("xz_not-a-token").get("/api/me").status_code == 401
    assert api_as(nanning_reviewer).get("/api/me").status_code == 200


def test_the_window_opens_again_after_a_minute(db):
    start = timezone.now()
    assert take("k", limit=2, seconds=60, now=start).allowed
    assert take("k", limit=2, seconds=60, now=start + dt.timedelta(seconds=1)).allowed
    refused = take("k", limit=2, seconds=60, now=start + dt.timedelta(seconds=59))
    assert not refused.allowed and refused.retry_after == 1
    assert take("k", limit=2, seconds=60, now=start + dt.timedelta(seconds=60)).allowed


def test_a_refused_window_stays_refused_and_its_count_stops_one_past_the_limit(db):
    from safety.models import ThrottleKey

    start = timezone.now()
    outcomes = [take("k", limit=3, seconds=60, now=start + dt.timedelta(seconds=s)).allowed for s in range(8)]
    assert outcomes == [True, True, True, False, False, False, False, False]
    assert ThrottleKey.objects.get(key="k").count == 4
    assert take("k", limit=3, seconds=60, now=start + dt.timedelta(seconds=60)).allowed
    assert ThrottleKey.objects.get(key="k").count == 1


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL; SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_twelve_simultaneous_requests_on_one_token_let_exactly_the_limit_through():
    outcomes = at_once(12, lambda: take("api-token:race", limit=5, seconds=60).allowed)
    assert sorted(outcomes, key=str) == [False] * 7 + [True] * 5
