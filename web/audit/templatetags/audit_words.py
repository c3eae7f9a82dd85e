"""``{{ e.verb|verb }}``: an audit verb as people read it (audit/verbs.py)."""

from __future__ import annotations

from django import template

from ..verbs import verb_label

register = template.Library()
register.filter("verb", verb_label)
