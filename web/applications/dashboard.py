"""Dashboard panels and navigation of the applications app (registered from ApplicationsConfig.ready)."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import is_active, is_officer
from portal.dashboard import register_nav, register_panel

from .permissions import visible_applications
from .selectors import application_list_queryset, review_queue

REVIEWERS = {Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE}


def _sees_applications(user) -> bool:
    return is_active(user) and user.role != Role.EXPERT


register_nav(key="applications", zh="申报", en="Applications", url_name="applications:list",
             allowed=_sees_applications, order=30)
register_nav(key="review_queue", zh="待审核", en="Review queue", url_name="applications:queue",
             allowed=is_officer, order=31)
register_nav(key="calls", zh="申报通知", en="Calls", url_name="applications:calls", allowed=is_active, order=32)


@register_panel(key="my_applications", zh="我的申报", en="My applications", roles={Role.TOWN_BODY},
                template="applications/panels/applications.html", order=20)
def my_applications(request):
    applications = application_list_queryset(visible_applications(request.user))
    return {"applications": list(applications[:10]), "empty_zh": "尚无申报。", "empty_en": "No application yet.",
            "more_url": "applications:list", "show_calls": True}


@register_panel(key="review_queue", zh="待审核", en="Review queue", roles=REVIEWERS,
                template="applications/panels/applications.html", order=15)
def review_queue_panel(request):
    waiting = application_list_queryset(review_queue(request.user))
    return {"applications": list(waiting[:10]), "count": waiting.count(),
            "empty_zh": "没有等待您审核的申报。", "empty_en": "Nothing is waiting for your decision.",
            "more_url": "applications:queue"}
