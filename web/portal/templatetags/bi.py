"""Bilingual template helpers, loaded in every template (settings TEMPLATES builtins).

    {% t "城镇列表" "Town list" %}          rich HTML, both languages, active one first
    {% tp "搜索" "Search" %}               plain text, for attributes (placeholder, aria-label, title)
    {{ town|bi }}  {{ tier.label|bi }}     rich HTML for a model or policy Text
    {{ town|bi_plain }}                    plain text of the same
    {{ value|shown }}                      是/否, 1,234.5, — for blank
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from portal.bilingual import bi_text, pair_of, render_html
from portal.formatting import shown

register = template.Library()


@register.simple_tag(name="t")
def bilingual_tag(zh: str, en: str) -> SafeString:
    return mark_safe(render_html(zh, en))


@register.simple_tag(name="tp")
def bilingual_plain_tag(zh: str, en: str) -> str:
    return bi_text(zh, en)


@register.filter(name="bi")
def bilingual_filter(obj: Any) -> Any:
    pair = pair_of(obj)
    if pair is None:
        return "" if obj is None else obj
    return mark_safe(render_html(*pair))


@register.filter(name="bi_plain")
def bilingual_plain_filter(obj: Any) -> str:
    pair = pair_of(obj)
    if pair is None:
        return "" if obj is None else str(obj)
    return bi_text(*pair)


@register.filter(name="shown")
def shown_filter(value: Any) -> str:
    return shown(value)
