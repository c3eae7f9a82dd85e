"""No raw identifier, Python literal or unformatted number reaches a person (issue 16): the whole demo,
signed in as each demo role, every page kind reachable from the navigation and one click further.

The crawl is tests/web/browser/test_layout_journey.py's, with Django's test client instead of a browser.
What counts as unreadable is tests/web/readable.py's; the one-word ids it also looks for (``creation``,
``pass``) come from the core glossary (xiaozhen.glossary) and the programmes' own files.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from programmes.models import Programme
from xiaozhen.glossary import TERMS

from .readable import internal_paths, links, page_kind, unreadable, visible_text

#: One login per role and per kind of region the demo prints (load_demo's list), applicants in two states.
LOGINS = ["province", "province-zj", "province-gd", "province-js", "city", "city-liuzhou", "county", "expert",
          "auditor", "town", "expert2", "city-guangzhou", "town-440106-001", "county-zhuji",
          "applicant-330102-002", "applicant-330112-002"]
PER_USER = 60


def one_word_ids() -> frozenset[str]:
    """Ids a page could show bare: the fixed terms, and every programme's tiers, categories and steps."""
    ids = {ident for kind in TERMS.values() for ident in kind}
    for programme in Programme.objects.filter(current_version__isnull=False):
        policy = programme.policy
        for group in (policy.lifecycle.tiers, policy.categories, policy.review_chain, policy.lifecycle.transitions):
            ids.update(item.id for item in group)
    # A word that is also plain English in a sentence is still an id when it stands alone in a cell.
    return frozenset(i for i in ids if i.isascii() and i.islower())


def crawl(client: Client, username: str, ids: frozenset[str], found: dict[str, list[str]]) -> int:
    """Visit what this login reaches; a page it is shown a link to must open for it (no 403 or 404 behind a link)."""
    seen: set[str] = set()
    queue: list[tuple[str, str]] = [("/", "")]
    while queue and len(seen) < PER_USER:
        path, linked_from = queue.pop(0)
        kind = page_kind(path)
        if kind in seen:
            continue
        response = client.get(path)
        if response.status_code >= 500:
            found.setdefault(f"HTTP {response.status_code}", []).append(f"{username} {path}")
        elif response.status_code in (403, 404):
            found.setdefault(f"a link that answers {response.status_code}", []).append(
                f"{username} {linked_from} → {path}")
        if response.status_code != 200 or "text/html" not in response.get("content-type", ""):
            continue
        seen.add(kind)
        html = response.content.decode()
        for problem in unreadable(visible_text(html), identifiers=ids):
            found.setdefault(problem, []).append(f"{username} {path}")
        for link in internal_paths(links(html)):
            if page_kind(link) not in seen and all(link != queued for queued, _ in queue):
                queue.append((link, path))
    return len(seen)


@pytest.mark.slow
@pytest.mark.parametrize("username", LOGINS)
def test_no_demo_page_shows_a_raw_id_a_python_literal_or_an_unformatted_number(db, demo_output, username):
    """One login per test, so the suite's workers share them out."""
    found: dict[str, list[str]] = {}
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    visited = crawl(client, username, one_word_ids(), found)
    assert visited >= 3, username  # the crawl reached pages, not only a sign-in redirect
    report = [f"{problem}  ← {', '.join(sorted(set(where))[:3])}" for problem, where in sorted(found.items())]
    assert not report, f"{len(report)} unreadable texts:\n" + "\n".join(report[:80])


def test_the_scan_finds_each_kind_of_unreadable_text():
    html = """<main><p>red_line_crossed=True</p><td>27.8076</td><td>12345.678901</td><td title="city_reviewer">x</td>
              <script>var a_b = None;</script><p>None this period.</p><td>creation → cancelled</td><td>creation</td>
              <p>累计计入投资 29.77 亿元</p><span lang="en">tier</span></main>"""
    found = unreadable(visible_text(html), identifiers=frozenset({"creation", "tier"}))
    kinds = sorted({f.split(" '")[0] for f in found})
    assert kinds == ["Python literal", "bare id", "id → id", "long float", "snake_case id"]
    assert not any("a_b" in f or "this period" in f or "29.77" in f or "27.8076" in f or "tier" in f
                   for f in found)
