"""Reads for the public pages: what a programme publishes, and the objects a document is built from."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.http import Http404

from assessments.models import AssessmentRun
from lists.models import ListPublication
from reports.models import Bulletin
from towns.models import TierChange, Town

from .certificates import namings
from .kinds import KINDS
from .permissions import is_public


def document_object(kind: str, pk: int) -> Model:
    try:
        spec = KINDS[kind]
    except KeyError:
        raise Http404 from None
    try:
        return spec.model._default_manager.get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def public_documents() -> list[dict[str, Any]]:
    """Every document that is public now, newest first: bulletins, results, lists, namings."""
    rows: list[dict[str, Any]] = []
    for b in Bulletin.objects.filter(status=Bulletin.Status.PUBLISHED).select_related("reporting_period__programme"):
        if is_public("bulletin", b):
            rows.append({"kind": KINDS["bulletin"], "pk": b.pk, "programme": b.reporting_period.programme,
                         "title": f"{b.reporting_period.period} 季度通报", "on": b.published_at})
    for run in AssessmentRun.objects.filter(status=AssessmentRun.Status.PUBLISHED).select_related("programme"):
        if is_public("assessment_results", run):
            rows.append({"kind": KINDS["assessment_results"], "pk": run.pk, "programme": run.programme,
                         "title": f"{run.year} 年度考核结果", "on": run.published_at})
    for pub in ListPublication.objects.filter(noticed_at__isnull=False).select_related("programme"):
        kind = "final_list" if pub.finalised_at else "list_notice"
        if is_public(kind, pub):
            rows.append({"kind": KINDS[kind], "pk": pub.pk, "programme": pub.programme, "title": pub.title_zh,
                         "on": pub.finalised_at or pub.noticed_at})
    for change in namings():
        if is_public("naming", change):
            rows.append({"kind": KINDS["naming"], "pk": change.pk, "programme": change.enrolment.programme,
                         "title": f"命名 {change.enrolment.town.name_zh}", "on": change.decided_at})
    return sorted(rows, key=lambda r: r["on"], reverse=True)


def town_by_code(code: str) -> Town:
    try:
        return Town.objects.select_related("region__parent__parent").get(code=code)
    except Town.DoesNotExist:
        raise Http404 from None


__all__ = ["TierChange", "document_object", "public_documents", "town_by_code"]
