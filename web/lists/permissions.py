"""Who may see and publish lists: named predicates.

    can_manage_lists(user, programme)   the programme's deciding role (its file's review chain:
                                        the step that approves or publishes) whose region
                                        scope holds the programme's region
    manageable_programmes(user)         the programmes a user may publish lists of
    visible_publications(user)          drafts of those programmes, and every public list
    public_publications()               what anyone (signed in or not) may read: lists that
                                        were put on notice (never drafts)
    can_view_publication(user, pub)
    can_handle_objections(user, pub)    same as managing the programme's lists

A city reviewer never publishes the province's list, a town body never publishes, and
a province never publishes another province's list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from accounts.permissions import in_scope, is_officer
from portal.rules import rule
from programmes.models import Programme
from programmes.permissions import deciding_roles
from programmes.selectors import programmes_in_force

from .models import ListPublication

if TYPE_CHECKING:
    from towns.models import Town



@rule("该小镇不在您的辖区内", "this town is outside your region")
def can_list_town(user: Any, town: Town) -> bool:
    """A town goes on a list only by an officer whose scope holds it."""
    return in_scope(user, town.region)


@rule("无权管理该项目的名单", "you may not manage this programme's lists")
def can_manage_lists(user: Any, programme: Programme) -> bool:
    if not is_officer(user) or programme.current_version_id is None:
        return False
    return user.role in deciding_roles(programme) and in_scope(user, programme.region)


@rule("您无权公布名单", "you may not publish lists")
def may_manage_some_lists(user: Any) -> bool:
    return bool(manageable_programmes(user))


def manageable_programmes(user: Any) -> list[Programme]:
    if not is_officer(user):
        return []
    return [p for p in programmes_in_force() if can_manage_lists(user, p)]


def public_publications() -> QuerySet[ListPublication]:
    return ListPublication.objects.filter(noticed_at__isnull=False)


def visible_publications(user: Any) -> QuerySet[ListPublication]:
    mine = [p.pk for p in manageable_programmes(user)]
    return ListPublication.objects.filter(Q(noticed_at__isnull=False) | Q(programme_id__in=mine))


@rule("您无权查看此名单", "you may not see this list")
def can_view_publication(user: Any, publication: ListPublication) -> bool:
    return publication.is_public or can_manage_lists(user, publication.programme)


@rule("无权处理该名单的异议", "you may not decide on this list's objections")
def can_handle_objections(user: Any, publication: ListPublication) -> bool:
    return can_manage_lists(user, publication.programme)
