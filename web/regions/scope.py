"""Region scoping, the one home of the rule (docs/adr/0004).

A user's *scope prefix* is the GB/T 2260 code prefix of everything they may see:

* ``None`` — nothing by region (town bodies and experts see through other links);
* ``""``   — everything (a nationwide auditor, with no region set);
* ``"45"``, ``"4501"``, ``"450103"`` — a province, a city, a county.

Which roles are scoped by region is the accounts app's business: its ``User.scope_prefix``
says it, so this module, on the ground floor, reads only that one property and every app's
predicates build on ``scope_q`` / ``in_scope``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.auth import is_active

from .models import Region

__all__ = ["in_scope", "scope_prefix", "scope_q"]


def scope_prefix(user: Any) -> str | None:
    """The code prefix the user sees (None: nothing by region; "": everything)."""
    if not is_active(user):
        return None
    prefix: str | None = getattr(user, "scope_prefix", None)
    return prefix


def scope_q(user: Any, code_field: str) -> Q:
    """A filter keeping rows whose region code (at ``code_field``) is in the user's scope."""
    prefix = scope_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{code_field}__startswith": prefix})


def in_scope(user: Any, region: Region | None) -> bool:
    """Whether ``region`` lies inside the user's scope (no region: only for a nationwide user)."""
    prefix = scope_prefix(user)
    if prefix is None or region is None:
        return prefix == ""
    return region.code.startswith(prefix)
