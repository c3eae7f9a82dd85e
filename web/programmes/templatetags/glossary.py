"""Ids as people read them (loaded in every template, settings TEMPLATES builtins).

    {% named_values o.values %}          累计计入投资 29.77 亿元 · 投资占比 88.89% (label and value with unit)
    {{ "city_reviewer"|term:"role" }}    设区市审核员 City reviewer (a fixed term of xiaozhen.glossary)
    {{ name|glossary_label }}            the label of a programme's id (an indicator, a tier, a transition …)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from audit.verbs import STATES
from portal.bilingual import Bi, html_escape
from xiaozhen import glossary

from ..glossary import programmes_glossary

register = template.Library()


def _glossary(context: template.Context) -> glossary.Glossaries | glossary.Glossary:
    """The page's own programme when the view gave one (``glossary``), else every programme in force
    (once per render)."""
    own = context.get("glossary")
    if isinstance(own, glossary.Glossary | glossary.Glossaries):
        return own
    cache = context.render_context
    if "_programmes_glossary" not in cache:
        cache["_programmes_glossary"] = programmes_glossary()
    return cache["_programmes_glossary"]


def _policy_glossary(context: template.Context, policy: Any) -> glossary.Glossary:
    """One glossary per programme version and render (a verdict table names its policy)."""
    render: Any = context.render_context
    if "_policy_glossaries" not in render:
        render["_policy_glossaries"] = {}
    cache: dict[int, glossary.Glossary] = render["_policy_glossaries"]
    found = cache.get(id(policy))
    if found is None or found.policy is not policy:  # the entry keeps its policy alive, so an id is never reused
        found = cache[id(policy)] = glossary.Glossary(policy)
    return found


@register.simple_tag(takes_context=True)
def named_values(context: template.Context, *args: Any) -> SafeString:
    """``{% named_values values %}`` or ``{% named_values policy values %}``: each name → value as
    ``<span class="nowrap">label value</span>`` (a window's sum by its label, 前3年…合计, never its id);
    — when there are none. With a policy, that programme version's labels and units."""
    if len(args) not in (1, 2):
        raise template.TemplateSyntaxError("named_values takes values, or a policy and values")
    values: Mapping[str, Any] | None = args[-1]
    if not values:
        return mark_safe("—")
    policy = args[0] if len(args) == 2 else None
    words = _glossary(context) if policy is None else _policy_glossary(context, policy)
    out = []
    for name, value in values.items():
        label = words.label(name)
        out.append(f'<span class="nowrap" data-id="{html_escape(name)}">{Bi(label.zh, label.en).__html__()} '
                   f'{html_escape(words.value(name, value))}</span>')
    return mark_safe(" ".join(out))


@register.simple_tag(takes_context=True)
def glossary_label(context: template.Context, name: str) -> Bi:
    label = _glossary(context).label(str(name))
    return Bi(label.zh, label.en)


@register.filter(name="term")
def term_filter(ident: Any, kind: str) -> SafeString:
    label = glossary.term(kind, str(ident))
    return mark_safe(Bi(label.zh, label.en).__html__())  # both languages, each with its lang


_STATES: dict[str, str] = {}


def _state_labels() -> dict[str, str]:
    """Every choice value of every model field (states, kinds, statuses) → its bilingual label."""
    if not _STATES:
        from django.apps import apps

        for model in apps.get_models():
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if isinstance(value, str) and value:
                        _STATES.setdefault(value, str(label))
    return _STATES


@register.simple_tag(takes_context=True)
def state_label(context: template.Context, value: Any) -> str:
    """A stored state as people read it: a model's choice label (草稿 / Draft), a programme's tier
    (创建 / creation), or the value itself when it is not an id (a version ``v2``, a name)."""
    text = str(value or "")
    if not text:
        return "∅"
    if text in _state_labels():
        return _state_labels()[text]
    if text in STATES:
        return str(Bi(*STATES[text]))
    words = _glossary(context)
    label = words.label(text)
    return text if label.zh == text else str(Bi(label.zh, label.en))


@register.filter(name="model_label")
def model_label(object_type: str) -> str:
    """``towns.town`` → 小镇 / Town (the model's verbose name); the text itself if it names no model."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@register.filter(name="readable")
def readable_filter(text: Any, policy: Any) -> str:
    """Free text of a programme (a default's source) with the ids it names replaced by their labels."""
    return glossary.Glossary(policy).readable(str(text)) if policy is not None and text else str(text or "")
