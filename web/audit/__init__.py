"""The append-only audit trail. Every action calls ``audit.record(...)`` inside its transaction.

    from audit import record
    record(actor=by, verb="change_tier", obj=enrolment, from_state="creation",
           to_state="cultivation", reason=reason, data={"decision_ref": decision_ref})
"""

from .recording import AuditOutsideTransaction, record

__all__ = ["AuditOutsideTransaction", "record"]
