"""What a request reads several times it reads once (portal.request_memo), and never after a state change
or past the request's end."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings

import audit
from portal import request_memo
from portal.request_memo import RequestMemoMiddleware, memo


def counting_load(calls: list[int]):
    def load() -> int:
        calls.append(1)
        return len(calls)
    return load


def run_request(view) -> HttpResponse:
    return RequestMemoMiddleware(view)(RequestFactory().get("/"))


def test_a_request_reads_a_memoised_value_once_and_the_next_request_reads_it_again():
    calls: list[int] = []
    seen: list[int] = []

    def view(request):
        seen.extend([memo("k", counting_load(calls)), memo("k", counting_load(calls))])
        return HttpResponse("ok")

    run_request(view)
    assert seen == [1, 1] and len(calls) == 1
    run_request(view)
    assert seen[2:] == [2, 2] and len(calls) == 2


def test_outside_a_request_nothing_is_kept():
    calls: list[int] = []
    assert [memo("k", counting_load(calls)) for _ in range(3)] == [1, 2, 3]


def test_a_state_change_in_the_request_makes_it_read_again(db, province_officer):
    calls: list[int] = []
    seen: list[int] = []

    def view(request):
        seen.append(memo("k", counting_load(calls)))
        with transaction.atomic():
            audit.record(actor=province_officer, verb="sync_programme", object_type="programmes.programme", object_id=1)
        seen.append(memo("k", counting_load(calls)))
        seen.append(memo("k", counting_load(calls)))
        return HttpResponse("ok")

    run_request(view)
    assert seen == [1, 2, 2]


def test_clearing_outside_a_request_does_nothing():
    request_memo.clear()
    assert memo("k", lambda: "fresh") == "fresh"


def test_the_home_page_asks_for_the_programmes_once_where_it_asked_each_panel(towns, enrolment, province_officer):
    from django.test import Client

    def home_page() -> tuple[int, str]:
        client = Client()  # a new client loads the middleware as the settings are now
        client.force_login(province_officer)
        client.get("/")  # the policies and glossary are read once per process: count a later visit
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/").content.decode()
        return sum('FROM "programmes_programme"' in q["sql"].split(" WHERE ")[0] for q in ctx.captured_queries), html

    with_memo, html = home_page()
    without = [m for m in settings.MIDDLEWARE if m != "portal.request_memo.RequestMemoMiddleware"]
    with override_settings(MIDDLEWARE=without):
        without_memo, html_without = home_page()
    assert with_memo == 1 and without_memo >= 5
    assert html == html_without.replace(*_tokens(html_without, html)) and "青秀" in html


def _tokens(a: str, b: str) -> tuple[str, str]:
    """The CSRF tokens of two renderings of one page (the only text that differs between them)."""
    import re

    pattern = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    ta, tb = pattern.search(a), pattern.search(b)
    return (ta.group(1), tb.group(1)) if ta and tb else ("", "")
