"""Shared test set-up. Web personas live in tests/web/conftest.py."""

import os

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("PROJ_NETWORK", "OFF")

# Hypothesis profiles. CI (which sets CI=true) runs more examples, reproducibly; development runs
# fewer so the suite stays quick at the desk. HYPOTHESIS_PROFILE=thorough for a long hunt.
# A test's own @settings(max_examples=…) still wins: those are tests whose examples are costly.
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"))

#: Modules whose tests load the whole demo (about a minute each on two cores).
SLOW_MODULES = {"test_demo", "test_demo_reviews", "test_demo_lists", "test_demo_reports"}


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests: whole-demo loads and browser journeys. ``-m "not slow"`` leaves them out."""
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


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
