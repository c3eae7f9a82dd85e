"""Dashboard panels and navigation of the reviews app (registered from ReviewsConfig.ready)."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import is_active, is_officer
from portal.dashboard import register_nav, register_panel
from towns.extensions import register_town_section

from .models import Acceptance, Panel
from .permissions import visible_acceptances, visible_panels
from .selectors import (
    acceptance_candidates,
    acceptance_list_queryset,
    my_memberships,
    panel_list_queryset,
)


def _sees_panels(user) -> bool:
    return (is_active(user) and user.role in (Role.EXPERT, Role.AUDITOR)) or is_officer(user)


register_nav(key="reviews", zh="专家评审", en="Expert reviews", url_name="reviews:list", allowed=_sees_panels, order=40)
register_nav(key="acceptances", zh="验收命名", en="Acceptance", url_name="reviews:acceptances",
             allowed=lambda u: is_active(u) and u.role != Role.EXPERT, order=45)


@register_panel(key="my_reviews", zh="我的评审任务", en="My reviews", roles={Role.EXPERT},
                template="reviews/panels/my_reviews.html", order=5)
def my_reviews(request):
    memberships = [m for m in my_memberships(request.user).filter(active=True)[:50]
                   if m.panel.status != Panel.Status.DECIDED]
    return {"memberships": memberships}


@register_panel(key="panels_to_decide", zh="待决定的专家评审", en="Expert panels to decide",
                roles={Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE},
                template="reviews/panels/panels.html", order=30)
def panels_to_decide(request):
    panels = list(panel_list_queryset(visible_panels(request.user).exclude(status=Panel.Status.DECIDED))[:10])
    return {"panels": panels} if panels else None


@register_panel(key="acceptances", zh="验收申请", en="Acceptance applications",
                roles={Role.TOWN_BODY, Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE},
                template="reviews/panels/acceptances.html", order=35)
def acceptances(request):
    running = list(acceptance_list_queryset(visible_acceptances(request.user))[:10])
    candidates = acceptance_candidates(request.user, limit=5) if request.user.role == Role.TOWN_BODY else []
    return {"acceptances": running, "candidates": candidates} if running or candidates else None


@register_town_section(key="acceptances", template="reviews/_town_section.html", order=45)
def town_acceptances(request, town):
    """The town's acceptance applications, and "申请验收" where its body (or an officer) may apply."""
    acceptances = list(acceptance_list_queryset(Acceptance.objects.filter(enrolment__town=town)))
    candidates = acceptance_candidates(request.user, town=town)
    return {"acceptances": acceptances, "candidates": candidates} if acceptances or candidates else None
