"""Dashboard panels and navigation of the projects app (registered from ProjectsConfig.ready)."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import is_active
from portal.dashboard import register_nav, register_panel

from .models import Contract
from .permissions import visible_contracts
from .selectors import contract_list_queryset, enrolments_awaiting_contract, statement_for

register_nav(key="projects", zh="示范项目", en="Projects", url_name="projects:list", allowed=is_active, order=40)


def _rows(request):
    contracts = contract_list_queryset(visible_contracts(request.user).filter(state__in=Contract.OPEN_STATES))
    return [{"contract": c, "statement": statement_for(c), "signed": len(c.signatures.all())} for c in contracts]


@register_panel(key="my_project", zh="本镇示范项目", en="Your demonstration project", roles={Role.TOWN_BODY},
                template="projects/panels/my_project.html", order=20)
def my_project(request):
    rows = _rows(request)
    if not rows:
        return None
    for row in rows:
        contract = row["contract"]
        row["awaiting_me"] = contract.state == Contract.State.DRAFT and "town" not in {
            s.party for s in contract.signatures.all()}
    return {"rows": rows}


@register_panel(key="projects_overview", zh="示范项目(合同与配套经费)", en="Demonstration projects (contracts and matching)",
                roles={Role.PROVINCIAL_OFFICER}, template="projects/panels/overview.html", order=30)
def projects_overview(request):
    rows = _rows(request)
    to_draft = enrolments_awaiting_contract(request.user)
    if not rows and not to_draft:
        return None
    return {
        "awaiting_signatures": [r for r in rows if r["contract"].state == Contract.State.DRAFT],
        "to_bring_into_force": [r for r in rows if r["contract"].state == Contract.State.SIGNED],
        "under_matched": [r for r in rows if r["statement"].matching.below],
        "acceptance_applied": [r for r in rows if r["contract"].acceptance_applied_on],
        "in_force": sum(1 for r in rows if r["contract"].state == Contract.State.IN_FORCE),
        "to_draft": to_draft,
    }
