"""The form renderer (settings ``FORM_RENDERER``): Django's, with its smallest templates done in Python.

Django renders every input, label and option through a template of its own: a filter form of
seven fields went through about forty template renders, a tenth of a list page's time
(benchmarks/bench_web.py). ``FastTemplates`` writes the same markup directly for the templates
below and hands every other template (form layouts, radio and checkbox groups, file inputs with
a clear box, anything a project overrides) to Django's ``DjangoTemplates`` renderer unchanged.

The markup is Django 5.2's, character for character: ``tests/web/test_form_renderer.py`` renders
each widget both ways and compares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates

from portal.bilingual import html_escape

WIDGETS = "django/forms/widgets/"

#: Django's widget templates that are exactly ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
                 "time", "search", "tel", "color", "checkbox", "file")
)
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """``attrs.html``: `` name="value"`` per attribute, a bare name for True, nothing for False."""
    if not attrs:
        return ""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {html_escape(name)}" if value is True
                   else f' {html_escape(name)}="{html_escape(value)}"')
    return "".join(out)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{html_escape(value)}"'
    return (f'<input type="{html_escape(widget["type"])}" name="{html_escape(widget["name"])}"'
            f'{shown}{_attrs(widget["attrs"])}>')


def _option(option: Mapping[str, Any]) -> str:
    return (f'<option value="{html_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f'{html_escape(option["label"])}</option>')


def _select(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    body = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            body.append(f'\n  <optgroup label="{html_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None  # a custom option template: let Django render the whole select
            body.append(f"\n  {_option(option)}\n")  # the option template ends with a newline
        if group_name:
            body.append("\n  </optgroup>")
    return f'<select name="{html_escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(body)}\n</select>'


def _label(context: Mapping[str, Any]) -> str:
    label = html_escape(context["label"])
    if not context.get("use_tag"):
        return label
    tag = html_escape(context["tag"])
    return f"<{tag}{_attrs(context.get('attrs'))}>{label}</{tag}>"


FAST: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    f"{WIDGETS}select.html": _select,
    OPTION_TEMPLATE: lambda context: _option(context["widget"]),
    "django/forms/label.html": _label,
}


class FastTemplates(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request=None) -> str:
        fast = FAST.get(template_name)
        if fast is not None:
            html = fast(context)
            if html is not None:
                return html
        return super().render(template_name, context, request)
