"""Chinese first, English beside it: every user-facing text is a (zh, en) pair.

The active language (LocaleMiddleware; switched with Django's set_language view) only
decides which of the two comes first; both are always shown. See docs/adr/0002.

* ``bi_lazy("城镇", "Town")`` — a lazy string for model/form labels and TextChoices.
* ``bi_text("城镇", "Town")`` — the same, evaluated now (messages, errors).
* ``Bi`` — a pair that renders as HTML with ``lang`` attributes in templates.
* ``pair_of(obj)`` — the (zh, en) pair of a policy ``Text``, a ``{"zh", "en"}`` dict,
  or a model with ``name_zh``/``name_en`` (or ``label_zh``/``label_en``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

SEPARATOR = " / "


def english_first() -> bool:
    return (get_language() or "zh-hans").lower().startswith("en")


def ordered(zh: str, en: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """((first text, its lang), (second text, its lang)) for the active language."""
    pairs = ((zh, "zh-Hans"), (en, "en"))
    return (pairs[1], pairs[0]) if english_first() else pairs


def bi_text(zh: str, en: str) -> str:
    """Both languages as one plain string, the active one first."""
    if not en or zh == en:
        return zh
    (first, _), (second, _) = ordered(zh, en)
    return f"{first}{SEPARATOR}{second}"


bi_lazy = lazy(bi_text, str)


@dataclass(frozen=True)
class Bi:
    zh: str
    en: str

    def __str__(self) -> str:
        return bi_text(self.zh, self.en)

    def __html__(self) -> str:
        return render_html(self.zh, self.en)


def render_html(zh: str, en: str) -> str:
    """Both texts as HTML, the active language first, each escaped and marked with its ``lang``.

    Built with ``html_escape`` and an f-string rather than ``format_html``: this runs for every
    bilingual cell of every list row, and ``format_html`` was most of its cost
    (benchmarks/bench_web.py)."""
    if not en or zh == en:
        return mark_safe(f'<span lang="zh-Hans">{html_escape(zh)}</span>')
    if english_first():
        first, lang1, second, lang2 = en, "en", zh, "zh-Hans"
    else:
        first, lang1, second, lang2 = zh, "zh-Hans", en, "en"
    return mark_safe(
        f'<span class="bi"><span lang="{lang1}">{html_escape(first)}</span> '
        f'<span class="bi-alt" lang="{lang2}">{html_escape(second)}</span></span>'
    )


def html_escape(text: Any) -> str:
    """``django.utils.html.conditional_escape`` without its lazy-argument wrappers: safe text
    (anything with ``__html__``) as it is, everything else escaped (quotes included)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def pair_of(obj: Any) -> tuple[str, str] | None:
    if obj is None:
        return None
    if isinstance(obj, Bi):
        return obj.zh, obj.en
    if isinstance(obj, dict):
        if "zh" in obj:
            return str(obj["zh"]), str(obj.get("en") or "")
        return None
    for zh_attr, en_attr in (("zh", "en"), ("name_zh", "name_en"), ("label_zh", "label_en")):
        if hasattr(obj, zh_attr):
            return str(getattr(obj, zh_attr) or ""), str(getattr(obj, en_attr, "") or "")
    return None
