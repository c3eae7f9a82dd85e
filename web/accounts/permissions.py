"""Region scoping shared by every app's permissions module.

A user's *scope prefix* is the GB/T 2260 code prefix of everything they may see:

* ``None`` — nothing by region (town bodies and experts see through other links);
* ``""``   — everything (a nationwide auditor, with no region set);
* ``"45"``, ``"4501"``, ``"450103"`` — a province, a city, a county.

The scope rule itself lives with regions (``regions.scope``); it is re-exported here so
the apps' permission modules keep one import. See docs/adr/0004.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit.permissions import can_view_audit
from portal.auth import is_active
from portal.rules import rule
from regions.models import Region
from regions.scope import in_scope, scope_prefix, scope_q

from .models import OFFICER_ROLES, REGION_SCOPED_ROLES, Role

if TYPE_CHECKING:
    from regions.models import Region


__all__ = [
    "OFFICER_ROLES", "REGION_SCOPED_ROLES", "SCOPE_LEVEL", "can_manage_users", "can_view_audit", "in_scope",
    "is_active", "is_officer", "is_read_only", "scope_prefix", "scope_q",
]

#: The region level each region-scoped role must be given.
SCOPE_LEVEL = {
    Role.PROVINCIAL_OFFICER: Region.Level.PROVINCE,
    Role.CITY_REVIEWER: Region.Level.CITY,
    Role.COUNTY_OFFICE: Region.Level.COUNTY,
}


@rule("只有主管部门可以办理", "only officials may do this")
def is_officer(user: Any) -> bool:
    """A provincial, city or county official acting within its region."""
    return is_active(user) and user.role in OFFICER_ROLES


def is_read_only(user: Any) -> bool:
    """Auditors may look at everything in scope and change nothing."""
    return not is_active(user) or user.role == Role.AUDITOR


def can_manage_users(user: Any) -> bool:
    """Provincial officers create accounts in their province (admin does the rest)."""
    return is_active(user) and user.role == Role.PROVINCIAL_OFFICER


@rule("无权管理此范围内的账号", "you may not manage accounts in this region")
def can_manage_users_in(user: Any, region: Region | None) -> bool:
    """``can_manage_users``, inside the user's own region (``region=None``: an account with no region)."""
    return can_manage_users(user) and (region is None or in_scope(user, region))
