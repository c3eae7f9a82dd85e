"""Every audit row carries a hash chained to the row before; `manage.py audit_verify` finds the
first row that was changed, removed or inserted, even by someone who went round the triggers."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

import audit
from audit.chain import verify
from audit.models import AuditChainHead, AuditEntry

from .races import at_once

PG_ONLY = pytest.mark.skipif(connection.vendor != "postgresql",
                             reason="roles, privileges and row locks are PostgreSQL's; SQLite has one writer")


def record_some(n: int, *, verb: str = "note") -> list[AuditEntry]:
    with transaction.atomic():
        return [audit.record(actor=None, verb=verb, object_type="test", object_id=i, reason=f"第 {i} 条",
                             data={"amount": "12.50", "at": "2026-01-01", "n": i}) for i in range(n)]


def without_triggers(sql: str, params: list) -> None:
    """Run ``sql`` as the table owner who switched the append-only trigger off first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks, or ALTER refuses
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_append_only")
        cursor.execute(sql, params)


def test_each_entry_holds_the_hash_of_the_one_before(db):
    first, second, third = record_some(3)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3 and all(len(e.hash) == 64 for e in (first, second, third))
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash) == (third.pk, third.hash)


def test_an_untouched_trail_verifies(db, qingxiu_town):
    record_some(5)
    result = verify(chunk=2)  # several chunks
    assert result.ok and result.checked == AuditEntry.objects.count()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert f"intact: {result.checked} entries" in out.getvalue()


def test_a_row_changed_behind_the_triggers_is_reported_as_the_first_break(db):
    entries = record_some(5)
    without_triggers("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["改过的理由", entries[2].pk])
    result = verify()
    assert not result.ok and result.checked == 2
    assert result.first_break.entry_id == entries[2].pk and "changed" in result.first_break.problem_en
    with pytest.raises(CommandError, match=rf"after 2 good entries: audit entry #{entries[2].pk}: .*changed"):
        call_command("audit_verify", stdout=io.StringIO())


def test_a_row_removed_from_the_middle_breaks_the_chain_at_the_next_row(db):
    entries = record_some(4)
    without_triggers("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    result = verify()
    assert result.first_break.entry_id == entries[2].pk and "removed or inserted" in result.first_break.problem_en


def test_rows_removed_from_the_end_are_caught_by_the_head(db):
    entries = record_some(3)
    without_triggers("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    result = verify()
    assert result.first_break.entry_id is None and f"#{entries[-1].pk}" in result.first_break.problem_en


def test_a_changed_data_value_is_caught_too(db):
    entries = record_some(2)
    without_triggers("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"amount": "99.00", "at": "2026-01-01", "n": 0}', entries[0].pk])
    assert verify().first_break.entry_id == entries[0].pk


def test_numbers_the_database_writes_differently_still_verify(db):
    with transaction.atomic():
        audit.record(actor=None, verb="note", data={"big": 1e16, "small": 1e-7, "whole": 3.0, "part": 2.5,
                                                    "nested": [{"x": 1e20}]})
    assert verify().ok


@PG_ONLY
@pytest.mark.django_db(transaction=True)
def test_concurrent_actions_chain_one_after_another_without_a_fork():
    def worker() -> None:
        for _ in range(5):
            record_some(2, verb="concurrent")

    errors = [o for o in at_once(6, worker) if o is not None]
    assert not errors
    assert AuditEntry.objects.filter(verb="concurrent").count() == 60
    assert verify().ok
    hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two rows claim the same predecessor


@PG_ONLY
def test_on_postgresql_an_app_role_that_does_not_own_the_table_can_append_but_not_update_delete_or_truncate(db):
    """docs/deploy.md: the app's role is not the audit table's owner. Then the trigger holds
    (UPDATE, DELETE) and TRUNCATE, which no trigger stops, is refused for want of privilege."""
    entry = record_some(1)[0]
    role = f"xz_audit_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")  # rolled back with the test's transaction
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON audit_auditentry TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        for sql in ("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s",
                    "DELETE FROM audit_auditentry WHERE id = %s",
                    "TRUNCATE audit_auditentry"):
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(sql, [entry.pk] if "%s" in sql else None)
            with pytest.raises(DatabaseError), transaction.atomic():  # nor can it switch the trigger off
                cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute("RESET ROLE")
    assert AuditEntry.objects.get(pk=entry.pk).reason == "第 0 条"
