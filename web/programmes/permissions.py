"""Who may decide on a programme's enrolments and tiers.

The programme file says it: the roles of its review-chain steps that ``approve`` or
``publish`` (e.g. Tongzhou's district office publishes its own list, 003 §四(二)). A
programme whose chain names neither is decided by the provincial officer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import is_active

from .models import Programme

DECIDING_ACTIONS = ("approve", "publish")


def deciding_roles(programme: Programme) -> frozenset[str]:
    chain = programme.policy.review_chain
    roles: set[str] = {step.role for step in chain if step.action in DECIDING_ACTIONS}
    return frozenset(roles or {str(Role.PROVINCIAL_OFFICER)})


def visible_programmes(user: Any) -> QuerySet[Programme]:
    """Programmes are public documents: every signed-in user sees the active ones."""
    if not is_active(user):
        return Programme.objects.none()
    return Programme.objects.filter(is_active=True, current_version__isnull=False)


def can_sync_programmes(user: Any) -> bool:
    return is_active(user) and user.role == Role.PROVINCIAL_OFFICER
