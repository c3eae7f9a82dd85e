"""manage.py restore DIR — restore a backup into a fresh install (migrated, no audit entries, no media)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safety.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a folder written by `manage.py backup` into this fresh install, checking every hash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="the backup folder")

    def handle(self, *args: Any, source: Path, **options: Any) -> None:
        try:
            counts = restore_backup(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"恢复完成 / restored: {sum(counts.values())} rows in {len(counts)} tables from {source}; "
                          "run `manage.py audit_verify` to check the audit chain")
