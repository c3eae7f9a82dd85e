"""Who may read each document, and who sets an office's letterhead and seal.

A document is public when its programme's file makes that kind public (``policy.audience``) and
the object is published (a published bulletin or run, a list on notice or final, a naming). Anyone
else needs the page's own predicate: the bulletin's, the run's, the town's, the contract's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.permissions import in_scope, is_officer
from applications.models import Application
from applications.permissions import can_view_application
from assessments.models import AssessmentRun
from assessments.permissions import can_view_run
from lists.models import ListPublication
from lists.permissions import can_view_publication
from portal.rules import rule
from programmes.models import Programme
from programmes.permissions import deciding_roles
from projects.models import Contract
from projects.permissions import can_view_contract
from reports.models import Bulletin
from reports.permissions import can_view_bulletin
from towns.models import TierChange, Town
from towns.permissions import can_view_town


def is_public(kind: str, obj: Any) -> bool:
    """Anyone may read this document, signed in or not."""
    if isinstance(obj, Bulletin):
        programme = obj.reporting_period.programme
        return obj.status == Bulletin.Status.PUBLISHED and programme.policy.audience("bulletin").audience == "public"
    if isinstance(obj, AssessmentRun):
        return obj.is_published and obj.programme.policy.audience("assessment_results").audience == "public"
    if isinstance(obj, ListPublication):
        wanted = "list_notice" if kind == "list_notice" else "final_list"
        if kind == "final_list" and obj.status not in (ListPublication.Status.FINAL, ListPublication.Status.SUPERSEDED):
            return False
        return obj.is_public and obj.programme.policy.audience(wanted).audience == "public"
    if isinstance(obj, TierChange):
        return obj.enrolment.programme.policy.audience("naming").audience == "public"
    if isinstance(obj, Town):
        return town_profile_is_public(obj)
    return False  # receipts and contracts are never public (an objection receipt goes by its signed link)


def town_profile_is_public(town: Town) -> bool:
    """Public unless every programme the town is in keeps profiles internal."""
    enrolments = list(town.enrolments.select_related("programme__current_version"))
    return not enrolments or any(e.programme.policy.audience("town_profile").audience == "public"
                                 for e in enrolments)


@rule("您无权查看此文件", "you may not see this document")
def can_read_document(user: User | AnonymousUser, kind: str, obj: Any) -> bool:
    if is_public(kind, obj):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if isinstance(obj, Bulletin):
        return can_view_bulletin(user, obj)
    if isinstance(obj, AssessmentRun):
        return can_view_run(user, obj)
    if isinstance(obj, ListPublication):
        return can_view_publication(user, obj)
    if isinstance(obj, TierChange):
        return can_view_town(user, obj.enrolment.town)
    if isinstance(obj, Application):
        return can_view_application(user, obj)
    if isinstance(obj, Contract):
        return can_view_contract(user, obj)
    if isinstance(obj, Town):
        return can_view_town(user, obj)
    return False


@rule("您无权设置该项目的发文信息", "you may not set this programme's office details")
def can_manage_office(user: User, programme: Programme) -> bool:
    """The programme's deciding office, in its region, sets the letterhead, prefix and seal."""
    if not is_officer(user) or programme.current_version_id is None:
        return False
    return user.role in deciding_roles(programme) and in_scope(user, programme.region)
