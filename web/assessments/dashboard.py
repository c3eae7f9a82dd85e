"""Navigation and the town-page section of the assessments app (registered from ready())."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import is_active
from portal.dashboard import register_nav, register_panel
from programmes.models import deferred_document
from towns.extensions import register_town_section

from . import selectors
from .permissions import can_record_fraud, visible_results, visible_runs

register_nav(key="assessments", zh="年度考核", en="Annual assessment", url_name="assessments:list",
             allowed=is_active, order=40)


@register_town_section(key="assessment_results", template="assessments/_town_section.html", order=40)
def town_assessment_section(request, town):
    """Published results (grade, stars, decision with clause), fraud findings, the fraud form link."""
    results = selectors.town_results(town)
    findings = selectors.town_fraud_findings(town)
    enrolments = [e for e in town.enrolments.select_related("programme__current_version", "town__region")
                  .defer("town__boundary_geojson", *deferred_document("programme__current_version"))
                  if e.is_open and can_record_fraud(request.user, e)]
    if not (results or findings or enrolments):
        return None
    rows = []
    for p in results:
        policy = p.run.programme_version.policy
        labels = {t.id: t.label for t in policy.lifecycle.tiers}
        rows.append({"p": p, "tier": labels.get(p.tier, p.tier), "next_tier": labels.get(p.next_tier, p.next_tier),
                     "action": selectors.action_label(p.action)})
    return {"results": rows, "findings": findings, "fraud_enrolments": enrolments}


@register_panel(key="assessments", zh="年度考核", en="Annual assessment", order=30,
                roles={Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE, Role.AUDITOR},
                template="assessments/panels/runs.html")
def assessment_runs(request):
    """Drafts awaiting publication and the latest published runs in the user's scope."""
    runs = list(visible_runs(request.user).select_related("programme").order_by("status", "-year", "programme__policy_id")[:8])
    return {"runs": runs} if runs else None


@register_panel(key="my_results", zh="本小镇考核结果", en="Your town's assessment results", order=20,
                roles={Role.TOWN_BODY}, template="assessments/panels/my_results.html")
def my_results(request):
    results = list(visible_results(request.user).select_related("run__programme").order_by("-run__year")[:5])
    return {"results": [{"p": p, "action": selectors.action_label(p.action)} for p in results]} if results else None
