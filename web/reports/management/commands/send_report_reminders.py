"""Create the in-app report reminders that are due today (run daily by cron; idempotent)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reports.actions import REMIND_DAYS_BEFORE, send_report_reminders


class Command(BaseCommand):
    help = "提醒未报送的小镇：截止前与逾期后各一次 / remind towns whose report is due soon or overdue (once each)"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to act as today (YYYY-MM-DD); default: today")
        parser.add_argument("--days-before", type=int, default=REMIND_DAYS_BEFORE,
                            help=f"days before the due date for the first reminder (default {REMIND_DAYS_BEFORE})")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today 应为 YYYY-MM-DD / --today must be YYYY-MM-DD, got {options['today']!r}") from None
        created = send_report_reminders(today=today, days_before=options["days_before"])
        self.stdout.write(f"新建提醒 {created} 条 / {created} reminder(s) created")
