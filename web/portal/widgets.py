"""Widgets that render faster than Django's template-per-option ones.

``PlainSelect`` renders a ``<select>`` and its options with ``format_html`` instead of one
template per option: a filter over the ~130 regions of a province took most of the town
list's render time (benchmarks/bench_web.py). Same markup and attributes as ``Select``.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            options.append((text, " selected" if text in chosen else "", label))
        attributes = mark_safe("".join(
            format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v)
            for k, v in final.items() if v is not None and v is not False
        ))
        body = format_html_join("\n", '<option value="{}"{}>{}</option>',
                                ((v, mark_safe(sel), label) for v, sel, label in options))
        return format_html("<select{}>\n{}\n</select>", attributes, body)
