"""manage.py backup --out DIR — the database (every row, to the microsecond) and every uploaded file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safety.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into a new folder (database.json, media/, manifest.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="a new or empty folder")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        try:
            manifest = write_backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"备份完成 / backed up: {rows} rows in {len(manifest['rows'])} tables, "
                          f"{len(manifest['files'])} files → {out}")
