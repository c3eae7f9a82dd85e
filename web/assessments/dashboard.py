"""Navigation and the town-page section of the assessments app (registered from ready())."""

from __future__ import annotations

from accounts.permissions import is_active
from portal.dashboard import register_nav
from towns.extensions import register_town_section

from . import selectors
from .permissions import can_record_fraud

register_nav(key="assessments", zh="年度考核", en="Annual assessment", url_name="assessments:list",
             allowed=is_active, order=40)


@register_town_section(key="assessment_results", template="assessments/_town_section.html", order=40)
def town_assessment_section(request, town):
    """Published results (grade, stars, decision with clause), fraud findings, the fraud form link."""
    results = selectors.town_results(town)
    findings = selectors.town_fraud_findings(town)
    enrolments = [e for e in town.enrolments.select_related("programme__current_version", "town__region")
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
