"""What a panel reviews, and what its decision does: one handler per subject kind.

A panel's ``subject_ref`` is ``<kind>:<id>``. An app whose objects go to expert review
registers its kind here (from its ``AppConfig.ready()``, or this module for the kinds
this app owns):

    register_subject("application", describe=..., on_decided=...)

* ``describe(subject_id) -> SubjectInfo | None`` — a label and a link for the panel page;
* ``check(subject_id, programme, town)`` — raise ActionError when a panel may not be set up
  on that subject (no such object, another town, not at its expert step);
* ``on_decided(panel, by)`` — called by ``actions.decide_panel`` inside its transaction,
  so the subject's own action (advance a step, name a town …) commits with the decision
  or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from portal.bilingual import Bi


@dataclass(frozen=True)
class SubjectInfo:
    label: Bi
    url: str = ""


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    describe: Callable[[str], SubjectInfo | None]
    on_decided: Callable[[Any, Any], None] | None
    check: Callable[[str, Any, Any], None] | None = None


_KINDS: dict[str, SubjectKind] = {}


def register_subject(kind: str, *, describe: Callable[[str], SubjectInfo | None],
                     on_decided: Callable[[Any, Any], None] | None = None,
                     check: Callable[[str, Any, Any], None] | None = None) -> None:
    _KINDS[kind] = SubjectKind(kind, describe, on_decided, check)


def subject_kind(kind: str) -> SubjectKind | None:
    return _KINDS.get(kind)


def known_kinds() -> list[str]:
    return sorted(_KINDS)


def describe(subject_ref: str) -> SubjectInfo | None:
    kind, _, ident = subject_ref.partition(":")
    entry = _KINDS.get(kind)
    return entry.describe(ident) if entry else None


# --- the kinds this app owns ------------------------------------------------------------------

def _describe_acceptance(ident: str) -> SubjectInfo | None:
    from .models import Acceptance

    acceptance = Acceptance.objects.select_related("enrolment__town").filter(pk=ident).first() if ident.isdigit() else None
    if acceptance is None:
        return None
    town = acceptance.enrolment.town
    return SubjectInfo(Bi(f"{town.name_zh} 验收申请 #{acceptance.pk}", f"{town.name_en or town.code} acceptance #{acceptance.pk}"),
                       reverse("reviews:acceptance", args=[acceptance.pk]))


def _check_acceptance(ident: str, programme, town) -> None:
    from portal.errors import ActionError

    from .models import Acceptance

    acceptance = Acceptance.objects.select_related("enrolment").filter(pk=ident).first() if ident.isdigit() else None
    if acceptance is None or acceptance.enrolment.town_id != town.pk or acceptance.enrolment.programme_id != programme.pk:
        raise ActionError(f"该小镇在此项目中没有验收申请 {ident}", f"no acceptance {ident} of this town in this programme",
                          field="subject_ref")
    step = acceptance.current_step
    if step is None or step["action"] != "expert_review":
        raise ActionError("该验收当前不在专家评估步骤", "the acceptance is not at its expert assessment step",
                          field="subject_ref")


def _acceptance_panel_decided(panel, by) -> None:
    from .actions import record_field_assessment

    record_field_assessment(panel=panel, by=by)


register_subject("acceptance", describe=_describe_acceptance, on_decided=_acceptance_panel_decided,
                 check=_check_acceptance)
register_subject("assessment", describe=lambda ident: SubjectInfo(Bi(f"年度考核 {ident}", f"Annual assessment {ident}")))
