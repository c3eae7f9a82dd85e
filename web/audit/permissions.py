"""Who may read the audit trail: officers and auditors, each within its region.

Rows without a region (system-wide events) are visible to nationwide auditors only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.permissions import can_view_audit, scope_q

from .models import AuditEntry

__all__ = ["can_export_audit", "can_view_audit", "visible_audit_entries"]


def can_export_audit(user) -> bool:
    return can_view_audit(user)


def visible_audit_entries(user) -> QuerySet[AuditEntry]:
    if not can_view_audit(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(scope_q(user, "region__code"))
