"""Who may read the audit trail: officers and auditors, each within its region.

Rows without a region (system-wide events) are visible to nationwide auditors only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from portal.auth import is_active
from portal.rules import rule
from regions.scope import scope_q

from .models import AuditEntry

__all__ = ["can_export_audit", "can_view_audit", "visible_audit_entries"]


@rule("只有主管部门和审计员可以查看审计日志", "only officials and auditors see the audit trail")
def can_view_audit(user: Any) -> bool:
    """Officers and auditors read the audit trail of their region."""
    return is_active(user) and bool(getattr(user, "is_region_scoped", False))


@rule("只有主管部门和审计员可以导出审计日志", "only officials and auditors export the audit trail")
def can_export_audit(user: Any) -> bool:
    return can_view_audit(user)


def visible_audit_entries(user: Any) -> QuerySet[AuditEntry]:
    if not can_view_audit(user):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(scope_q(user, "region__code"))
