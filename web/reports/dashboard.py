"""Dashboard panels, navigation and the town-page ledger of the reports app (from ReportsConfig.ready)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Role
from accounts.permissions import is_active
from portal.dashboard import register_nav, register_panel
from towns.extensions import register_town_section

from .selectors import index_context, town_ledger

REGIONAL = {Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE, Role.AUDITOR}

register_nav(key="reports", zh="季度报送", en="Quarterly reports", url_name="reports:index",
             allowed=lambda user: is_active(user) and user.role != Role.EXPERT, order=30)


@register_panel(key="my_reports", zh="季度报送", en="Quarterly reports", roles={Role.TOWN_BODY},
                template="reports/panels/my_reports.html", order=5)
def my_reports(request):
    context = index_context(request.user, timezone.localdate(), with_bulletins=False)
    open_rows = [row for row in context["own"] if row["rp"].status == "open"]
    return {"own": open_rows, "reminders": context["reminders"]}


@register_panel(key="late_reports", zh="逾期报送", en="Late reports", roles=REGIONAL,
                template="reports/panels/late_reports.html", order=15)
def late_reports(request):
    context = index_context(request.user, timezone.localdate(), with_bulletins=False)
    rows = [row for row in context["rows"] if row["rp"].status == "open" or row["overdue"]]
    if not rows:
        return None
    return {"rows": rows[:12]}


@register_town_section(key="ledger", template="reports/town_ledger.html", order=50)
def ledger_section(request, town):
    groups = town_ledger(town)
    return {"ledger_groups": groups} if groups else None
