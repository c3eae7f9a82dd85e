"""The lists app's dashboard panel and navigation entry (registered from ListsConfig.ready)."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import is_officer
from portal.dashboard import register_nav, register_panel

from .models import ListPublication
from .permissions import manageable_programmes
from .selectors import publication_rows

register_nav(key="lists", zh="名单管理", en="Lists", url_name="lists:index", allowed=is_officer, order=40)


@register_panel(key="lists_at_work", zh="名单管理", en="Lists", order=40,
                roles={Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE},
                template="lists/panels/at_work.html")
def lists_at_work(request):
    """Drafts and lists on notice of the programmes the officer publishes (hidden when none)."""
    programmes = manageable_programmes(request.user)
    if not programmes:
        return None
    open_ones = ListPublication.objects.filter(
        programme__in=programmes, status__in=[ListPublication.Status.DRAFT, ListPublication.Status.NOTICE]
    )
    return {"publications": list(publication_rows(open_ones)[:10])}
