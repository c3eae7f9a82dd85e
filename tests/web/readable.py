"""What a person reads on a page, and what in it is not for a person: raw identifiers, Python literals,
unformatted numbers. Used by tests/web/test_readable_pages.py (the whole demo, every role) and by
tests that check one page.

A page's visible text is its text nodes outside ``<script>``, ``<style>`` and ``<template>``, plus
the attributes a person reads or hears (``title``, ``aria-label``, ``alt``, ``placeholder``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlparse

#: snake_case names: ``high_end_manufacturing``, ``red_line_crossed``, ``app_investment_total``.
SNAKE = re.compile(r"(?<![\w./:@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
#: Python's literals as Python prints them.
LITERAL = re.compile(r"(?<![\w'\"])(True|False|None|nan|NaN|inf)(?![\w'\"]| [a-z])")  # not "None this period."
#: A number with more decimals than anyone writes (27.8076 is fine, 12345.678901 and 0.88888 are not).
LONG_FLOAT = re.compile(r"(?<![\w.])\d+\.\d{5,}(?![\w.])")
#: An id → id tier change as the audit trail stores it (``creation → cancelled``).
ARROW_IDS = re.compile(r"(?<![\w])[a-z]+(?:_[a-z]+)* ?(?:→|->) ?[a-z]+(?:_[a-z]+)*(?![\w])")

HEARD_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: code marks a machine name shown on purpose beside its label (the what-if lists each parameter's name for the
#: reform an officer writes); a textarea holds what a person types (the reform's YAML).
SKIPPED_ELEMENTS = {"script", "style", "template", "code", "textarea"}


class Piece(str):
    """A piece of visible text; ``english`` when it stands in an element marked ``lang="en"`` (an English
    label such as "tier" is a word there, not an id)."""

    english: bool = False


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.langs: list[tuple[str, bool]] = []
        self.parts: list[Piece] = []
        self.links: list[str] = []
        self._in_nav_or_main = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skip += 1
        values = dict(attrs)
        if tag not in VOID_ELEMENTS:
            inherited = self.langs[-1][1] if self.langs else False
            self.langs.append((tag, values["lang"] == "en" if values.get("lang") else inherited))
        for name in HEARD_ATTRIBUTES:
            if values.get(name):
                self.parts.append(Piece(str(values[name])))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(Piece(str(values["value"])))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self.skip:
            self.skip -= 1
        while self.langs:  # close up to the matching tag (a browser forgives a missing end tag too)
            if self.langs.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            piece = Piece(data.strip())
            piece.english = bool(self.langs and self.langs[-1][1])
            self.parts.append(piece)


def visible_text(html: str) -> list[Piece]:
    """The page's readable pieces, one per text node or read attribute."""
    parser = _Text()
    parser.feed(html)
    return parser.parts


def links(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.links


def unreadable(pieces: list[str], *, identifiers: frozenset[str] = frozenset()) -> list[str]:
    """Each piece of text that shows something not meant for a person, with what it is.

    ``identifiers`` are the glossary's one-word ids (``creation``, ``pass``): a piece that is
    exactly one of them is a raw id too (a word inside a sentence is English, not an id)."""
    found = []
    for piece in pieces:
        for name, pattern in (("snake_case id", SNAKE), ("Python literal", LITERAL), ("long float", LONG_FLOAT),
                              ("id → id", ARROW_IDS)):
            match = pattern.search(piece)
            if match:
                found.append(f"{name} {match.group(0)!r} in {piece[:120]!r}")
        if piece in identifiers and not getattr(piece, "english", False):
            found.append(f"bare id {piece!r}")
    return found


SKIP_PATHS = re.compile(r"logout|materials/\d|\.xlsx|\.csv|\.pdf|export|/api/|django-admin|i18n|/qr\.|download"
                        r"|/media/|\.json$|\.svg$|\.png$|/static/")


def page_kind(path: str) -> str:
    """/towns/12/ and /towns/13/ are one kind of page: a path with its numbers (and quarters) blanked;
    a query keeps only its sorted keys (/towns/?page=2 and ?page=3 are one kind, ?programme=… another)."""
    url = urlparse(path)
    kind = re.sub(r"\d+(Q\d)?", "N", url.path.rstrip("/"))
    keys = sorted({k for k, _ in parse_qsl(url.query, keep_blank_values=True)})
    return f"{kind}?{'&'.join(keys)}" if keys else kind


def internal_paths(hrefs: list[str], *, queries: bool = True) -> list[str]:
    """The site's own pages among ``hrefs`` (files, exports and the API left out), with their queries
    unless ``queries`` is off (a filtered list has its unfiltered list's layout)."""
    out = []
    for href in hrefs:
        url = urlparse(href)
        if url.netloc or not url.path.startswith("/") or SKIP_PATHS.search(url.path):
            continue
        if url.query and not queries:
            continue
        out.append(f"{url.path}?{url.query}" if url.query else url.path)
    return out


def named_value(html: str, name: str) -> str:
    """The text a page shows for one verdict value (``{% named_values %}``): its label, then the value with
    its unit — '' when the page does not show that name."""
    start = html.find(f'<span class="nowrap" data-id="{name}">')
    if start < 0:
        return ""
    depth, at = 0, start
    for tag in re.finditer(r"<(/?)span\b[^>]*>", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            at = start + tag.end()
            break
    return " ".join(visible_text(html[start:at]))
