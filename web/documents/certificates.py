"""Naming certificates (命名证书 / 奖牌, 003 §四(四) 颁发奖牌): one per naming decision, with its number and
whether it still stands.

A certificate is the naming tier change itself (``TierChange`` whose transition's action is ``name``);
nothing is stored beside it, so a certificate can never disagree with the decisions. Its status
(xiaozhen default, docs/documents.md; no seed defines it):

* valid (有效) — the enrolment still holds the named tier;
* cancelled (已撤销) — a later decision cancelled the qualification (an action ``cancel``, e.g. fraud);
* expired (已失效) — a later decision moved the town out of the named tier by any other way
  (eliminated, exited, terminated, demoted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from towns.models import Enrolment, TierChange, Town

from .office import office_for

STATUS_LABELS = {
    "valid": ("有效", "valid"),
    "cancelled": ("已撤销", "cancelled"),
    "expired": ("已失效", "expired"),
}


@dataclass(frozen=True)
class Certificate:
    naming: TierChange
    number: str
    status: str  # valid | cancelled | expired
    ended_by: TierChange | None

    @property
    def status_label(self) -> tuple[str, str]:
        return STATUS_LABELS[self.status]

    @property
    def town(self) -> Town:
        return self.naming.enrolment.town

    @property
    def issued_on(self) -> dt.date:
        return self.naming.effective_on


def _action(change: TierChange) -> str:
    policy = change.programme_version.policy
    transition = next((t for t in policy.lifecycle.transitions if t.id == change.transition_id), None)
    return transition.action if transition else ""


def certificate_number(naming: TierChange) -> str:
    office = office_for(naming.enrolment.programme)
    return office.number(naming.effective_on.year, f"证字第{naming.pk:04d}")


def certificates_of(enrolment: Enrolment) -> list[Certificate]:
    """Every naming of ``enrolment``, oldest first, each with what became of it."""
    changes = list(enrolment.tier_changes.select_related("programme_version").order_by("effective_on", "pk"))
    out = []
    for i, change in enumerate(changes):
        if _action(change) != "name":
            continue
        status, ended_by = "valid", None
        for later in changes[i + 1:]:
            if later.to_tier == change.to_tier:
                continue
            ended_by = later
            status = "cancelled" if _action(later) == "cancel" else "expired"
            break
        out.append(Certificate(change, certificate_number(change), status, ended_by))
    return out


def namings() -> list[TierChange]:
    """Every naming tier change in the database (for render_documents and the demo)."""
    changes = TierChange.objects.select_related("programme_version", "enrolment__town", "enrolment__programme")
    return [c for c in changes.order_by("pk") if _action(c) == "name"]
