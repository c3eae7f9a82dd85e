"""Reading programmes: the list every page's panels and rules start from."""

from __future__ import annotations

from portal.request_memo import memo

from .models import Programme, deferred_document


def programmes_with_versions() -> list[Programme]:
    """Every programme, by policy id, with its version in force and its region (the policy document
    deferred: ``programme.policy`` reads it once per process). Read once per request."""
    return memo("programmes", lambda: list(
        Programme.objects.select_related("current_version", "region").defer(*deferred_document("current_version"))
        .order_by("policy_id")
    ))


def programmes_in_force(*, active_only: bool = True) -> list[Programme]:
    """The programmes with a version in force (and active, unless ``active_only`` is off)."""
    return [p for p in programmes_with_versions() if p.current_version_id and (p.is_active or not active_only)]
