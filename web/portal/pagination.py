"""One way to page a list: ``page_of(request, rows)``.

Twenty rows a page by default, the usual default of Chinese government admin pages, and 50 or
100 one click away (``?per_page=``, kept by the pagination links and the filters). On the
busiest lists a 50-row page spends about 20 ms of CPU, most of it in the template engine and in
building model objects per row (docs/web.md, "Web benchmark").
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE_CHOICES = (20, 50, 100)
DEFAULT_PER_PAGE = PER_PAGE_CHOICES[0]


def per_page(request: HttpRequest) -> int:
    """The page size the request asks for, if it is one of the choices; else the default."""
    try:
        asked = int(request.GET.get("per_page", ""))
    except ValueError:
        return DEFAULT_PER_PAGE
    return asked if asked in PER_PAGE_CHOICES else DEFAULT_PER_PAGE


def page_of(request: HttpRequest, rows: Any) -> Page:
    """The requested page of ``rows`` (a queryset or list), at the requested page size.

    The page carries ``per_page`` and ``per_page_links`` — ``(size, query string, current)``
    for each choice, keeping the request's other parameters and going back to page 1 — which
    ``includes/pagination.html`` shows."""
    size = per_page(request)
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    links = []
    for choice in PER_PAGE_CHOICES:
        params["per_page"] = str(choice)
        links.append((choice, params.urlencode(), choice == size))
    page.per_page = size  # type: ignore[attr-defined]
    page.per_page_links = links  # type: ignore[attr-defined]
    return page
