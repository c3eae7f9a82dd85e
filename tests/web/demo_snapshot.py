"""The whole demo, loaded once per test process and copied back for each test that reads it.

``manage.py load_demo`` takes half a minute on two cores, and a dozen tests read the demo. The first such
test in a process runs it for real; its rows (every table a model owns, about 18,000 rows) are kept
in memory, and each later test gets the same rows written back verbatim, in one transaction, in about a
second. The copy is the demo exactly: the same ids, timestamps and audit hashes, since nothing passes
through ``save()``, ``auto_now`` or a signal.

The tests about ``load_demo`` itself (a second run changes nothing, it refuses without DEBUG) still run
the command. Files the demo writes live under MEDIA_ROOT, which outlives a test, so the copied rows
point at files that are there."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction


@dataclass
class Snapshot:
    output: str
    tables: list[tuple[type[models.Model], list[str], list[tuple]]]


_snapshots: dict[str, Snapshot] = {}


def _models() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped]


def _take(output: str) -> Snapshot:
    tables = []
    for model in _models():
        fields = model._meta.concrete_fields
        rows = [tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
                for row in model._base_manager.values_list(*(f.attname for f in fields))]
        tables.append((model, [f.column for f in fields], rows))
    return Snapshot(output, tables)


def _restore(snapshot: Snapshot) -> None:
    """Make every model's table hold exactly the snapshot's rows (foreign keys are checked at commit)."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns, rows in snapshot.tables:
            table = quote(model._meta.db_table)
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
            if cursor.fetchone():
                cursor.execute(f"DELETE FROM {table}")
            if rows:
                names = ", ".join(quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _, _ in snapshot.tables]):
            cursor.execute(sql)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # the ids are the snapshot's now
    for cache in caches.all(initialized_only=True):
        cache.clear()


def load_demo() -> str:
    """The demo in the test database; returns what ``load_demo`` printed. Needs DEBUG on (``debug_on``)."""
    key = connection.vendor
    if key not in _snapshots:
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        _snapshots[key] = _take(out.getvalue())
    else:
        _restore(_snapshots[key])
    return _snapshots[key].output
