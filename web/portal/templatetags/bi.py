"""Bilingual template helpers, loaded in every template (settings TEMPLATES builtins).

    {% t "城镇列表" "Town list" %}          rich HTML, both languages, active one first
    {% tp "搜索" "Search" %}               plain text, for attributes (placeholder, aria-label, title)
    {{ town|bi }}  {{ tier.label|bi }}     rich HTML for a model or policy Text
    {{ town|bi_plain }}                    plain text of the same
    {{ value|shown }}                      是/否, 1,234.5, — for blank
    {% named_values policy o.values %}     a verdict's numbers: label (not identifier), value with unit
    {% default_mark policy o.criterion_id %}  默认 default when the criterion rests on a default
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from portal.bilingual import bi_text, english_first, pair_of, render_html
from portal.formatting import shown
from xiaozhen.glossary import Glossary
from xiaozhen.policy import criterion_defaults

register = template.Library()


class BilingualNode(template.Node):
    """``{% t zh en %}`` (HTML) and ``{% tp zh en %}`` (plain text).

    When both arguments are string literals — nearly every use — the output for each language
    order is built once, when the template is compiled, and rendering only picks one. These tags
    appear dozens of times on every page and in list rows (benchmarks/bench_web.py)."""

    def __init__(self, zh: FilterExpression, en: FilterExpression, *, plain: bool) -> None:
        self.zh, self.en, self.plain = zh, en, plain
        self.fixed: tuple[str, str] | None = None
        if _is_literal(zh) and _is_literal(en):
            with translation.override("zh-hans"):
                chinese_order = self._text(zh.var, en.var)
            with translation.override("en"):
                english_order = self._text(zh.var, en.var)
            self.fixed = (chinese_order, english_order)

    def _text(self, zh: Any, en: Any) -> str:
        zh, en = str(zh), str(en)
        return bi_text(zh, en) if self.plain else mark_safe(render_html(zh, en))

    def render(self, context: template.Context) -> str:
        if self.fixed is not None:
            text = self.fixed[1] if english_first() else self.fixed[0]
        else:
            text = self._text(self.zh.resolve(context, False), self.en.resolve(context, False))
        # As simple_tag did: escape plain text when autoescaping; HTML is already escaped.
        return conditional_escape(text) if self.plain and context.autoescape else text


def _is_literal(expression: FilterExpression) -> bool:
    return not expression.filters and isinstance(expression.var, str)


def _bilingual(parser: template.base.Parser, token: template.base.Token, *, plain: bool) -> BilingualNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes two arguments, the Chinese and the English text")
    return BilingualNode(parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), plain=plain)


@register.tag(name="t")
def bilingual_tag(parser, token) -> BilingualNode:
    return _bilingual(parser, token, plain=False)


@register.tag(name="tp")
def bilingual_plain_tag(parser, token) -> BilingualNode:
    return _bilingual(parser, token, plain=True)


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


@register.simple_tag
def default_mark(policy: Any, criterion_id: str) -> str:
    """默认 default, with the sources in its title, when a criterion's reading, line or force comes
    from a default (``default_source``) rather than the seed's words; else nothing."""
    if policy is None:
        return ""
    try:
        found = criterion_defaults(policy, criterion_id)
    except KeyError:  # a criterion the programme no longer has (an old stored verdict)
        return ""
    if not found:
        return ""
    words = Glossary(policy)  # a source may name a parameter by its id: a person reads its label
    title = "; ".join(f"{d.label.zh} / {d.label.en}: {words.readable(d.source)}" for d in found)
    return mark_safe(f'<span class="tag default" title="{conditional_escape(title)}">{render_html("默认", "default")}</span>')
