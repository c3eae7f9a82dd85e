"""Database triggers that refuse to change audit rows, even from raw SQL.

PostgreSQL refuses UPDATE and DELETE with SQLSTATE 23001 (an IntegrityError in Django) (TRUNCATE, used by test flushes, stays possible for
the database owner). SQLite refuses UPDATE; DELETE stays possible there because Django's
test flush deletes rows, and the model and queryset already refuse it.
"""

from django.db import migrations

PG_CREATE = [
    """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]
SQLITE_CREATE = [
    """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused');
END
""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_entry_append_only"]


def _run(schema_editor, statements_by_vendor):
    # params=None: the statements contain "%" that must not be read as placeholders.
    for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def create(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE})


def drop(apps, schema_editor):
    _run(schema_editor, {"postgresql": PG_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
