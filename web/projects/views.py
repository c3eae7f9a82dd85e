"""Project pages: contract (三方合同), funding ledger, project (milestones, progress, acceptance).
Each view parses, authorises (projects.permissions), calls one action or selector, and responds."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.forms_util import run_action
from towns.models import Enrolment

from . import actions, selectors
from . import permissions as perms
from .export import ledger_xlsx
from .forms import (
    AcceptanceApplicationForm,
    DateForm,
    DraftContractForm,
    EndContractForm,
    FundingForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressReportForm,
    ReverseFundingForm,
    SignForm,
)
from .models import Contract, Milestone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _contract(request: AuthedRequest, pk: int) -> Contract:
    contract = get_object_or_404(selectors.contract_page_queryset(), pk=pk)
    perms.can_view_contract.require(request.user, contract)
    return contract


def contract_list(request: AuthedRequest) -> HttpResponse:
    contracts = list(selectors.contract_list_queryset(perms.visible_contracts(request.user)))
    rows = [{"contract": c, "statement": selectors.statement_for(c), "signed": len(c.signatures.all())}
            for c in contracts]
    return render(request, "projects/contract_list.html",
                  {"rows": rows, "to_draft": selectors.enrolments_awaiting_contract(request.user)})


def contract_draft(request: AuthedRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("town__region", "programme__current_version"),
                                  pk=enrolment_pk)
    perms.can_draft_contract.require(request.user, enrolment)
    form = DraftContractForm(request.POST or None, enrolment=enrolment)
    if done := run_action(request, form,
                          lambda d: actions.draft_contract(enrolment=enrolment, by=request.user, **form.action_kwargs()),
                          success=("合同草稿已建立，待三方签署", "Contract drafted; awaiting the three signatures")):
        return redirect("projects:contract", pk=done.result.pk)
    return render(request, "projects/contract_form.html", {"form": form, "enrolment": enrolment},
                  status=400 if form.errors else 200)


def contract_detail(request: AuthedRequest, pk: int, bound: dict | None = None, status: int = 200) -> HttpResponse:
    contract = _contract(request, pk)
    user, bound = request.user, bound or {}
    parties = perms.parties_user_may_sign(user, contract)
    signed = {s.party for s in contract.signatures.all()}
    can_sign = [p for p in parties if p not in signed] if contract.state == Contract.State.DRAFT else []
    manage = perms.can_manage_contract(user, contract)
    context = {
        "contract": contract, "signatures": selectors.signatures_by_party(contract),
        "names": selectors.party_names(contract), "targets": selectors.target_labels(contract),
        "statement": selectors.statement_for(contract), "required": selectors.required_ratio(contract),
        "sign_form": bound.get("sign") or (SignForm(parties=can_sign) if can_sign else None),
        "force_form": bound.get("force") or (DateForm() if manage and contract.state == Contract.State.SIGNED else None),
        "end_form": bound.get("end") or (EndContractForm() if manage and contract.is_open else None),
    }
    return render(request, "projects/contract_detail.html", context, status=status)


@require_POST
def contract_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    perms.is_party_to.require(request.user, contract)
    form = SignForm(request.POST, parties=perms.parties_user_may_sign(request.user, contract))
    if run_action(request, form, lambda d: actions.sign_contract(contract=contract, by=request.user, **d),
                  success=("已签署", "Signed")):
        return redirect("projects:contract", pk=pk)
    return contract_detail(request, pk, bound={"sign": form}, status=400)


@require_POST
def contract_in_force(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    perms.can_manage_contract.require(request.user, contract)
    form = DateForm(request.POST)
    if run_action(request, form, lambda d: actions.bring_contract_into_force(contract=contract, by=request.user, **d),
                  success=("合同已生效", "The contract is in force")):
        return redirect("projects:contract", pk=pk)
    return contract_detail(request, pk, bound={"force": form}, status=400)


@require_POST
def contract_end(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    perms.can_manage_contract.require(request.user, contract)
    form = EndContractForm(request.POST)

    def end(d: dict[str, Any]) -> Any:
        action = actions.complete_contract if d["outcome"] == Contract.State.COMPLETED else actions.terminate_contract
        return action(contract=contract, by=request.user, reason=d["reason"], on=d["on"])

    if run_action(request, form, end, success=("合同已结束", "The contract has ended")):
        return redirect("projects:contract", pk=pk)
    return contract_detail(request, pk, bound={"end": form}, status=400)


def funding(request: AuthedRequest, pk: int, bound: FundingForm | None = None, status: int = 200,
            bound_reversal: tuple[int, ReverseFundingForm] | None = None) -> HttpResponse:
    contract = _contract(request, pk)
    sources = perms.allocation_sources_for(request.user, contract)
    may_spend = perms.can_record_disbursement(request.user, contract)
    open_ledger = contract.state in (Contract.State.SIGNED, Contract.State.IN_FORCE)
    form = bound or (FundingForm(sources=sources, may_spend=may_spend, on=actions.default_ledger_date(contract))
                     if open_ledger and (sources or may_spend) else None)
    return render(request, "projects/funding.html", {
        "contract": contract, "statement": selectors.statement_for(contract),
        "required": selectors.required_ratio(contract),
        "entries": selectors.ledger_lines(contract, request.user, open_ledger, bound_reversal),
        "names": selectors.party_names(contract), "form": form,
    }, status=status)


@require_POST
def funding_record(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    perms.can_record_funding.require(request.user, contract)
    form = FundingForm(request.POST, sources=perms.allocation_sources_for(request.user, contract),
                       may_spend=perms.can_record_disbursement(request.user, contract))
    if run_action(request, form, lambda d: actions.record_funding(contract=contract, by=request.user, **d),
                  success=("已登记", "Recorded")):
        return redirect("projects:funding", pk=pk)
    return funding(request, pk, bound=form, status=400)


@require_POST
def funding_reverse(request: AuthedRequest, pk: int, entry_pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    entry = get_object_or_404(contract.funding_entries.select_related("contract__town__region"), pk=entry_pk)
    perms.can_reverse_funding.require(request.user, entry)
    form = ReverseFundingForm(request.POST, prefix=f"r{entry.pk}")
    if run_action(request, form, lambda d: actions.reverse_funding(entry=entry, by=request.user, **d),
                  success=(f"台账行 #{entry.pk} 已冲销", f"Ledger line #{entry.pk} reversed")):
        return redirect("projects:funding", pk=pk)
    return funding(request, pk, status=400, bound_reversal=(entry.pk, form))


def funding_export(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    response = HttpResponse(ledger_xlsx(contract, selectors.statement_for(contract)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="funding-{contract.town.code}-{contract.pk}.xlsx"'
    return response


def project(request: AuthedRequest, pk: int, bound: dict | None = None, status: int = 200) -> HttpResponse:
    contract = _contract(request, pk)
    user, bound = request.user, bound or {}
    in_force = contract.state == Contract.State.IN_FORCE
    years, rows = selectors.progress_rows(contract)
    town_may = perms.can_report_progress(user, contract)
    return render(request, "projects/project.html", {
        "contract": contract, "years": years, "rows": rows, "milestones": selectors.milestones_by_year(contract),
        "acceptance": selectors.acceptance_verdict(contract), "handover": selectors.acceptance_handover(contract),
        "milestone_form": bound.get("milestone") or (
            MilestoneForm() if contract.is_open and perms.can_plan_milestones(user, contract) else None),
        "done_form": MilestoneDoneForm() if town_may and contract.is_open else None,
        "done_bound": bound.get("done"),
        "report_form": bound.get("report") or (ProgressReportForm(contract=contract) if town_may and in_force else None),
        "acceptance_form": bound.get("acceptance") or (
            AcceptanceApplicationForm() if in_force and perms.can_apply_for_acceptance(user, contract)
            and not contract.acceptance_applied_on else None),
    }, status=status)


@require_POST
def milestone_add(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    perms.can_plan_milestones.require(request.user, contract)
    form = MilestoneForm(request.POST)
    if run_action(request, form, lambda d: actions.add_milestone(contract=contract, by=request.user, **d),
                  success=("里程碑已添加", "Milestone added")):
        return redirect("projects:project", pk=pk)
    return project(request, pk, bound={"milestone": form}, status=400)


@require_POST
def milestone_done(request: AuthedRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, contract=contract)
    perms.can_report_progress.require(request.user, contract)
    form = MilestoneDoneForm(request.POST)
    if run_action(request, form, lambda d: actions.complete_milestone(milestone=milestone, by=request.user, **d),
                  success=("已标记完成", "Marked done")):
        return redirect("projects:project", pk=pk)
    return project(request, pk, bound={"done": {"form": form, "pk": milestone.pk}}, status=400)


@require_POST
def progress_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    perms.can_report_progress.require(request.user, contract)
    form = ProgressReportForm(request.POST, contract=contract)
    if run_action(request, form,
                  lambda d: actions.submit_progress_report(contract=contract, by=request.user, **form.action_kwargs()),
                  success=("年度进展报告已提交", "Progress report submitted")):
        return redirect("projects:project", pk=pk)
    return project(request, pk, bound={"report": form}, status=400)


@require_POST
def acceptance_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    perms.can_apply_for_acceptance.require(request.user, contract)
    form = AcceptanceApplicationForm(request.POST)
    if run_action(request, form, lambda d: actions.apply_for_acceptance(contract=contract, by=request.user, **d),
                  success=("验收申请已提交", "Acceptance applied for")):
        return redirect("projects:project", pk=pk)
    return project(request, pk, bound={"acceptance": form}, status=400)
