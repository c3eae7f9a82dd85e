"""``{{ e.verb|verb }}``: an audit verb as people read it (audit/verbs.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..verbs import verb_label

register = template.Library()


@register.filter(name="verb")
def verb(name: str) -> SafeString:
    return mark_safe(verb_label(name).__html__())  # both languages, each with its lang
