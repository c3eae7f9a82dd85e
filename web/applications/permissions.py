"""Who may open calls, apply, see and decide applications: named predicates, scoped by region.

    can_open_call(user, programme)          the programme's deciding roles, inside its region
    programmes_open_to_calls(user)          the programmes the user may open calls for
    visible_calls(user)                     every call of a visible programme (calls are public notices)
    can_apply(user, call, town)             the town's own body, for a town inside the call's region
    visible_applications(user)              town bodies: their town's; officers and auditors: their region's;
                                            experts: only applications they are assigned (see below)
    can_view_application(user, application)
    can_edit_application(user, application) the town's own body, while it is a draft or returned
    step_role_matches(user, step)           the step's role (an expert_review step: the provincial officer
                                            records the expert group's conclusion)
    can_decide_step(user, application, step_id)  that role, in scope, at the application's current step
    can_rank_recommendations(user, call)    the recommend step's role: reorders what its region recommended
    can_download_material(user, material)   whoever may see the application
    can_name_departments(user, application, step_id)  a joint review step (department_opinions, 003 §四(二)):
                                            whoever may decide it names the departments that must give an opinion
    is_department_of_district(department, application)  a department (Organisation kind department) of a
                                            region holding the application's town: the only ones who may be named
    can_record_department_opinion(user, application, opinion)  the office that named it records a named
                                            department's opinion, once, while the step waits
    can_view_department_opinions(user, application)  officials and auditors who see the application
                                            (a department's opinion is the district's internal deliberation)

Experts see nothing here unless assigned: ExpertAssignment rows for the town with purpose
``application_review`` (for the programme, or for any) are the first source; another app
(expert panels) adds its own with ``register_expert_application_source``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from accounts.models import Organisation, Role
from accounts.permissions import in_scope, is_active, is_officer, is_read_only, scope_q
from portal.rules import rule
from programmes.permissions import deciding_roles, visible_programmes
from towns.models import ExpertAssignment

from .models import Application, Call, DepartmentOpinion, Material

if TYPE_CHECKING:
    from programmes.models import Programme
    from towns.models import Town
    from xiaozhen.policy._schema import ReviewStep


ExpertApplicationSource = Callable[[object], QuerySet]
_EXPERT_SOURCES: list[ExpertApplicationSource] = []


def register_expert_application_source(source: ExpertApplicationSource) -> ExpertApplicationSource:
    """``source(user)`` → a queryset of application ids the expert is assigned."""
    if source not in _EXPERT_SOURCES:
        _EXPERT_SOURCES.append(source)
    return source


@register_expert_application_source
def _assigned_for_application_review(user: Any) -> QuerySet:
    today = dt.date.today()
    assignments = ExpertAssignment.objects.filter(
        expert=user, active=True, purpose=ExpertAssignment.Purpose.APPLICATION_REVIEW,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return Application.objects.filter(
        Q(town__in=assignments.filter(programme__isnull=True).values("town_id"))
        | Q(town__in=assignments.values("town_id"), programme__in=assignments.values("programme_id")),
    ).values("pk")


def _expert_q(user: Any) -> Q:
    q = Q(pk__in=[])
    for source in _EXPERT_SOURCES:
        q |= Q(pk__in=source(user))
    return q


# ------------------------------------------------------------------------------------- calls

@rule("无权发布该项目的申报通知", "you may not open a call for this programme")
def can_open_call(user: Any, programme: Programme) -> bool:
    if not is_officer(user) or user.role not in deciding_roles(programme):
        return False
    if programme.region is None:  # a nationwide programme: each province (or lower) opens its own call
        return user.region is not None
    return in_scope(user, programme.region)


@rule("您无权发布申报通知", "you may not open calls")
def may_open_calls(user: Any) -> bool:
    """Whether the user may open a call for at least one programme (the calls page shows the button)."""
    return programmes_open_to_calls(user).exists()


def programmes_open_to_calls(user: Any) -> QuerySet:
    """The programmes this user may open calls for."""
    from programmes.models import Programme
    from programmes.selectors import programmes_in_force

    return Programme.objects.filter(pk__in=[p.pk for p in programmes_in_force() if can_open_call(user, p)])


def visible_calls(user: Any) -> QuerySet[Call]:
    return Call.objects.filter(programme__in=visible_programmes(user))


@rule("只能为本小镇申报本辖区的通知", "you may apply only for your own town, to a call covering it")
def can_apply(user: Any, call: Call, town: Town | None) -> bool:
    return (
        town is not None
        and is_active(user)
        and user.role == Role.TOWN_BODY
        and user.town_id == town.pk
        and call.region.contains(town.region)
        and call.programme.covers(town.region)
    )


# ------------------------------------------------------------------------------ applications

def visible_applications(user: Any) -> QuerySet[Application]:
    apps = Application.objects.all()
    if not is_active(user):
        return apps.none()
    if user.role == Role.TOWN_BODY:
        return apps.filter(town_id=user.town_id)
    if user.role == Role.EXPERT:
        return apps.filter(_expert_q(user)).exclude(state=Application.State.DRAFT)
    # Officers and auditors: their region's, but never another town's unfinished draft.
    return apps.filter(scope_q(user, "town__region__code")).exclude(state=Application.State.DRAFT)


@rule("您无权查看此申报", "you may not see this application")
def can_view_application(user: Any, application: Application) -> bool:
    return visible_applications(user).filter(pk=application.pk).exists()


@rule("只能修改本小镇未提交或被退回的申报", "you may change only your own town's draft or returned application")
def can_edit_application(user: Any, application: Application) -> bool:
    return (
        is_active(user)
        and user.role == Role.TOWN_BODY
        and user.town_id == application.town_id
        and application.is_editable
    )


def step_role_matches(user: Any, step: ReviewStep) -> bool:
    if not is_officer(user) or is_read_only(user):
        return False
    if step.action == "expert_review" or step.role == Role.EXPERT:
        return user.role == Role.PROVINCIAL_OFFICER
    return user.role == step.role


@rule("无权决定此申报的该审核环节", "you may not decide this step of this application")
def can_decide_step(user: Any, application: Application, step_id: str) -> bool:
    if not application.is_in_review or application.current_step != step_id:
        return False
    step = next((s for s in application.programme.policy.review_steps("application") if s.id == step_id), None)
    return step is not None and step_role_matches(user, step) and in_scope(user, application.town.region)


@rule("无权调整该通知的推荐排序", "you may not rank the recommendations of this call")
def can_rank_recommendations(user: Any, call: Call) -> bool:
    """The role of the call's recommend step (e.g. the city reviewer, 000 择优推荐), in its region."""
    steps = call.programme.policy.review_steps("application")
    return any(s.action == "recommend" and step_role_matches(user, s) for s in steps) and user.region is not None


@rule("您无权下载此材料", "you may not download this material")
def can_download_material(user: Any, material: Material) -> bool:
    return can_view_application(user, material.application)


# ------------------------------------------------------------------------- joint review (联审)

def _step(application: Application, step_id: str) -> ReviewStep | None:
    return next((s for s in application.programme.policy.review_steps("application") if s.id == step_id), None)


@rule("无权为此申报指定联审部门", "you may not name the departments of this joint review")
def can_name_departments(user: Any, application: Application, step_id: str) -> bool:
    """003 §四(二): the joint-meeting office (whoever decides the step) organises the departments' review."""
    step = _step(application, step_id)
    return step is not None and step.department_opinions and can_decide_step(user, application, step_id)


@rule("只能指定本区(县)的职能部门参加联审", "only a department of this county or district may take part")
def is_department_of_district(department: Organisation, application: Application) -> bool:
    return (
        department.kind == Organisation.Kind.DEPARTMENT
        and department.region is not None
        and department.region.contains(application.town.region)
    )


@rule("无权记录该部门的联审意见", "you may not record this department's opinion")
def can_record_department_opinion(user: Any, application: Application, opinion: DepartmentOpinion) -> bool:
    return (
        opinion.application_id == application.pk
        and not opinion.is_given
        and application.current_step == opinion.step_id
        and can_name_departments(user, application, opinion.step_id)
        and is_department_of_district(opinion.department, application)
        and in_scope(user, opinion.department.region)
    )


@rule("您无权查看部门联审意见", "you may not see the departments' opinions")
def can_view_department_opinions(user: Any, application: Application) -> bool:
    return is_active(user) and user.is_region_scoped and can_view_application(user, application)
