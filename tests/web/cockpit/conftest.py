"""Each cockpit test starts with an empty cache: the test database rolls back between tests and reuses ids, so a
data stamp cached by one test could otherwise match another test's different data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
