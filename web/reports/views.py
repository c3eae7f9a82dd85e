"""Quarterly report pages. Each view parses, authorises (reports.permissions), calls one
action or selector, and responds. A refusal raises NotAllowed → the bilingual 403 page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.bilingual import bi_text
from portal.errors import ActionError
from portal.forms_util import add_action_error, run_action
from towns.models import Town
from towns.permissions import visible_towns
from xiaozhen.reports import build_template, normalise_period

from . import actions
from . import permissions as perms
from .exports import bulletin_xlsx
from .forms import (
    BulletinForm,
    OpenPeriodForm,
    ReportValuesForm,
    UploadForm,
    ledger_formset,
    ledger_rows,
    prefilled,
    show_problems,
)
from .models import Bulletin, Report, ReportingPeriod, ReportRevision
from .selectors import draft_problems, index_context, period_overview, previous_values

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(programme: str, period: str) -> ReportingPeriod:
    try:
        period = normalise_period(period)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(
        ReportingPeriod.objects.select_related("programme__current_version", "programme__region"),
        programme__policy_id=programme, period=period,
    )


def index(request: AuthedRequest) -> HttpResponse:
    context = index_context(request.user, timezone.localdate())
    context["open_form"] = OpenPeriodForm(programmes=context["managed"]) if context["managed"] else None
    return render(request, "reports/index.html", context)


@require_POST
def open_period(request: AuthedRequest) -> HttpResponse:
    perms.can_open_periods.require(request.user)
    context = index_context(request.user, timezone.localdate())
    form = OpenPeriodForm(request.POST, programmes=context["managed"])
    if done := run_action(request, form,
                          lambda d: actions.open_reporting_period(programme=form.programmes[d["programme"]],
                                                                  period=d["period"], by=request.user),
                          success=lambda period: (f"已开放 {period.period}，截止 {period.due_on}",
                                                  f"{period.period} is open, due {period.due_on}")):
        return redirect("reports:period", programme=done.result.programme.policy_id, period=done.result.period)
    context["open_form"] = form
    return render(request, "reports/index.html", context, status=400)


def period_status(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    reporting_period = _period(programme, period)
    perms.can_follow_reporting.require(request.user)
    today = timezone.localdate()
    overview = period_overview(reporting_period, visible_towns(request.user), today)
    bulletin = Bulletin.objects.filter(reporting_period=reporting_period).first()
    return render(request, "reports/period.html", {
        "rp": reporting_period, "overview": overview, "today": today,
        "bulletin": bulletin if bulletin and perms.can_view_bulletin(request.user, bulletin) else None,
        "can_manage": perms.can_manage_reporting(request.user, reporting_period.programme),
        "can_bulk": perms.can_bulk_upload(request.user) and reporting_period.status == "open",
        "upload_form": UploadForm(), "bulletin_form": BulletinForm(), "deadline_passed": today > reporting_period.due_on,
    })


@require_POST
def close_period(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    reporting_period = _period(programme, period)
    run_action(request, None, lambda _: actions.close_reporting_period(reporting_period=reporting_period, by=request.user),
               success=(f"{reporting_period.period} 已关闭报送", f"{reporting_period.period} is closed"))
    return redirect("reports:period", programme=programme, period=reporting_period.period)


def template_download(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    """The Excel template: one town (``?town=``) or every town the user files for, pre-filled."""
    reporting_period = _period(programme, period)
    code = request.GET.get("town", "")
    perms.can_download_template.require(request.user, reporting_period.programme, code)
    towns = list(perms.template_towns(request.user, reporting_period.programme, code).order_by("code"))
    policy = reporting_period.programme.policy
    previous = previous_values(reporting_period.programme, reporting_period.period, towns)
    data = build_template(policy, reporting_period.period, [(t.code, t.name_zh) for t in towns], previous)
    name = f"{policy.id}-{reporting_period.period}" + (f"-{towns[0].code}" if len(towns) == 1 else "") + ".xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_page(request, reporting_period: ReportingPeriod, town: Town, *, form=None, formset=None,
                 upload_form=None, problems=(), status: int = 200) -> HttpResponse:
    report = Report.objects.filter(town=town, reporting_period=reporting_period).first()
    policy = reporting_period.programme.policy
    draft_checked = False
    if form is None:
        if report is not None and report.values:
            initial = report.values
        else:
            initial = prefilled(policy, previous_values(reporting_period.programme, reporting_period.period, [town])
                                .get(town.code, {}))
        form = ReportValuesForm(initial=initial, policy=policy)
        formset = ledger_formset(initial=report.ledger if report else [])
        if report is not None and report.status == Report.Status.DRAFT and (report.values or report.ledger):
            problems, draft_checked = draft_problems(report), True
    revisions = report.revisions.select_related("by", "workbook").order_by("-number") if report else []
    can_file = perms.can_file_report(request.user, town) and reporting_period.status == "open"
    return render(request, "reports/report.html", {
        "rp": reporting_period, "town": town, "report": report, "form": form, "formset": formset,
        "upload_form": upload_form or UploadForm(), "problems": problems, "revisions": revisions,
        "draft_checked": draft_checked,
        "can_file": can_file, "today": timezone.localdate(),
        "is_late": timezone.localdate() > reporting_period.due_on and not (report and report.is_submitted),
    }, status=status)


def _rejected_workbook(upload_form: UploadForm, problems: list) -> Callable[[ActionError], None]:
    """How a refused workbook is shown: its problems listed (file, sheet, row, column), the refusal on the file field."""

    def show(exc: ActionError) -> None:
        if isinstance(exc, actions.ReportRejected):
            problems.extend(exc.problems)
            upload_form.add_error("workbook", bi_text(exc.zh, exc.en))
        else:
            add_action_error(upload_form, exc)

    return show


def _town(request, code: str) -> Town:
    town = get_object_or_404(Town.objects.select_related("region"), code=code)
    perms.can_view_town_reports.require(request.user, town)
    return town


def report_detail(request: AuthedRequest, programme: str, period: str, code: str) -> HttpResponse:
    reporting_period, town = _period(programme, period), _town(request, code)
    if request.method != "POST":
        return _report_page(request, reporting_period, town)
    policy = reporting_period.programme.policy
    form = ReportValuesForm(request.POST, policy=policy)
    formset = ledger_formset(request.POST)
    problems: list = []
    draft = request.POST.get("intent") == "draft"

    def save(_: dict) -> Report:
        if draft:
            return actions.save_report_draft(town=town, reporting_period=reporting_period, values=form.values(),
                                             ledger=ledger_rows(formset), by=request.user)
        return actions.submit_report_values(town=town, programme=reporting_period.programme,
                                            period=reporting_period.period, values=form.values(),
                                            ledger=ledger_rows(formset), by=request.user, source="online")

    def refused(exc: ActionError) -> None:
        if isinstance(exc, actions.ReportRejected):
            problems.extend(show_problems(exc.problems, form, formset))
            form.add_error(None, bi_text(exc.zh, exc.en))
        else:
            add_action_error(form, exc)

    if run_action(request, form, save, also_valid=[formset], on_error=refused,
                  success=("草稿已保存（尚未报送）", "Draft saved (not yet submitted)") if draft
                  else ("报告已报送", "Report submitted")):
        return redirect("reports:report", programme=programme, period=reporting_period.period, code=code)
    return _report_page(request, reporting_period, town, form=form, formset=formset, problems=problems, status=400)


@require_POST
def report_upload(request: AuthedRequest, programme: str, period: str, code: str) -> HttpResponse:
    reporting_period, town = _period(programme, period), _town(request, code)
    upload_form = UploadForm(request.POST, request.FILES)
    problems: list = []
    draft = request.POST.get("intent") == "draft"

    def save(d: dict) -> Report:
        workbook = d["workbook"]
        act = actions.save_upload_as_draft if draft else actions.submit_report_upload
        return act(town=town, reporting_period=reporting_period, data=workbook.read(), filename=workbook.name,
                   by=request.user)

    if run_action(request, upload_form, save, on_error=_rejected_workbook(upload_form, problems),
                  success=("已将工作簿保存为草稿（尚未报送）", "Workbook kept as a draft (not yet submitted)") if draft
                  else ("Excel 报告已报送", "Excel report submitted")):
        return redirect("reports:report", programme=programme, period=reporting_period.period, code=code)
    return _report_page(request, reporting_period, town, upload_form=upload_form, problems=problems, status=400)


@require_POST
def bulk_upload(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    reporting_period = _period(programme, period)
    perms.can_bulk_upload.require(request.user)
    upload_form = UploadForm(request.POST, request.FILES)
    problems: list = []
    if run_action(request, upload_form,
                  lambda d: actions.submit_bulk_upload(reporting_period=reporting_period, data=d["workbook"].read(),
                                                       filename=d["workbook"].name, by=request.user),
                  on_error=_rejected_workbook(upload_form, problems),
                  success=lambda reports: (f"已报送 {len(reports)} 个小镇的报告", f"{len(reports)} town report(s) submitted")):
        return redirect("reports:period", programme=programme, period=reporting_period.period)
    today = timezone.localdate()
    return render(request, "reports/period.html", {
        "rp": reporting_period, "overview": period_overview(reporting_period, visible_towns(request.user), today),
        "today": today, "can_bulk": True, "upload_form": upload_form, "problems": problems,
        "can_manage": perms.can_manage_reporting(request.user, reporting_period.programme),
        "bulletin_form": BulletinForm(), "deadline_passed": today > reporting_period.due_on,
    }, status=400)


def revision_workbook(request: AuthedRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(ReportRevision.objects.select_related("report__town__region", "workbook"), pk=pk)
    perms.can_view_report.require(request.user, revision.report)
    if revision.workbook is None:
        raise Http404
    response = HttpResponse(bytes(revision.workbook.content), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{revision.workbook.name}"'
    return response


def bulletin_detail(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    reporting_period = _period(programme, period)
    bulletin = get_object_or_404(Bulletin.objects.select_related("generated_by", "published_by"),
                                 reporting_period=reporting_period)
    perms.can_view_bulletin.require(request.user, bulletin)
    return render(request, "reports/bulletin.html", {
        "rp": reporting_period, "bulletin": bulletin, "c": bulletin.content,
        "can_manage": perms.can_manage_reporting(request.user, reporting_period.programme),
        "can_follow": perms.can_follow_reporting(request.user),
        "bulletin_form": BulletinForm(initial={"note": bulletin.note}),
    })


@require_POST
def bulletin_generate(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    reporting_period = _period(programme, period)
    form = BulletinForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if run_action(request, None,
                  lambda _: actions.generate_bulletin(reporting_period=reporting_period, by=request.user, note=note),
                  success=("通报已生成，请审阅后发布", "Bulletin drafted: review it, then publish")):
        return redirect("reports:bulletin", programme=programme, period=reporting_period.period)
    return redirect("reports:period", programme=programme, period=reporting_period.period)


@require_POST
def bulletin_publish(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    reporting_period = _period(programme, period)
    bulletin = get_object_or_404(Bulletin, reporting_period=reporting_period)
    run_action(request, None, lambda _: actions.publish_bulletin(bulletin=bulletin, by=request.user),
               success=("通报已发布", "Bulletin published"))
    return redirect("reports:bulletin", programme=programme, period=reporting_period.period)


def bulletin_export(request: AuthedRequest, programme: str, period: str) -> HttpResponse:
    reporting_period = _period(programme, period)
    bulletin = get_object_or_404(Bulletin, reporting_period=reporting_period)
    perms.can_view_bulletin.require(request.user, bulletin)
    response = HttpResponse(bulletin_xlsx(bulletin), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bulletin-{programme}-{reporting_period.period}.xlsx"'
    return response
