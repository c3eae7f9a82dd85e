"""From and to states become text (PostgreSQL refused a 64-character overflow SQLite kept).

SQLite alters a column by rebuilding the table, which drops its triggers: the append-only
trigger of 0002 is put back afterwards. PostgreSQL changes the type in place and keeps it."""

import importlib

from django.db import migrations, models

# The trigger's SQL has one home, migration 0002.
TRIGGERS = importlib.import_module("audit.migrations.0002_append_only_triggers")


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in TRIGGERS.SQLITE_DROP + TRIGGERS.SQLITE_CREATE:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_i10c_hash_chain'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='from_state',
            field=models.TextField(blank=True, verbose_name='原状态 / From state'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='to_state',
            field=models.TextField(blank=True, verbose_name='新状态 / To state'),
        ),
        migrations.RunPython(restore_sqlite_trigger, restore_sqlite_trigger),
    ]
