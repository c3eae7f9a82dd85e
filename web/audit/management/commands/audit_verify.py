"""manage.py audit_verify — walk the audit hash chain and report the first break (exit 1), if any."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; report the first changed, removed or inserted row."

    def handle(self, *args, **options):
        result = verify()
        if not result.ok:
            raise CommandError(
                f"审计链断裂 / audit chain broken after {result.checked} good entries: {result.first_break}"
            )
        self.stdout.write(f"审计链完整 / audit chain intact: {result.checked} entries")
