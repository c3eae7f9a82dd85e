"""Shared test set-up. Web personas live in tests/web/conftest.py."""

import os

import pytest

os.environ.setdefault("PROJ_NETWORK", "OFF")


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )


@pytest.fixture(autouse=True)
def _seed_data_after_flush(request):
    """A transactional test (browser journeys, live_server) starts after the previous one's flush,
    which empties the tables the migrations seeded. Put the GB/T 2260 regions back.

    Django's ``serialized_rollback`` would do it, but its copy lives on the connection object,
    which Playwright's event loop context does not share."""
    if not _is_transactional(request):
        return
    request.getfixturevalue("_django_db_helper")
    from regions.models import Region
    from regions.seed import apply

    if not Region.objects.exists():
        apply(Region)
