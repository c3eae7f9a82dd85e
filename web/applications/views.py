"""Application pages. Each view parses, authorises (applications.permissions), calls one
action or selector, and responds. A refusal raises NotAllowed → the bilingual 403 page."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.bilingual import bi_text
from portal.errors import ActionError
from portal.forms_util import add_action_error, query_without_page, run_action
from portal.pagination import page_of

from . import actions
from .facts import form_initial, normalise_facts
from .forms import CallForm, DecisionForm, DepartmentsForm, FactsForm, MaterialForm, OpinionForm
from .models import Application, Call, DepartmentOpinion, Material
from .permissions import (
    can_apply,
    can_decide_step,
    can_download_material,
    can_edit_application,
    can_name_departments,
    can_rank_recommendations,
    can_view_application,
    can_view_department_opinions,
    may_open_calls,
    visible_applications,
    visible_calls,
)
from .selectors import (
    application_list_queryset,
    application_page,
    district_departments,
    joint_reviews,
    recommended_for_ranking,
    recommended_in_call,
    review_queue,
)
from .verdicts import application_verdict

logger = logging.getLogger(__name__)

def _page(request, applications):
    return page_of(request, application_list_queryset(applications))


def application_list(request: AuthedRequest) -> HttpResponse:
    applications = visible_applications(request.user)
    state = request.GET.get("state", "")
    if state in Application.State.values:
        applications = applications.filter(state=state)
    return render(request, "applications/application_list.html", {
        "page_obj": _page(request, applications), "query_without_page": query_without_page(request),
        "states": Application.State.choices, "state": state,
    })


def queue(request: AuthedRequest) -> HttpResponse:
    return render(request, "applications/queue.html", {
        "page_obj": _page(request, review_queue(request.user)), "query_without_page": query_without_page(request),
    })


def call_list(request: AuthedRequest) -> HttpResponse:
    calls = list(visible_calls(request.user).select_related("programme__current_version", "region"))
    town = getattr(request.user, "town", None)
    mine = {}
    if town is not None:
        mine = {a.call_id: a for a in Application.objects.filter(town=town)}
    today = timezone.localdate()
    rows = [{"call": c, "open": c.is_open_on(today), "application": mine.get(c.pk),
             "may_apply": town is not None and can_apply(request.user, c, town)} for c in calls]
    may_open = may_open_calls(request.user)
    return render(request, "applications/call_list.html", {"rows": rows, "may_open": may_open})


def call_create(request: AuthedRequest) -> HttpResponse:
    may_open_calls.require(request.user)
    form = CallForm(request.POST or None, user=request.user)
    if run_action(request, form, lambda d: actions.open_call(by=request.user, **d),
                  success=("申报通知已发布", "Call opened")):
        return redirect("applications:calls")
    return render(request, "applications/call_form.html", {"form": form}, status=400 if form.errors else 200)


def call_ranking(request: AuthedRequest, call_pk: int) -> HttpResponse:
    """The recommend step's ranking of one call (rank 1 = the best): shown, and reordered on POST."""
    call = get_object_or_404(Call.objects.select_related("programme__current_version", "region"), pk=call_pk)
    can_rank_recommendations.require(request.user, call)
    applications = recommended_for_ranking(call, request.user)
    error = ""
    if request.method == "POST":
        try:
            order = sorted(applications, key=lambda a: (_int(request.POST.get(f"rank_{a.pk}")), a.rank or 0))
            actions.rank_recommendations(call=call, order=order, by=request.user)
        except ActionError as exc:
            error = str(exc)
        else:
            messages.success(request, bi_text("推荐排序已更新", "Ranking updated"))
            return redirect("applications:ranking", call_pk=call_pk)
    return render(request, "applications/ranking.html", {"call": call, "applications": applications, "error": error},
                  status=400 if error else 200)


def _int(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise ActionError("排序须为整数", "each rank is a whole number", field="rank") from None


@require_POST
def application_start(request: AuthedRequest, call_pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("programme__current_version", "region"), pk=call_pk)
    town = request.user.town
    can_apply.require(request.user, call, town)
    assert town is not None  # can_apply refuses a user without a town
    try:
        application = actions.start_application(call=call, town=town, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("applications:calls")
    return redirect("applications:edit", pk=application.pk)


def _application(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("call__region", "programme__current_version", "town__region", "enrolment"),
        pk=pk,
    )


def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    can_view_application.require(request.user, application)
    return render(request, "applications/application_detail.html", _detail_context(request, application))


def _detail_context(request: AuthedRequest, application: Application, *, decision_form=None,
                    departments_form=None, opinion_form=None) -> dict:
    """What the application page shows; a bound form given here (re-shown with its errors) replaces the blank one."""
    user = request.user
    page = application_page(application, with_current_verdict=True)
    step = next((s["step"] for s in page.steps if s["current"]), None)
    may_decide = step is not None and can_decide_step(user, application, step.id)
    if decision_form is None and may_decide:
        assert step is not None
        decision_form = DecisionForm(application=application, step=step, is_last=page.steps[-1]["step"].id == step.id)
    reviews = joint_reviews(application) if can_view_department_opinions(user, application) else []
    if step is not None and can_name_departments(user, application, step.id):
        current = next((r for r in reviews if r.current), None)
        named = {o.department_id for o in current.opinions} if current else set()
        if departments_form is None:
            departments_form = DepartmentsForm(departments=district_departments(application, user).exclude(pk__in=named))
        if opinion_form is None and current and current.missing:
            opinion_form = OpinionForm(departments=_missing_departments(application))
    else:
        departments_form = opinion_form = None
    return {
        "application": application, "page": page, "step": step, "decision_form": decision_form,
        "recommended": recommended_in_call(application, user) if step and step.action == "recommend" else [],
        "may_edit": can_edit_application(user, application),
        "joint_reviews": reviews, "departments_form": departments_form, "opinion_form": opinion_form,
    }


def _missing_departments(application: Application):
    from accounts.models import Organisation

    waiting = DepartmentOpinion.objects.filter(application=application, step_id=application.current_step,
                                               submission=application.submissions.order_by("-number")[:1],
                                               opinion="")
    return Organisation.objects.filter(pk__in=waiting.values("department_id")).order_by("name_zh")


@require_POST
def name_departments(request: AuthedRequest, pk: int) -> HttpResponse:
    """The joint-meeting office names the departments of the current joint review step (003 §四(二))."""
    application = _application(pk)
    step_id = application.current_step
    can_name_departments.require(request.user, application, step_id)
    form = DepartmentsForm(request.POST, departments=district_departments(application, request.user))
    if run_action(request, form, lambda d: actions.name_review_departments(
            application=application, step_id=step_id, by=request.user, departments=list(d["departments"]),
            new_names=d["new_names"]),
            success=lambda rows: (f"已指定联审部门：{'、'.join(r.department.name_zh for r in rows)}",
                                  f"Departments named: {', '.join(r.department.name_zh for r in rows)}")):
        return redirect(f"{reverse('applications:detail', kwargs={'pk': pk})}#joint-review")
    return render(request, "applications/application_detail.html",
                  _detail_context(request, application, departments_form=form), status=400)


@require_POST
def record_opinion(request: AuthedRequest, pk: int) -> HttpResponse:
    """The office records a named department's opinion on its behalf (003 §四(二))."""
    application = _application(pk)
    can_name_departments.require(request.user, application, application.current_step)
    form = OpinionForm(request.POST, departments=_missing_departments(application))
    if run_action(request, form, lambda d: actions.record_department_opinion(
            application=application, department=d["department"], opinion=d["opinion"], text=d["text"],
            by=request.user),
            success=lambda row: (f"已记录{row.department.name_zh}的意见", f"Opinion of {row.department.name_zh} recorded")):
        return redirect(f"{reverse('applications:detail', kwargs={'pk': pk})}#joint-review")
    return render(request, "applications/application_detail.html",
                  _detail_context(request, application, opinion_form=form), status=400)


def application_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    can_edit_application.require(request.user, application)
    initial = {"category": application.category, "sub_sector": application.sub_sector}
    initial |= form_initial(application.programme.policy, application.call.plan_periods, application.facts)
    form = FactsForm(request.POST or None, initial=initial, application=application)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.save_draft(application=application, data=data, by=request.user,
                           category=data.get("category"), sub_sector=data.get("sub_sector"))
        if "submit" not in request.POST:
            messages.success(request, bi_text("草稿已保存", "Draft saved"))
            return redirect("applications:edit", pk=pk)
        try:
            actions.submit_application(application=application, by=request.user)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, bi_text("申报已提交", "Application submitted"))
            return redirect("applications:detail", pk=pk)
    application.refresh_from_db()
    return render(request, "applications/application_edit.html", {
        "application": application, "form": form, "live": application_verdict(application),
        "page": application_page(application, with_current_verdict=False),
        "material_form": MaterialForm(),
    }, status=400 if form.errors else 200)


@require_POST
def application_verdict_partial(request: AuthedRequest, pk: int) -> HttpResponse:
    """The live verdict on what the form holds now (HTMX; nothing is saved)."""
    application = _application(pk)
    can_edit_application.require(request.user, application)
    facts = normalise_facts(application.programme.policy, application.call.plan_periods, request.POST)
    live = application_verdict(application, facts=facts, category=request.POST.get("category", application.category),
                               sub_sector=request.POST.get("sub_sector", application.sub_sector))
    return render(request, "applications/_live_verdict.html", {"live": live, "application": application})


@require_POST
def material_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    can_edit_application.require(request.user, application)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = actions.upload_material(application=application, material_id=form.cleaned_data["material_id"],
                                               upload=form.cleaned_data["file"], by=request.user)
        except ActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, bi_text(f"已上传：{material.original_name}", f"Uploaded: {material.original_name}"))
    else:
        messages.error(request, bi_text("请选择要上传的文件", "choose a file to upload"))
    return redirect(f"{reverse('applications:edit', kwargs={'pk': pk})}#materials")


def material_download(request: AuthedRequest, pk: int, material_pk: int) -> HttpResponse | FileResponse:
    material = get_object_or_404(Material.objects.select_related("application"), pk=material_pk, application_id=pk)
    can_download_material.require(request.user, material)
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, OSError):
        # The row outlived its file (a restore without the media folder, a disk error): say so, and log it.
        logger.error("material %s: file %s is missing from storage", material.pk, material.file.name)
        return render(request, "404.html", {"reason": bi_text(
            f"材料“{material.original_name}”的文件已不在服务器上，请联系管理员从备份恢复，或重新上传",
            f"The file of material “{material.original_name}” is no longer on the server: ask the administrator to "
            "restore it from the backup, or upload it again")}, status=404)
    return FileResponse(handle, as_attachment=True, filename=material.original_name)


@require_POST
def application_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    step_id = request.POST.get("step_id", "")
    can_decide_step.require(request.user, application, step_id)
    steps = application.programme.policy.review_steps("application")
    step = next(s for s in steps if s.id == step_id)
    form = DecisionForm(request.POST, application=application, step=step, is_last=steps[-1].id == step_id)
    if run_action(request, form,
                  lambda d: actions.decide_step(application=application, step_id=step_id, by=request.user, **d),
                  success=("审核意见已记录", "Decision recorded")):
        return redirect("applications:detail", pk=pk)
    return render(request, "applications/application_detail.html",
                  _detail_context(request, application, decision_form=form), status=400)
