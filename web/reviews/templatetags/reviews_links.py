"""``{% expert_panel_link "application" application.pk %}``: on a subject's page, the link to its
running expert panel, or "组织专家评审 Set up the expert panel" for a user who may set one up."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from portal.bilingual import render_html

from ..models import Panel
from ..permissions import can_set_up_panel, can_view_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def expert_panel_link(context, kind: str, ident, programme, town, purpose: str = "application_review", title: str = ""):
    user = context["request"].user
    subject_ref = f"{kind}:{ident}"
    panel = Panel.objects.filter(subject_ref=subject_ref).order_by("-created_at").first()
    if panel is not None and panel.status != Panel.Status.DECIDED:
        if not can_view_panel(user, panel):
            return ""
        return format_html('<a class="button" href="{}">{}</a> ({})', reverse("reviews:panel", args=[panel.pk]),
                           render_html("专家评审", "Expert panel"), panel.get_status_display())
    if not can_set_up_panel(user, programme, town, purpose):
        return ""
    query = urlencode({"programme": programme.pk, "town": town.code, "purpose": purpose, "subject_ref": subject_ref,
                       "title": title or f"{town.name_zh} 专家评审"})
    return format_html('<a class="button primary" href="{}?{}">{}</a>', reverse("reviews:create"), query,
                       render_html("组织专家评审", "Set up the expert panel"))
