"""``record``: write one audit row in the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from portal import request_memo

from .chain import entry_hash, locked_head, normalise_data


class AuditOutsideTransaction(RuntimeError):
    """An action forgot ``@transaction.atomic``: its audit row could outlive a rollback."""


def record(
    *,
    actor: Any,
    verb: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    region: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
):
    """Append one AuditEntry and return it.

    ``actor`` is the acting user, or None for the system (migrations, sync commands).
    ``verb`` is the action's function name (``create_town``, ``change_tier`` …).
    ``obj`` is the model instance acted on: its type, id and text are taken from it, and
    its region from ``obj.audit_region`` when the model defines it (so officers of that
    region see the row). ``data`` is any JSON-serialisable detail (dates and decimals are
    fine). Must run inside ``transaction.atomic`` — the action's own transaction.
    """
    from .models import AuditEntry

    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(
            f"audit.record({verb!r}) must run inside the action's transaction (@transaction.atomic)"
        )
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
        if region is None:
            region = getattr(obj, "audit_region", None)
    active = actor is not None and getattr(actor, "is_authenticated", False)
    fields = {
        "at": timezone.now(),
        "actor_id": actor.pk if active else None,
        "actor_username": actor.get_username() if active else "system",
        "role": getattr(actor, "role", "") if active else "",
        "verb": str(verb),
        "object_type": str(object_type),
        "object_id": "" if object_id in (None, "") else str(object_id),
        "object_repr": str(object_repr)[:200],
        "region_id": region.pk if region is not None else None,
        "from_state": str(from_state or ""),
        "to_state": str(to_state or ""),
        "reason": str(reason or ""),
        "data": normalise_data(data),
    }
    # Lock the chain head for the rest of the action's transaction: appends are chained in order.
    head = locked_head()
    digest = entry_hash(head.last_hash, fields)
    entry = AuditEntry.objects.create(prev_hash=head.last_hash, hash=digest, **fields)
    head.last_id, head.last_hash = entry.pk, digest
    head.save(update_fields=["last_id", "last_hash"])
    # A state changed: what this request read before (portal.request_memo) is read again, now and once
    # the action's transaction has committed.
    request_memo.clear()
    transaction.on_commit(request_memo.clear)
    return entry
