"""Browser journeys: Playwright for Python driving Debian's chromium (never a browser downloaded by Playwright).

Every journey test is marked ``browser`` and gets:

* ``page`` — pytest-playwright's page, launched from /usr/bin/chromium with the flags below;
* ``live_server`` — pytest-django's server, on a transactional database (the journey's writes
  happen in the server thread); tests/conftest.py puts the migrations' seed data back after
  each flush;
* ``sign_in(page, user)`` — signs a persona in through the real login form;
* ``shot(page, name)`` — saves a screenshot under ``test-artifacts/<test name>/NN-name.png``.

The personas of tests/web/conftest.py are available as usual.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.web.conftest import PASSWORD

# The live server runs in a thread while the test talks to the ORM from Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture
def sign_in(live_server) -> Callable:
    def _sign_in(page, user, password: str = PASSWORD) -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_load_state("networkidle")

    return _sign_in


@pytest.fixture
def shot(request) -> Callable:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def _shot(page, name: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot

