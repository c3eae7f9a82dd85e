"""Assessment pages. Each view parses, authorises (assessments.permissions), calls one action
or selector, and responds. A refusal raises NotAllowed → the bilingual 403 page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from audit.models import AuditEntry
from portal.bilingual import bi_text
from portal.errors import ActionError
from portal.forms_util import run_action
from programmes.models import Programme
from programmes.permissions import visible_programmes
from towns.models import Enrolment
from towns.permissions import can_view_town

from . import actions, selectors
from .export import results_xlsx_bytes
from .forms import (
    ExcellentForm,
    FilterForm,
    FraudFindingForm,
    OverrideForm,
    RiskReviewForm,
    StartRunForm,
    WhatIfForm,
    reform_template,
)
from .models import AssessmentRun, FraudEvidence, Proposal
from .permissions import (
    can_decide_run,
    can_record_fraud,
    can_run_assessment,
    can_run_whatif,
    can_view_run,
    visible_runs,
)
from .presentation import defaults_of, detail_context
from .whatif import change_rows, parameter_rows, whatif_xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(policy_id: str) -> Programme:
    return get_object_or_404(Programme.objects.select_related("current_version", "region"), policy_id=policy_id,
                             is_active=True)


def _run(pk: int) -> AssessmentRun:
    return get_object_or_404(AssessmentRun.objects.select_related("programme__region", "programme_version"), pk=pk)


def run_list(request: AuthedRequest) -> HttpResponse:
    programmes = [p for p in visible_programmes(request.user).select_related("region", "current_version")
                  if can_run_assessment(request.user, p)]
    runs = visible_runs(request.user).select_related("programme", "programme_version").order_by("programme__policy_id", "-year")
    return render(request, "assessments/run_list.html", {"programmes": programmes, "runs": runs,
                                                         "whatif_programmes": {p.pk for p in programmes}})


def run_start(request: AuthedRequest, policy_id: str) -> HttpResponse:
    programme = _programme(policy_id)
    can_run_assessment.require(request.user, programme)
    form = StartRunForm(request.POST or None, programme=programme)
    if done := run_action(request, form, lambda d: actions.start_assessment(programme=programme, by=request.user, **d),
                          success=lambda run: (f"已完成计算：{run.proposals.count()} 个小镇",
                                               f"Computed: {run.proposals.count()} towns")):
        return redirect("assessments:detail", pk=done.result.pk)
    return render(request, "assessments/run_start.html", {"programme": programme, "form": form,
                                                         "defaults": defaults_of(programme.policy)},
                  status=400 if form.errors else 200)


def run_detail(request: AuthedRequest, pk: int, bound: dict | None = None, status: int = 200) -> HttpResponse:
    run = _run(pk)
    can_view_run.require(request.user, run)
    context = detail_context(request, run, FilterForm(request.GET or None), bound or {})
    template = "assessments/_proposal_table.html" if request.headers.get("HX-Request") else "assessments/run_detail.html"
    return render(request, template, context, status=status)


@require_POST
def run_rerun(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    can_decide_run.require(request.user, run)
    actions.rerun_assessment(run=run, by=request.user)
    messages.success(request, bi_text("已重新计算", "Computed again"))
    return redirect("assessments:detail", pk=run.pk)


@require_POST
def run_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(pk)
    can_decide_run.require(request.user, run)
    try:
        actions.publish_assessment(run=run, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:detail", pk=run.pk)
    messages.success(request, bi_text("考核结果已发布，层级调整已生效", "Published; the tier changes are applied"))
    return redirect("assessments:results", policy_id=run.programme.policy_id, year=run.year)


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("run__programme__region", "run__programme_version", "town"), pk=pk)


def _decide(request: AuthedRequest, pk: int, form_class, call, key: str, done: tuple[str, str]) -> HttpResponse:
    """The three per-proposal forms share one shape: bind, call the action, or show the errors."""
    proposal = _proposal(pk)
    can_decide_run.require(request.user, proposal.run)
    kwargs: dict[str, Any] = {"proposal": proposal}
    if form_class is not ExcellentForm:
        kwargs["policy"] = proposal.run.programme_version.policy
    form = form_class(request.POST, **kwargs)
    if run_action(request, form, lambda d: call(proposal=proposal, by=request.user, **d),
                  success=(f"{proposal.town.name_zh}：{done[0]}", f"{proposal.town.code}: {done[1]}")):
        return redirect(reverse("assessments:detail", args=[proposal.run_id]) + f"#p{pk}")
    return run_detail(request, proposal.run_id, bound={(key, pk): form}, status=400)


@require_POST
def proposal_override(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, OverrideForm, actions.override_proposal, "override", ("已改定", "overridden"))


@require_POST
def proposal_excellent(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, ExcellentForm, actions.select_excellent, "excellent", ("已更新优秀评选", "excellent choice saved"))


@require_POST
def proposal_risk(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, RiskReviewForm, actions.record_risk_review, "risk", ("已记录风险评估", "risk review recorded"))


def _published_run(request: AuthedRequest, policy_id: str, year: int) -> tuple[Programme, AssessmentRun]:
    programme = _programme(policy_id)
    run = AssessmentRun.objects.filter(programme=programme, year=year, status=AssessmentRun.Status.PUBLISHED).select_related(
        "programme_version", "published_by").first()
    if run is None:
        raise Http404("no published assessment")
    can_view_run.require(request.user, run)
    return programme, run


def results(request: AuthedRequest, policy_id: str, year: int) -> HttpResponse:
    programme, run = _published_run(request, policy_id, year)
    proposals = selectors.published_results(request.user, programme, year)
    return render(request, "assessments/results.html", {
        "programme": programme, "run": run, "rows": selectors.rows(run, proposals),
        "summary": selectors.run_summary(run), "defaults": defaults_of(run.programme_version.policy),
    })


def results_xlsx(request: AuthedRequest, policy_id: str, year: int) -> HttpResponse:
    programme, run = _published_run(request, policy_id, year)
    rows = selectors.rows(run, selectors.published_results(request.user, programme, year))
    response = HttpResponse(results_xlsx_bytes(run, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="xiaozhen-{policy_id}-{year}-results.xlsx"'
    return response


def fraud_new(request: AuthedRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("town__region", "programme__current_version"), pk=enrolment_pk)
    can_record_fraud.require(request.user, enrolment)
    # A data signal (vitality.views.review_signal) opens this form with its source and description filled in.
    initial = {k: request.GET[k] for k in ("source", "description") if k in request.GET}
    form = FraudFindingForm(request.POST or None, request.FILES or None, initial=initial)

    def record(data: dict) -> None:
        data = dict(data)
        documents = [actions.Document(f.name, f.content_type or "", f.read()) for f in data.pop("documents")]
        actions.record_fraud_finding(enrolment=enrolment, by=request.user, documents=documents, **data)

    if run_action(request, form, record, success=("已记录查实情况并取消资格", "Finding recorded; qualification cancelled")):
        return redirect("towns:detail", code=enrolment.town.code)
    return render(request, "assessments/fraud_form.html", {"enrolment": enrolment, "form": form},
                  status=400 if form.errors else 200)


def evidence_download(request: AuthedRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(FraudEvidence.objects.select_related("finding__enrolment__town__region"), pk=pk)
    can_view_town.require(request.user, evidence.finding.enrolment.town)
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}"; filename*=UTF-8\'\'{quote(evidence.name)}'
    return response


def whatif_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """An officer runs the run's year again under a reform and sees what would change (never published)."""
    run = _run(pk)
    can_run_whatif.require(request.user, run)
    policy = run.programme_version.policy
    form = WhatIfForm(request.POST or None, initial={"reform": reform_template(policy)})
    if done := run_action(request, form, lambda d: actions.run_whatif(run=run, by=request.user, **d),
                          success=("已完成测算(不发布)", "What-if computed (never published)")):
        return redirect("assessments:whatif_detail", pk=run.pk, entry_pk=done.result.pk)
    return render(request, "assessments/whatif.html", {
        "run": run, "programme": run.programme, "form": form, "parameters": parameter_rows(policy),
        "criteria": policy.criteria_for("annual"), "past": _whatif_entries(run)[:20],
    }, status=400 if form.errors else 200)


def _whatif_entries(run: AssessmentRun):
    return AuditEntry.objects.filter(verb="run_whatif", object_type="assessments.assessmentrun",
                                     object_id=str(run.pk)).select_related("actor")


def _whatif(request: AuthedRequest, pk: int, entry_pk: int) -> tuple[AssessmentRun, AuditEntry, list]:
    run = _run(pk)
    can_run_whatif.require(request.user, run)
    entry = get_object_or_404(_whatif_entries(run), pk=entry_pk)
    return run, entry, change_rows(run.programme_version.policy, entry.data.get("changes", []), run.year)


def whatif_detail(request: AuthedRequest, pk: int, entry_pk: int) -> HttpResponse:
    run, entry, rows = _whatif(request, pk, entry_pk)
    return render(request, "assessments/whatif_result.html",
                  {"run": run, "programme": run.programme, "entry": entry, "rows": rows})


def whatif_xlsx(request: AuthedRequest, pk: int, entry_pk: int) -> HttpResponse:
    run, entry, rows = _whatif(request, pk, entry_pk)
    response = HttpResponse(whatif_xlsx_bytes(run, entry, rows), content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="xiaozhen-{run.programme.policy_id}-{run.year}'
                                       f'-whatif-{entry.pk}.xlsx"')
    return response
