"""The demo step gives the city reviewer and the town body a known, working token, once."""

from __future__ import annotations

import pytest

from api.models import ApiToken
from demo.by_app import api as demo
from demo.registry import DemoContext

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_the_demo_tokens_work_are_printed_and_a_second_run_adds_none(nanning_reviewer, town_clerk):
    said: list[str] = []
    ctx = DemoContext(write=said.append, users={"city": nanning_reviewer, "town": town_clerk})
    demo.api_tokens(ctx)
    demo.api_tokens(ctx)
    assert ApiToken.objects.count() == 2
    city_secret = demo.DEMO_TOKENS[0][2]
    assert any(city_secret in line for line in said)
    assert ApiClient(city_secret).get("/api/me").json()["username"] == nanning_reviewer.username
