"""Who may see and change towns: named predicates, scoped by region.

    visible_towns(user)                 the towns a user may see (a queryset; use it as a subquery)
    can_view_town(user, town)
    can_create_towns(user)              officers (the new-town form)
    can_create_town(user, region)       officers inside their region
    can_edit_town(user, town)           officers whose scope holds the town
    can_edit_town_profile(user, town)   the above, or the town's own body (contacts, boundary)
    can_enrol_town(user, town, programme)
    can_change_tier(user, enrolment)    the programme's deciding role (its file says which) in scope
    can_record_indicators(user, town)   the town body for its town, officers in scope
    can_manage_enterprises(user, town)  same as recording indicators
    can_assign_expert(user, town)       provincial officers and city reviewers in scope

Experts see what they are assigned. The assignments come from *sources*: functions
``user -> queryset of town ids``. ExpertAssignment is the first; an app with its own
assignments (e.g. application reviews) adds one in its ``AppConfig.ready()``:

    register_expert_town_source(lambda user: Review.objects.filter(expert=user).values("application__town_id"))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import in_scope, is_active, is_officer, scope_q
from portal.rules import rule
from programmes.permissions import deciding_roles

from .models import Enrolment, ExpertAssignment, IndicatorValue, Town

if TYPE_CHECKING:
    from programmes.models import Programme
    from regions.models import Region


ExpertTownSource = Callable[[object], QuerySet]
_EXPERT_TOWN_SOURCES: list[ExpertTownSource] = []


def register_expert_town_source(source: ExpertTownSource) -> ExpertTownSource:
    if source not in _EXPERT_TOWN_SOURCES:
        _EXPERT_TOWN_SOURCES.append(source)
    return source


@register_expert_town_source
def _assigned_towns(user: Any) -> QuerySet:
    today = dt.date.today()
    return ExpertAssignment.objects.filter(expert=user, active=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    ).values("town_id")


def expert_town_ids_q(user: Any) -> Q:
    q = Q(pk__in=[])
    for source in _EXPERT_TOWN_SOURCES:
        q |= Q(pk__in=source(user))
    return q


def visible_towns(user: Any) -> QuerySet[Town]:
    towns = Town.objects.all()
    if not is_active(user):
        return towns.none()
    if user.role == Role.TOWN_BODY:
        return towns.filter(pk=user.town_id)
    if user.role == Role.EXPERT:
        return towns.filter(expert_town_ids_q(user))
    return towns.filter(scope_q(user, "region__code"))


@rule("只有主管部门可以新建小镇", "only officials can create towns")
def can_create_towns(user: Any) -> bool:
    """Whether the user may open the new-town form at all (can_create_town then checks the region)."""
    return is_officer(user)


@rule("您无权查看此小镇", "you may not see this town")
def can_view_town(user: Any, town: Town) -> bool:
    if not is_active(user):
        return False
    if user.role == Role.TOWN_BODY:
        return user.town_id == town.pk
    if user.role == Role.EXPERT:
        return Town.objects.filter(expert_town_ids_q(user), pk=town.pk).exists()
    return in_scope(user, town.region)


@rule("只能在本辖区内新建小镇", "you can create towns only inside your own region")
def can_create_town(user: Any, region: Region) -> bool:
    return is_officer(user) and in_scope(user, region)


def can_edit_town(user: Any, town: Town) -> bool:
    return is_officer(user) and in_scope(user, town.region)


@rule("无权修改此小镇", "you may not change this town")
def can_edit_town_profile(user: Any, town: Town) -> bool:
    return can_edit_town(user, town) or _is_own_town(user, town)


@rule("无权将此小镇列入该项目", "you may not enrol this town in this programme")
def can_enrol_town(user: Any, town: Town, programme: Programme) -> bool:
    return (
        is_officer(user)
        and user.role in deciding_roles(programme)
        and in_scope(user, town.region)
        and programme.covers(town.region)
    )


@rule("无权调整此小镇的层级", "you may not change this town's tier")
def can_change_tier(user: Any, enrolment: Enrolment) -> bool:
    return can_enrol_town(user, enrolment.town, enrolment.programme)


@rule("无权填报此小镇的指标", "you may not record indicators for this town")
def can_record_indicators(user: Any, town: Town) -> bool:
    return _is_own_town(user, town) or can_edit_town(user, town)


@rule("无权登记此小镇的企业", "you may not register enterprises of this town")
def can_manage_enterprises(user: Any, town: Town) -> bool:
    return can_record_indicators(user, town)


@rule("无权管理此小镇的专家指派", "you may not manage expert assignments for this town")
def can_assign_expert(user: Any, town: Town) -> bool:
    return (
        is_active(user)
        and user.role in (Role.PROVINCIAL_OFFICER, Role.CITY_REVIEWER)
        and in_scope(user, town.region)
    )


def visible_enrolments(user: Any) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(town__in=visible_towns(user))


def visible_indicator_values(user: Any) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(town__in=visible_towns(user))


def _is_own_town(user: Any, town: Town) -> bool:
    return is_active(user) and user.role == Role.TOWN_BODY and user.town_id == town.pk
