"""Template helpers of the applications pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from xiaozhen.policy import Text, reported_inputs

from ..facts import confirmed_by

register = template.Library()


@register.simple_tag
def state_tag(application) -> SafeString:
    """The application's state as a tag: ``<span class="tag state-…">label</span>``."""
    return format_html('<span class="tag state-{}">{}</span>', application.state, application.state_label)


@register.simple_tag
def awaiting_step(application, criterion_id: str) -> Text | None:
    """The label of the review step that will establish this criterion (it reads only indicators
    a step ``confirms``), so an 'unknown' can say what it waits for; else None."""
    policy = application.programme.policy
    confirmed = confirmed_by(policy)
    criterion = next((c for c in policy.criteria_for("application") if c.id == criterion_id), None)
    if criterion is None:
        return None
    inputs = reported_inputs(policy, criterion.expr)
    if not inputs or not all(i in confirmed for i in inputs):
        return None
    step_id = confirmed[inputs[0]]
    return next((s.label for s in policy.review_steps("application") if s.id == step_id), None)
