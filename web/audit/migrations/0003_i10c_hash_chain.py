"""The hash chain (audit/chain.py): two columns, the chain head, and hashes for existing rows.

Existing rows are chained in id order. The append-only triggers refuse UPDATE, so this
migration (run by the database owner) sets them aside while it writes the hashes: on
PostgreSQL it disables the trigger for the moment; on SQLite adding a column rebuilds the
table, which drops its trigger, so the trigger is created again afterwards.
"""

from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused');
END
"""


def chain_existing_rows(apps, schema_editor):
    from audit.chain import HASHED_FIELDS, entry_hash

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_append_only")
    previous, last_id = "", None
    for row in AuditEntry.objects.order_by("pk").values("pk", *HASHED_FIELDS).iterator(chunk_size=2000):
        digest = entry_hash(previous, row)
        AuditEntry.objects.filter(pk=row["pk"]).update(prev_hash=previous, hash=digest)
        previous, last_id = digest, row["pk"]
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_id": last_id, "last_hash": previous})
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry", name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="前一哈希 / Previous hash"),
        ),
        migrations.AddField(
            model_name="auditentry", name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="哈希 / Hash"),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_id", models.BigIntegerField(blank=True, null=True)),
                ("last_hash", models.CharField(blank=True, max_length=64)),
            ],
            options={"verbose_name": "审计链头 / Audit chain head"},
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
    ]
