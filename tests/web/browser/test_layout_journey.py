"""Every page kind of the demo, for every role, fits the screen at 390 px (a phone) and 1,366 px
(an office laptop), in the normal and the 长者模式 large-text mode; the main page kinds have no serious
or critical WCAG 2.1 AA violation by axe-core (vendored under tests/web/browser/vendor/axe-core)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..readable import internal_paths, page_kind
from .conftest import ARTIFACTS

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
USERS = ["province", "province-zj", "city", "county", "town", "expert", "city-guangzhou"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PER_USER = 30


def sign_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"demo-{username}")
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def crawl(page, base: str, on_page: Callable[[str], None] | None = None, limit: int = PER_USER) -> list[str]:
    """The pages this user reaches from the dashboard and one click further: one path per page kind.
    ``on_page(path)`` runs on each page as it is shown, so a check at this width needs no second visit."""
    seen: dict[str, str] = {}
    queue = ["/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        kind = page_kind(path)
        if kind in seen:
            continue
        try:
            response = page.goto(base + path)
        except PlaywrightError:  # a download, not a page
            continue
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        seen[kind] = path
        if on_page is not None:
            on_page(path)
        hrefs = page.eval_on_selector_all("header a[href], main a[href]", "els => els.map(e => e.getAttribute('href'))")
        for link in internal_paths(hrefs, queries=False):
            if page_kind(link) not in seen and link not in queue:
                queue.append(link)
    return list(seen.values())


DRAWN = ("() => !document.querySelector("
         "'[data-echart]:not([data-drawn=\"1\"]), [data-echart-url]:not([data-drawn=\"1\"])')")


def track(page) -> set[str]:
    """The page's requests still in flight, kept up to date, to name what a page that never settles waits for."""
    inflight: set[str] = set()
    page.on("request", lambda r: inflight.add(r.url))
    page.on("requestfinished", lambda r: inflight.discard(r.url))
    page.on("requestfailed", lambda r: inflight.discard(r.url))
    return inflight


def settle(page, inflight: set[str], timeout: int = 90_000) -> str | None:
    """Wait until the page has loaded (its images and scripts) and drawn every chart; None when it has,
    else what it still waits for. Not "networkidle": a heuristic (no request for 500 ms) that a busy
    machine can miss for minutes on a page that is already complete."""
    try:
        page.wait_for_load_state("load", timeout=timeout)
        page.wait_for_function(DRAWN, timeout=timeout)
    except PlaywrightTimeout:
        return "waiting for " + (", ".join(sorted(urlparse(u).path for u in inflight)) or "a chart to draw")
    return None


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def demo(live_server, demo_output):
    return live_server.url


#: The four ways a page is seen, narrowest first: a chart drawn at one width is redrawn only on the resize event,
#: so widening never leaves a stale, wider drawing behind.
MODES = ((390, False), (390, True), (1366, True), (1366, False))


@pytest.mark.parametrize("username", USERS)
def test_every_page_kind_fits_a_phone_and_a_laptop_in_both_modes(browser, demo, username):
    """One test per role, so the suite's workers share them out. Each page is loaded once, at 390 px, and then
    measured in the four modes: 长者模式 is the ``elder`` class on <body> (all the server changes is that class and
    the switch's label), and the laptop width is the same page with the viewport widened."""
    folder = ARTIFACTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    checked: list[str] = []

    def check(page, inflight: set[str], path: str) -> None:
        waiting = settle(page, inflight)
        if waiting:  # name the page that never settles rather than fail without one
            too_wide.append(f"{username} {path}: {waiting}")
            return
        for width, elder in MODES:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate("on => document.body.classList.toggle('elder', on)", elder)
            mode = f"{width}px{' elder' if elder else ''}"
            if (extra := overflow(page)) > 0:
                too_wide.append(f"{username} {mode} {path}: +{extra} px")
            else:
                checked.append(f"{mode} {path}")
        page.set_viewport_size({"width": 390, "height": 900})

    phone = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    page = sign_in(phone, demo, username)
    inflight = track(page)
    paths = crawl(page, demo, on_page=lambda path: check(page, inflight, path))
    assert len(paths) >= 3, paths
    if username in ("province", "town"):
        page.goto(demo + "/")
        page.screenshot(path=str(folder / f"{username}-390.png"), full_page=True)
    # 长者模式 through its own switch: the cookie, the class and body text of at least 18 px (适老化).
    page.goto(demo + "/")
    page.click("form.elder-switch button")
    page.wait_for_load_state("load")
    assert page.evaluate("document.body.classList.contains('elder')")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18, size
    if username in ("province", "town"):
        page.screenshot(path=str(folder / f"{username}-390-elder.png"), full_page=True)
    phone.close()
    assert not too_wide, "\n".join(too_wide)
    assert len(checked) == len(MODES) * len(paths)


def test_a_phone_gets_a_menu_button_that_opens_the_navigation(browser, demo):
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    page = sign_in(context, demo, "province")
    toggle = page.locator("button.menu-toggle")
    assert toggle.is_visible() and not page.locator("#site-nav").is_visible()
    toggle.click()
    assert page.locator("#site-nav").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(ARTIFACTS / "layout" / "menu-open-390.png"))
    context.close()


@pytest.mark.parametrize("username", ["province", "town", "expert"])
def test_the_main_page_kinds_have_no_serious_accessibility_violation_in_either_mode(browser, demo, username):
    """One role per test, so the suite's workers share them out."""
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    found: list[str] = []
    # The site's CSP (script-src 'self') rightly refuses an inline script; axe is the test's, not the page's.
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = sign_in(context, demo, username)
    inflight = track(page)

    def audit(path: str) -> None:
        """axe on the page as served, then with 长者模式's class on <body> (all the server changes is that class)."""
        waiting = settle(page, inflight)
        assert not waiting, f"{username} {path}: {waiting}"
        page.add_script_tag(content=AXE)
        for elder in (False, True):
            page.evaluate("on => document.body.classList.toggle('elder', on)", elder)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
            name = f"{username}{'-elder' if elder else ''}{path.replace('/', '_')}.json"
            (folder / name).write_text(json.dumps(result["violations"], ensure_ascii=False, indent=1))
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    found.append(f"{username} {'elder' if elder else ''} {path}: {v['id']} {v['nodes'][0]['target']}")

    paths = crawl(page, demo, on_page=audit, limit=12)
    context.close()
    assert len(paths) >= 3, paths
    assert not found, "\n".join(found)
