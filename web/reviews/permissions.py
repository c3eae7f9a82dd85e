"""Who may set up, sit on, see and decide expert panels, and who takes acceptance steps.

    visible_panels(user)                  officers and auditors: panels of towns in scope;
                                          experts: panels they sit (or sat) on; town bodies: none
    can_view_panel(user, panel)
    member_of(user, panel)                the user's active membership, or None
    can_see_material(user, panel)         officers in scope; experts only after declaring no conflict
    can_see_aggregate(user, panel)        officers and auditors in scope; an expert only after
                                          handing in their own sheet (never before)
    can_set_up_panel(user, programme, town, purpose)
                                          the provincial officer of the programme's province, the
                                          programme's deciding role in scope, or — for acceptance —
                                          the city/county office the acceptance is delegated to
    can_manage_panel(user, panel)         the same, for an existing panel (members, decision)
    can_decide_panel(user, panel)

    is_acceptance_delegate(user, programme, town)   a Delegation covers the user's office
    can_delegate_acceptance(user, programme, region)   provincial officers in scope
    visible_acceptances(user)             through visible_towns
    can_apply_for_acceptance(user, enrolment)   the town body, or an officer in scope
    can_take_acceptance_step(user, acceptance)  the current step's role in scope (a delegate takes
                                          the provincial check/review steps; naming stays with
                                          the programme's deciding role, towns.can_change_tier)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import in_scope, is_active, is_officer, scope_q
from portal.rules import rule
from programmes.permissions import deciding_roles
from towns.models import ExpertAssignment
from towns.permissions import can_change_tier, can_record_indicators, visible_towns

from .models import Acceptance, Delegation, Panel, PanelMember

if TYPE_CHECKING:
    from programmes.models import Programme
    from regions.models import Region
    from towns.models import Enrolment, Town


NAMING_ACTIONS = ("approve", "publish")


def panel_towns_of_expert(user: Any) -> QuerySet:
    """The expert-town source: towns of panels the expert sits on with no conflict declared."""
    return PanelMember.objects.filter(
        expert=user, active=True, conflict=PanelMember.Conflict.NONE
    ).values("panel__town_id")


def visible_panels(user: Any) -> QuerySet[Panel]:
    panels = Panel.objects.all()
    if not is_active(user):
        return panels.none()
    if user.role == Role.EXPERT:
        return panels.filter(pk__in=PanelMember.objects.filter(expert=user).values("panel_id"))
    if user.role == Role.TOWN_BODY:
        return panels.none()
    return panels.filter(scope_q(user, "town__region__code"))


@rule("您无权查看此评审", "you may not see this panel")
def can_view_panel(user: Any, panel: Panel) -> bool:
    if not is_active(user):
        return False
    if user.role == Role.EXPERT:
        return PanelMember.objects.filter(panel=panel, expert=user).exists()
    if user.role == Role.TOWN_BODY:
        return False
    return in_scope(user, panel.town.region)


def member_of(user: Any, panel: Panel) -> PanelMember | None:
    if not is_active(user) or user.role != Role.EXPERT:
        return None
    return PanelMember.objects.filter(panel=panel, expert=user, active=True).select_related("sheet").first()


@rule("您无权查看专家评审", "you may not see expert panels")
def can_list_panels(user: Any) -> bool:
    """Officials and auditors list the panels of their region (experts see their own memberships)."""
    return is_officer(user) or (is_active(user) and user.role == Role.AUDITOR)


@rule("只能由评审组中的专家本人办理", "only the expert themself, on this panel, may do this")
def acts_as_member(user: Any, member: PanelMember | None) -> bool:
    """The expert of this (active) membership, and nobody else, declares conflicts and hands in scores."""
    return member is not None and is_active(user) and user.pk == member.expert_id and member.active


@rule("已声明利益冲突，不能评分", "you declared a conflict of interest and cannot score")
def not_conflicted(user: Any, member: PanelMember) -> bool:
    """A member who declared a conflict never scores (one who has not declared yet is asked to declare)."""
    return member.conflict != PanelMember.Conflict.CONFLICTED


@rule("声明无利益冲突后才能评分", "declare no conflict of interest before scoring")
def can_score(user: Any, member: PanelMember) -> bool:
    """The score form opens once the member declared no conflict and is still on the panel."""
    return member.scores_allowed


def can_see_material(user: Any, panel: Panel) -> bool:
    if not can_view_panel(user, panel):
        return False
    if user.role != Role.EXPERT:
        return True
    member = member_of(user, panel)
    return member is not None and member.scores_allowed


@rule("您无权查看评分结果", "you may not see the scores")
def can_see_aggregate(user: Any, panel: Panel) -> bool:
    if not can_view_panel(user, panel):
        return False
    if user.role != Role.EXPERT:
        return True
    member = member_of(user, panel)
    return member is not None and hasattr(member, "sheet")


def is_acceptance_delegate(user: Any, programme: Programme, town: Town) -> bool:
    if not is_officer(user) or user.role == Role.PROVINCIAL_OFFICER or not in_scope(user, town.region):
        return False
    return Delegation.objects.filter(
        Q(town__isnull=True) | Q(town=town), programme=programme, region_id=user.region_id, active=True
    ).exists()


@rule("无权组织此小镇的专家评审", "you may not set up an expert panel for this town")
def can_set_up_panel(user: Any, programme: Programme, town: Town, purpose: str = "") -> bool:
    if not is_officer(user) or not in_scope(user, town.region) or not programme.covers(town.region):
        return False
    if user.role == Role.PROVINCIAL_OFFICER or user.role in deciding_roles(programme):
        return True
    return purpose == ExpertAssignment.Purpose.ACCEPTANCE and is_acceptance_delegate(user, programme, town)


@rule("无权调整此评审组", "you may not change this panel")
def can_manage_panel(user: Any, panel: Panel) -> bool:
    return can_set_up_panel(user, panel.programme, panel.town, panel.purpose)


@rule("无权作出评审决定", "you may not decide this panel")
def can_decide_panel(user: Any, panel: Panel) -> bool:
    return can_manage_panel(user, panel)


@rule("无权委托验收", "you may not delegate acceptance")
def can_delegate_acceptance(user: Any, programme: Programme, region: Region) -> bool:
    return (
        is_active(user) and user.role == Role.PROVINCIAL_OFFICER and region is not None
        and in_scope(user, region) and programme.covers(region) and region.level in ("city", "county")
    )


def visible_acceptances(user: Any) -> QuerySet[Acceptance]:
    return Acceptance.objects.filter(enrolment__town__in=visible_towns(user))


@rule("您无权查看此验收", "you may not see this acceptance")
def can_view_acceptance(user: Any, acceptance: Acceptance) -> bool:
    return visible_acceptances(user).filter(pk=acceptance.pk).exists()


@rule("无权为此小镇申请验收", "you may not apply for acceptance for this town")
def can_apply_for_acceptance(user: Any, enrolment: Enrolment) -> bool:
    return can_record_indicators(user, enrolment.town)


@rule("无权办理此验收步骤", "you may not take this acceptance step")
def can_take_acceptance_step(user: Any, acceptance: Acceptance) -> bool:
    step = acceptance.current_step
    if step is None or step["action"] == "expert_review" or not is_officer(user):
        return False
    town, programme = acceptance.town, acceptance.programme
    if not in_scope(user, town.region):
        return False
    if step["action"] in NAMING_ACTIONS:
        return user.role == step["role"] and can_change_tier(user, acceptance.enrolment)
    if user.role == step["role"]:
        return True
    return step["role"] == Role.PROVINCIAL_OFFICER and is_acceptance_delegate(user, programme, town)
