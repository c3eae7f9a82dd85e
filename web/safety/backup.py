"""Backup and restore: every row of every table, to the microsecond, and every uploaded file.

``dump_database()`` reads every concrete model's table (Django's and ours, auto-created
many-to-many tables included) in one consistent read transaction and writes each value as
text its field parses back exactly: datetimes as ISO 8601 with microseconds and offset,
decimals as their digits, JSON as JSON. (``dumpdata`` drops microseconds.)

``write_backup(out)`` writes ``out/database.jsonl`` (a header line, then per table a line naming
it and its columns and one line per row — streamed both ways, so memory stays flat however big
the database), a copy of ``MEDIA_ROOT`` under
``out/media/`` and ``out/manifest.json`` with the migrations applied, the row count of each
table and the SHA-256 of the database file and of every media file.

``restore_backup(src)`` restores into a fresh install (``manage.py migrate`` already run,
no audit entries, no media files): it checks the manifest's hashes and that the migrations
match, then in one transaction empties the tables (the rows ``migrate`` seeded, such as
regions and content types) and inserts every row with its own primary key by plain INSERTs,
so ``auto_now`` fields keep their stored values; PostgreSQL sequences are moved past the
restored keys. The audit table's triggers refuse UPDATE and DELETE, never INSERT, so the
audit trail and its hash chain come back as they were (``manage.py audit_verify``).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string

FORMAT = 1
DATABASE_FILE = "database.jsonl"
AUDIT_TABLE = "audit_auditentry"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message saying why."""


def backed_up_models() -> list[type[models.Model]]:
    """Every model with its own table, once per table, in a stable order."""
    seen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen[meta.db_table] = model
    return [seen[table] for table in sorted(seen)]


def _encode(value: Any, field: models.Field) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _records() -> Iterator[dict[str, Any] | list[Any]]:
    """The database as a stream: a header (format, vendor, migrations), then for each table an
    object naming it and its columns followed by its rows, one list each. Consume it inside one
    transaction (``_snapshot``) so every table is read from the same moment."""
    yield {"format": FORMAT, "vendor": connection.vendor, "migrations": _applied_migrations()}
    for model in backed_up_models():
        fields = model._meta.concrete_fields
        columns = [f.attname for f in fields]
        yield {"table": model._meta.label_lower, "db_table": model._meta.db_table, "columns": columns}
        for row in model._base_manager.order_by("pk").values_list(*columns).iterator(chunk_size=2000):
            yield [_encode(v, f) for v, f in zip(row, fields, strict=True)]


@contextmanager
def _snapshot() -> Iterator[None]:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # one snapshot for every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def dump_database() -> dict[str, Any]:
    """Every row of every table in memory (for comparisons; backups stream, see write_backup)."""
    with _snapshot():
        records = _records()
        header = next(records)
        assert isinstance(header, dict)  # _records yields the header first
        tables: dict[str, Any] = {}
        current: list[Any] = []
        for record in records:
            if isinstance(record, dict):
                current = []
                tables[record["table"]] = {"table": record["db_table"], "columns": record["columns"], "rows": current}
            else:
                current.append(record)
    return {**header, "tables": tables}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative POSIX path → SHA-256)."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def write_backup(out: Path) -> dict[str, Any]:
    """Write the backup folder ``out`` (which must be new or empty); return its manifest."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} 不是空目录 / {out} is not empty: back up into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    database = out / DATABASE_FILE
    rows: dict[str, int] = {}
    with _snapshot(), database.open("w", encoding="utf-8") as handle:
        records = _records()
        header = next(records)
        assert isinstance(header, dict)  # _records yields the header first
        handle.write(json.dumps(header, ensure_ascii=False) + "\n")
        label = ""
        for record in records:
            if isinstance(record, dict):
                label = record["table"]
                rows[label] = 0
            else:
                rows[label] += 1
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        shutil.copytree(media_root, out / "media", dirs_exist_ok=True)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": header["vendor"],
        "migrations": header["migrations"],
        "rows": rows,
        "database_sha256": _sha256(database),
        "files": media_files(out / "media"),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _check(src: Path) -> dict[str, Any]:
    """The manifest, once the database file and every media file match their hashes."""
    manifest_path, database = src / "manifest.json", src / DATABASE_FILE
    if not manifest_path.is_file() or not database.is_file():
        raise BackupError(f"{src} 不是备份目录（缺 manifest.json 或 {DATABASE_FILE}） / "
                          f"{src} is not a backup folder: manifest.json or {DATABASE_FILE} is missing")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不受支持 / backup format {manifest.get('format')} is not {FORMAT}")
    if _sha256(database) != manifest["database_sha256"]:
        raise BackupError(f"{DATABASE_FILE} 的哈希与清单不符：文件已损坏或被改动 / "
                          f"{DATABASE_FILE} does not match its hash in manifest.json: damaged or changed")
    found = media_files(src / "media")
    for name, digest in manifest["files"].items():
        if found.get(name) != digest:
            raise BackupError(f"文件 media/{name} 缺失或哈希不符 / media/{name} is missing or does not match its hash")
    extra = sorted(set(found) - set(manifest["files"]))
    if extra:
        raise BackupError(f"备份中有清单外的文件 / files not in the manifest: {', '.join(extra[:5])}")
    return manifest


def _insert(model: type[models.Model], columns: list[str], rows: Iterable[list[Any]]) -> None:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[c] for c in columns]
    quote = connection.ops.quote_name
    # concrete fields always have a column (django-stubs types Field.column as optional)
    names = [quote(f.column) for f in fields]  # type: ignore[arg-type]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([f.get_db_prep_save(f.to_python(v) if not isinstance(f, models.JSONField) else v, connection)
                          for f, v in zip(fields, row, strict=True)])
            if len(batch) == 500:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def restore_backup(src: Path) -> dict[str, int]:
    """Restore the backup folder ``src`` into this fresh install; return the rows per table."""
    src = Path(src)
    manifest = _check(src)
    if manifest["migrations"] != _applied_migrations():
        raise BackupError("备份与本安装的数据库迁移不一致：请用同一版本的 xiaozhen 并先运行 migrate / "
                          "the backup's migrations differ from this install's: use the same xiaozhen version "
                          "and run `manage.py migrate` first")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {AUDIT_TABLE}")
        if cursor.fetchone()[0]:
            raise BackupError("本库已有审计记录：只能恢复到新安装的空数据库 / this database already has audit "
                              "entries: restore only into a fresh install (a new database, migrated)")
    media_root = Path(settings.MEDIA_ROOT)
    if media_files(media_root):
        raise BackupError(f"MEDIA_ROOT（{media_root}）中已有文件：请恢复到空目录 / "
                          f"MEDIA_ROOT ({media_root}) already holds files: restore into an empty folder")
    labels = {m._meta.label_lower: m for m in backed_up_models()}
    unknown = sorted(set(manifest["rows"]) - set(labels))
    if unknown:
        raise BackupError(f"备份中有本安装没有的表 / tables this install does not have: {', '.join(unknown)}")
    counts: dict[str, int] = {}
    with transaction.atomic(), (src / DATABASE_FILE).open(encoding="utf-8") as handle:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for model in labels.values():
                if model._meta.db_table != AUDIT_TABLE:  # empty, checked above; its trigger refuses DELETE
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        lines = (json.loads(line) for line in handle)
        next(lines)  # the header: its migrations are the manifest's, checked above
        label = ""
        columns: list[str] = []
        batch: list[list[Any]] = []
        for record in lines:
            if isinstance(record, dict):  # the next table: flush the last one's rows
                if label:
                    _insert(labels[label], columns, batch)
                label, columns, batch = record["table"], record["columns"], []
                counts[label] = 0
                continue
            batch.append(record)
            counts[label] += 1
            if len(batch) == 2000:
                _insert(labels[label], columns, batch)
                batch = []
        if label:
            _insert(labels[label], columns, batch)
        if counts != manifest["rows"]:
            raise BackupError("恢复的行数与清单不符 / the rows restored do not match the manifest's counts")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(labels.values())):
                    cursor.execute(statement)
    if (src / "media").is_dir():
        shutil.copytree(src / "media", media_root, dirs_exist_ok=True)
    copied = media_files(media_root)
    if copied != manifest["files"]:
        raise BackupError("复制后的文件与清单不符 / the copied files do not match the manifest")
    return counts
