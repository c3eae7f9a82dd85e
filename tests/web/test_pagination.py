"""Lists page by 20 rows by default, and by 50 or 100 when asked; the choice survives paging."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal.pagination import DEFAULT_PER_PAGE, page_of, per_page

ROWS = list(range(230))


def page(query: str):
    return page_of(RequestFactory().get(f"/towns/?{query}"), ROWS)


def test_a_list_shows_twenty_rows_unless_asked_otherwise():
    first = page("")
    assert DEFAULT_PER_PAGE == 20 and list(first) == ROWS[:20] and first.paginator.num_pages == 12


@pytest.mark.parametrize(("asked", "size"), [("50", 50), ("100", 100), ("7", 20), ("abc", 20), ("", 20)])
def test_only_the_offered_page_sizes_are_taken(asked, size):
    assert per_page(RequestFactory().get("/", {"per_page": asked})) == size


def test_the_size_links_keep_the_filters_and_go_back_to_the_first_page():
    current = page("q=%E9%95%87&page=3&per_page=50")
    assert list(current) == ROWS[100:150]
    links = {size: (query, chosen) for size, query, chosen in current.per_page_links}
    assert links[100] == ("q=%E9%95%87&per_page=100", False) and links[50][1] is True
    assert "page=3" not in links[20][0]


def test_the_town_list_offers_the_sizes_and_keeps_the_choice_in_its_filter_form(db, signed_in, province_officer):
    from django.urls import reverse

    html = signed_in(province_officer).get(reverse("towns:list"), {"per_page": "50"}).content.decode()
    assert 'name="per_page" value="50"' in html
