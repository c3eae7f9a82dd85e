"""Review and acceptance pages. Each view parses, authorises, calls one action or builds its
page from pages.py, and responds. A refusal raises NotAllowed → the bilingual 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import is_officer, scope_q
from accounts.requests import AuthedRequest
from portal.errors import ActionError
from portal.forms_util import run_action
from portal.pagination import page_of
from towns.models import Enrolment, Town
from towns.permissions import visible_towns

from . import actions
from . import permissions as perms
from .forms import (
    AcceptanceStepForm,
    AddMemberForm,
    ApplyAcceptanceForm,
    DecideForm,
    DeclareForm,
    DelegationForm,
    ExtendForm,
    PanelCreateForm,
    ReplaceMemberForm,
    ScoreForm,
)
from .models import Acceptance, Delegation, Panel, PanelMember
from .pages import acceptance_page, panel_page, score_page
from .selectors import (
    acceptance_candidates,
    acceptance_list_queryset,
    my_memberships,
    panel_list_queryset,
)
from .workflow import NAMING_ACTIONS


def _panel(pk: int) -> Panel:
    return get_object_or_404(Panel.objects.select_related("town__region", "programme", "created_by", "decided_by"), pk=pk)


def _viewable_panel(request: AuthedRequest, pk: int) -> Panel:
    panel = _panel(pk)
    perms.can_view_panel.require(request.user, panel)
    return panel


# --- panels ---------------------------------------------------------------------------------

def panel_list(request: AuthedRequest) -> HttpResponse:
    if request.user.role == Role.EXPERT:
        return render(request, "reviews/my_reviews.html", {"memberships": list(my_memberships(request.user)[:200])})
    perms.can_list_panels.require(request.user)
    page = page_of(request, panel_list_queryset(perms.visible_panels(request.user)))
    return render(request, "reviews/panel_list.html", {"page_obj": page, "query_without_page": "",
                                                       "is_officer": is_officer(request.user)})


def panel_create(request: AuthedRequest) -> HttpResponse:
    is_officer.require(request.user)
    form = PanelCreateForm(request.POST or None, initial=request.GET.dict(), user=request.user)

    def create(data: dict) -> Panel:
        data = dict(data)
        town = visible_towns(request.user).filter(code=data.pop("town").strip()).first()
        if town is None:
            raise ActionError("找不到该小镇", "no such town in your region", field="town")
        return actions.create_panel(by=request.user, town=town, **data)

    if done := run_action(request, form, create, success=("专家评审已创建，请添加专家", "Panel set up: now add experts")):
        return redirect("reviews:panel", pk=done.result.pk)
    return render(request, "reviews/panel_form.html", {"form": form}, status=400 if form.errors else 200)


def panel_detail(request: AuthedRequest, pk: int, bound: dict | None = None, status: int = 200) -> HttpResponse:
    panel = _viewable_panel(request, pk)
    return render(request, "reviews/panel_detail.html", panel_page(panel, request.user, bound), status=status)


@require_POST
def panel_add_member(request: AuthedRequest, pk: int) -> HttpResponse:
    panel = _viewable_panel(request, pk)
    perms.can_manage_panel.require(request.user, panel)
    form = AddMemberForm(request.POST, panel=panel)
    if run_action(request, form, lambda d: actions.add_panel_member(panel=panel, by=request.user, **d),
                  success=lambda m: (f"已邀请专家 {m.expert.display_name}，对方将收到站内信",
                                     f"{m.expert.display_name} invited: they get a message in their inbox")):
        return redirect("reviews:panel", pk=pk)
    return panel_detail(request, pk, bound={"add": form}, status=400)


@require_POST
def panel_replace_member(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    panel = _viewable_panel(request, pk)
    member = get_object_or_404(PanelMember, pk=member_pk, panel=panel)
    perms.can_manage_panel.require(request.user, panel)
    form = ReplaceMemberForm(request.POST, member=member)
    if run_action(request, form, lambda d: actions.replace_panel_member(member=member, by=request.user, **d),
                  success=None):
        return redirect("reviews:panel", pk=pk)
    return panel_detail(request, pk, bound={f"replace-{member.pk}": form}, status=400)


def _my_membership(request: AuthedRequest, panel: Panel) -> PanelMember:
    member = perms.member_of(request.user, panel)
    perms.acts_as_member.require(request.user, member)
    assert member is not None
    return member


@require_POST
def panel_declare(request: AuthedRequest, pk: int) -> HttpResponse:
    panel = _viewable_panel(request, pk)
    member = _my_membership(request, panel)
    form = DeclareForm(request.POST)
    if run_action(request, form, lambda d: actions.declare_conflict(member=member, by=request.user, **d),
                  success=("已声明", "Declaration recorded")):
        return redirect("reviews:panel", pk=pk)
    return panel_detail(request, pk, bound={"declare": form}, status=400)


def panel_score(request: AuthedRequest, pk: int) -> HttpResponse:
    panel = _viewable_panel(request, pk)
    member = _my_membership(request, panel)
    perms.can_score.require(request.user, member)
    form = ScoreForm(request.POST or None, panel=panel)
    if run_action(request, form,
                  lambda d: actions.submit_scores(member=member, by=request.user, **form.action_input()),
                  success=("评分已提交", "Scores handed in")):
        return redirect("reviews:panel", pk=pk)
    return render(request, "reviews/score_form.html", score_page(panel, member, form), status=400 if form.errors else 200)


@require_POST
def panel_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    panel = _viewable_panel(request, pk)
    perms.can_decide_panel.require(request.user, panel)
    form = DecideForm(request.POST)
    if run_action(request, form, lambda d: actions.decide_panel(panel=panel, by=request.user, **d),
                  success=("评审决定已记录", "Decision recorded")):
        return redirect("reviews:panel", pk=pk)
    return panel_detail(request, pk, bound={"decide": form}, status=400)


def panel_print(request: AuthedRequest, pk: int) -> HttpResponse:
    panel = _viewable_panel(request, pk)
    perms.can_see_aggregate.require(request.user, panel)
    return render(request, "reviews/panel_print.html", panel_page(panel, request.user))


# --- acceptance -----------------------------------------------------------------------------

def acceptance_list(request: AuthedRequest) -> HttpResponse:
    acceptances = acceptance_list_queryset(perms.visible_acceptances(request.user))
    page = page_of(request, acceptances)
    return render(request, "reviews/acceptance_list.html",
                  {"page_obj": page, "query_without_page": "", "candidates": acceptance_candidates(request.user)})


def acceptance_apply(request: AuthedRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("town__region", "programme"), pk=enrolment_pk)
    perms.can_apply_for_acceptance.require(request.user, enrolment)
    form = ApplyAcceptanceForm(request.POST or None)
    if done := run_action(request, form,
                          lambda d: actions.apply_for_acceptance(enrolment=enrolment, by=request.user, **d),
                          success=("验收申请已提交", "Acceptance application submitted")):
        return redirect("reviews:acceptance", pk=done.result.pk)
    return render(request, "reviews/acceptance_form.html", {"form": form, "enrolment": enrolment},
                  status=400 if form.errors else 200)


def _acceptance(request: AuthedRequest, pk: int) -> Acceptance:
    acceptance = get_object_or_404(Acceptance.objects.select_related(
        "enrolment__town__region", "enrolment__programme__current_version", "applied_by", "tier_change"), pk=pk)
    perms.can_view_acceptance.require(request.user, acceptance)
    return acceptance


def acceptance_detail(request: AuthedRequest, pk: int, bound: dict | None = None, status: int = 200) -> HttpResponse:
    acceptance = _acceptance(request, pk)
    return render(request, "reviews/acceptance_detail.html", acceptance_page(acceptance, request.user, bound),
                  status=status)


@require_POST
def acceptance_step(request: AuthedRequest, pk: int) -> HttpResponse:
    acceptance = _acceptance(request, pk)
    perms.can_take_acceptance_step.require(request.user, acceptance)
    step = acceptance.current_step or {}
    form = AcceptanceStepForm(request.POST, naming=step.get("action") in NAMING_ACTIONS)
    if run_action(request, form, lambda d: actions.decide_acceptance_step(acceptance=acceptance, by=request.user, **d),
                  success=("已办理", "Step recorded")):
        return redirect("reviews:acceptance", pk=pk)
    return acceptance_detail(request, pk, bound={"step": form}, status=400)


@require_POST
def acceptance_extend(request: AuthedRequest, pk: int) -> HttpResponse:
    acceptance = _acceptance(request, pk)
    form = ExtendForm(request.POST)
    if run_action(request, form,
                  lambda d: actions.extend_after_failed_acceptance(acceptance=acceptance, by=request.user, **d),
                  success=("已延期", "Extended")):
        return redirect("reviews:acceptance", pk=pk)
    return acceptance_detail(request, pk, bound={"extend": form}, status=400)


def delegation_list(request: AuthedRequest) -> HttpResponse:
    is_officer.require(request.user)
    form = DelegationForm(request.POST or None, user=request.user)

    def delegate(data: dict) -> None:
        data = dict(data)
        code = data.pop("town").strip()
        town = Town.objects.filter(code=code).first() if code else None
        if code and town is None:
            raise ActionError("找不到该小镇", "no such town", field="town")
        actions.delegate_acceptance(by=request.user, town=town, **data)

    if run_action(request, form, delegate, success=("已委托", "Delegated")):
        return redirect("reviews:delegations")
    delegations = Delegation.objects.filter(scope_q(request.user, "region__code")).select_related(
        "programme", "region", "town", "created_by")
    return render(request, "reviews/delegations.html", {
        "form": form, "delegations": delegations, "can_delegate": request.user.role == Role.PROVINCIAL_OFFICER,
    }, status=400 if form.errors else 200)


@require_POST
def delegation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(Delegation.objects.select_related("programme", "region"), pk=pk)
    try:
        actions.revoke_delegation(delegation=delegation, by=request.user, reason=request.POST.get("reason", ""))
    except ActionError as exc:
        messages.error(request, str(exc))
    return redirect("reviews:delegations")
