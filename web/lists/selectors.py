"""Read-side helpers for the lists pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import Count, Q, QuerySet

from programmes.models import deferred_document

from .models import ListEntry, ListPublication, Objection

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PublicationCounts(TypedDict):
    """The counts ``publication_rows`` adds to each publication."""

    entry_count: int
    pending_count: int


#: A publication as ``publication_rows`` loads it, with its counts.
PublicationRow: TypeAlias = "WithAnnotations[ListPublication, PublicationCounts]"


def publication_rows(publications: QuerySet[ListPublication]) -> QuerySet[PublicationRow]:
    """What a row of a list index needs: programme, region, counts of entries and pending objections."""
    return publications.select_related("programme__current_version", "programme__region", "supersedes").defer(
        *deferred_document("programme__current_version")
    ).annotate(
        entry_count=Count("entries", filter=Q(entries__removed=False), distinct=True),
        pending_count=Count("objections", filter=Q(objections__status=Objection.Status.PENDING), distinct=True),
    ).order_by("-year", "-id")


def publication_for_page(pk: int) -> ListPublication:
    return ListPublication.objects.select_related(
        "programme__current_version", "programme__region", "programme_version", "published_by",
        "supersedes",
    ).defer(*deferred_document("programme__current_version"), *deferred_document("programme_version")).prefetch_related(
        "corrections"
    ).get(pk=pk)


@dataclass
class PublicationPage:
    publication: ListPublication
    listed: list[ListEntry]
    removed: list[ListEntry]
    objections: list[Objection] = field(default_factory=list)
    forms: dict[str, Any] = field(default_factory=dict)


def publication_page(publication: ListPublication, *, with_objections: bool) -> PublicationPage:
    entries = list(publication.entries.order_by("position"))
    objections: list[Objection] = []
    if with_objections:
        objections = list(
            publication.objections.select_related("entry", "decided_by").order_by("status", "submitted_at")
        )
    return PublicationPage(
        publication=publication,
        listed=[e for e in entries if not e.removed],
        removed=[e for e in entries if e.removed],
        objections=objections,
    )

