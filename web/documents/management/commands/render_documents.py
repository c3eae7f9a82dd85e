"""Write one PDF of every kind of document the current database can produce, for checking and operations.

    manage.py render_documents --out var/documents
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.certificates import namings
from documents.kinds import KINDS
from documents.pdf import render_pdf
from lists.models import ListPublication


def examples() -> dict[str, Any]:
    """The newest object of each kind that can be printed (kinds with none are left out)."""
    found: dict[str, Any] = {}
    for kind in KINDS.values():
        queryset = kind.model._default_manager.order_by("-pk")
        if kind.id == "list_notice":
            queryset = queryset.filter(noticed_at__isnull=False)
        elif kind.id == "final_list":
            queryset = queryset.filter(status__in=[ListPublication.Status.FINAL, ListPublication.Status.SUPERSEDED])
        elif kind.id == "bulletin":
            queryset = queryset.order_by("-status", "-pk")  # a published one first
        elif kind.id == "assessment_results":
            queryset = queryset.order_by("-status", "-pk")
        elif kind.id == "application_receipt":
            queryset = queryset.filter(submissions__isnull=False).distinct()
        elif kind.id in ("naming", "certificate"):
            names = namings()
            if names:
                found[kind.id] = names[-1]
            continue
        obj = queryset.first()
        if obj is not None:
            found[kind.id] = obj
    return found


class Command(BaseCommand):
    help = "Render one PDF of each document kind the database can produce into --out DIR."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="folder to write the PDFs into (created if missing)")

    def handle(self, *args: Any, out: str, **options: Any) -> None:
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建 {folder} / cannot create {folder}: {exc.strerror}") from None
        found = examples()
        for kind in KINDS.values():
            obj = found.get(kind.id)
            if obj is None:
                self.stdout.write(f"  —  {kind.zh} {kind.en}: 数据库中没有可生成的对象 / nothing in the database")
                continue
            document = kind.build(obj)
            path = folder / f"{kind.id}.pdf"
            path.write_bytes(render_pdf(document))
            self.stdout.write(f"  ✓  {kind.zh} {kind.en}: {path} ({document.number})")
        missing = [k.id for k in KINDS.values() if k.id not in found]
        self.stdout.write(f"{len(found)} 种已生成 kinds written, {len(missing)} 种缺少数据 missing: {', '.join(missing) or '—'}")
