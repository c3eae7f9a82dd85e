"""Region scoping shared by every app's permissions module.

A user's *scope prefix* is the GB/T 2260 code prefix of everything they may see:

* ``None`` — nothing by region (town bodies and experts see through other links);
* ``""``   — everything (a nationwide auditor, with no region set);
* ``"45"``, ``"4501"``, ``"450103"`` — a province, a city, a county.

Other apps build their predicates on ``scope_q`` / ``in_scope`` so that the rule lives
in one place. See docs/adr/0004.
"""

from __future__ import annotations

from django.db.models import Q

from regions.models import Region

from .models import Role

OFFICER_ROLES = frozenset({Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER, Role.COUNTY_OFFICE})
REGION_SCOPED_ROLES = OFFICER_ROLES | {Role.AUDITOR}

#: The region level each region-scoped role must be given.
SCOPE_LEVEL = {
    Role.PROVINCIAL_OFFICER: Region.Level.PROVINCE,
    Role.CITY_REVIEWER: Region.Level.CITY,
    Role.COUNTY_OFFICE: Region.Level.COUNTY,
}


def is_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_officer(user) -> bool:
    """A provincial, city or county official acting within its region."""
    return is_active(user) and user.role in OFFICER_ROLES


def is_read_only(user) -> bool:
    """Auditors may look at everything in scope and change nothing."""
    return not is_active(user) or user.role == Role.AUDITOR


def scope_prefix(user) -> str | None:
    if not is_active(user) or user.role not in REGION_SCOPED_ROLES:
        return None
    if user.region_id is None:
        return "" if user.role == Role.AUDITOR else None
    return user.region.scope_prefix


def scope_q(user, code_field: str) -> Q:
    """A filter keeping rows whose region code (at ``code_field``) is in the user's scope."""
    prefix = scope_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{code_field}__startswith": prefix})


def in_scope(user, region: Region | None) -> bool:
    prefix = scope_prefix(user)
    if prefix is None or region is None:
        return prefix == ""
    return region.code.startswith(prefix)


def can_view_audit(user) -> bool:
    """Officers and auditors read the audit trail of their region."""
    return is_active(user) and user.role in REGION_SCOPED_ROLES


def can_manage_users(user) -> bool:
    """Provincial officers create accounts in their province (admin does the rest)."""
    return is_active(user) and user.role == Role.PROVINCIAL_OFFICER
