"""API test helpers: a token for any persona, and a client that sends it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from api.actions import create_api_token


class ApiClient:
    """The Django test client, sending ``Authorization: Bearer <secret>`` with each request."""

    def __init__(self, secret: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict[str, Any] | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path: str, body: Any):
        return self.client.post(path, body, content_type="application/json", headers=self.headers)


@pytest.fixture
def token_for(db):
    """token_for(user) → a fresh secret acting as that user."""

    def make(user, name: str = "test platform", **kwargs) -> str:
        return create_api_token(by=user, name=name, **kwargs).secret

    return make


@pytest.fixture
def api_as(token_for):
    """api_as(user) → an ApiClient holding a new token of that user."""

    def make(user) -> ApiClient:
        return ApiClient(token_for(user))

    return make
