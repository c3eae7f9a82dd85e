"""manage.py sync_programmes — load policies/*.yaml into programme versions."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes.actions import sync_programmes


class Command(BaseCommand):
    help = "Load the policy files into Programme / ProgrammeVersion (a changed file makes a new version)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="policy folder (default policies/)")

    def handle(self, *args, **options):
        report = sync_programmes(directory=options["dir"])
        for version in report.created:
            self.stdout.write(f"新版本 / new version: {version}")
        for ident in report.unchanged:
            self.stdout.write(f"未变 / unchanged: {ident}")
        for ident in report.deactivated:
            self.stdout.write(f"文件已删除，停用 / file gone, deactivated: {ident}")
        if report.problems:
            raise CommandError("政策文件有误 / policy file problems:\n" + "\n".join(report.problems))
