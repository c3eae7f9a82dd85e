"""Every state change of quarterly reporting. Keyword-only, verb-first, one transaction each,
an audit row each.

Values are checked by the core (``xiaozhen.reports``): ``read_report`` for workbooks and
``check_values`` for a mapping (the online form, API pushes) — the same rules either way.
A report that fails raises ``ReportRejected`` (an ActionError listing every problem by
sheet, row and column) and saves nothing; a draft saves what was typed, unchecked.

For the API: ``submit_report_values(*, town, programme, period, values, by, source, key=None)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

import audit
from accounts.models import User
from portal.errors import ActionError
from programmes.models import Programme
from towns.actions import record_indicator_values
from towns.models import Enrolment, IndicatorValue, Town
from xiaozhen.periods import Period
from xiaozhen.reports import (
    LedgerRow,
    ReportProblem,
    ReportUpload,
    check_values,
    normalise_period,
    read_report,
    workbook_cells,
)

from . import permissions as perms
from .bulletins import compose_bulletin
from .models import (
    Bulletin,
    LedgerProject,
    Reminder,
    Report,
    ReportingPeriod,
    ReportRevision,
    UploadedWorkbook,
)
from .selectors import expected_enrolments, previous_values

#: Largest workbook accepted (a county's towns with their ledgers fit in well under 1 MB).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: A before-due reminder goes out this many days before the due date.
REMIND_DAYS_BEFORE = 5
LEDGER_FIELDS = ("project_name", "project_type", "planned_investment", "completed_investment")
#: How a submission meets a report already submitted: the whole report again, or only what it gives.
SUBMIT_MODES = ("replace", "patch")


class ReportRejected(ActionError):
    """The report has problems; nothing was saved. ``problems`` are the core's ReportProblems."""

    def __init__(self, problems: Sequence[ReportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            f"报告有 {len(self.problems)} 个问题，未保存任何数据",
            f"the report has {len(self.problems)} problem(s); nothing was saved",
            field="values", details=[str(p) for p in self.problems],
        )


# --- periods -----------------------------------------------------------------------------


@transaction.atomic
def open_reporting_period(*, programme: Programme, period: str, by: User) -> ReportingPeriod:
    """Open a programme's period for reporting; due ``policy.reporting.deadline_days`` after it ends."""
    perms.can_manage_reporting.require(by, programme)
    policy = programme.policy
    try:
        period = normalise_period(period)
    except ValueError as exc:
        raise ActionError("期间应为年份 (2025) 或季度 (2025Q3)", "a period is a year (2025) or a quarter (2025Q3)",
                          field="period") from exc
    quarterly = policy.reporting.frequency == "quarter"
    if quarterly != (len(period) == 6):
        raise ActionError(
            f"本项目按{'季度' if quarterly else '年度'}报送 ({policy.reporting.clause})，期间应为"
            f"{'季度，如 2025Q3' if quarterly else '年份，如 2025'}",
            f"this programme reports by {policy.reporting.frequency} ({policy.reporting.clause}): "
            f"give a {'quarter such as 2025Q3' if quarterly else 'year such as 2025'}",
            field="period",
        )
    if ReportingPeriod.objects.filter(programme=programme, period=period).exists():
        raise ActionError(f"{period} 已开放", f"{period} is already open", field="period")
    ends_on = Period.parse(period).end
    reporting_period = ReportingPeriod.objects.create(
        programme=programme, period=period, starts_on=Period.parse(period).start, ends_on=ends_on,
        due_on=ends_on + dt.timedelta(days=policy.reporting.deadline_days), opened_by=by,
    )
    audit.record(actor=by, verb="open_reporting_period", obj=reporting_period, to_state="open",
                 data={"programme": programme.policy_id, "period": period, "due_on": reporting_period.due_on,
                       "deadline_days": policy.reporting.deadline_days, "clause": policy.reporting.clause})
    return reporting_period


@transaction.atomic
def close_reporting_period(*, reporting_period: ReportingPeriod, by: User) -> ReportingPeriod:
    perms.can_manage_reporting.require(by, reporting_period.programme)
    if reporting_period.status == ReportingPeriod.Status.CLOSED:
        raise ActionError("该期间已关闭", "this period is already closed", field="status")
    reporting_period.status = ReportingPeriod.Status.CLOSED
    reporting_period.save(update_fields=["status"])
    audit.record(actor=by, verb="close_reporting_period", obj=reporting_period, from_state="open", to_state="closed")
    return reporting_period


def _period(programme: Programme, period: str) -> ReportingPeriod:
    try:
        period = normalise_period(period)
    except ValueError as exc:
        raise ActionError("期间应为年份 (2025) 或季度 (2025Q3)", "a period is a year (2025) or a quarter (2025Q3)",
                          field="period") from exc
    found = ReportingPeriod.objects.select_related("programme").filter(programme=programme, period=period).first()
    if found is None:
        raise ActionError(f"{programme.policy_id} 的 {period} 尚未开放报送",
                          f"{period} of {programme.policy_id} is not open for reporting", field="period")
    return found


def _check_can_file(by: User, town: Town, reporting_period: ReportingPeriod) -> None:
    perms.can_file_report.require(by, town)
    if reporting_period.status != ReportingPeriod.Status.OPEN:
        raise ActionError(f"{reporting_period.period} 已关闭报送", f"{reporting_period.period} is closed", field="period")
    if not Enrolment.objects.filter(town=town, programme=reporting_period.programme, ended_on__isnull=True).exists():
        raise ActionError(f"{town} 不在 {reporting_period.programme} 名单中",
                          f"{town.code} is not enrolled in {reporting_period.programme.policy_id}", field="town")


def _report_for_update(town: Town, reporting_period: ReportingPeriod) -> Report:
    report, _ = Report.objects.get_or_create(town=town, reporting_period=reporting_period)
    return Report.objects.select_for_update().get(pk=report.pk)


# --- drafts ------------------------------------------------------------------------------


def _json_cell(value: Any) -> Any:
    """A value as JSON keeps it: text trimmed, numbers and yes/no as they are, anything else (a date) as text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _clean_raw(values: Mapping[str, Any]) -> dict[str, Any]:
    """What was typed, blanks dropped; text trimmed (a draft keeps invalid text as typed)."""
    out: dict[str, Any] = {}
    for ident, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        out[str(ident)] = _json_cell(value)
    return out


def _clean_ledger(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        kept = {f: row.get(f) for f in LEDGER_FIELDS}
        kept = {f: _json_cell(v) for f, v in kept.items()}
        if all(v is None or v == "" for v in kept.values()):
            continue
        out.append(kept)
    return out


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"indicator": ident, "old": old.get(ident), "new": new.get(ident)}
        for ident in sorted(set(old) | set(new))
        if old.get(ident) != new.get(ident)
    ]


def _ledger_diff(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    by_name_old = {str(r.get("project_name")): dict(r) for r in old}
    by_name_new = {str(r.get("project_name")): dict(r) for r in new}
    return [
        {"project": name, "old": by_name_old.get(name), "new": by_name_new.get(name)}
        for name in sorted(set(by_name_old) | set(by_name_new))
        if by_name_old.get(name) != by_name_new.get(name)
    ]


def _revise(report: Report, *, kind: str, source: str, by: User, values: dict[str, Any], ledger: list[dict[str, Any]],
            workbook: UploadedWorkbook | None = None, key: str = "", at: dt.datetime | None = None) -> ReportRevision:
    changes = _diff(report.values, values) + _ledger_diff(report.ledger, ledger)
    number = (report.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return ReportRevision.objects.create(
        report=report, number=number, kind=kind, source=source, by=by, changes=changes,
        values=values, ledger=ledger, workbook=workbook, key=key, at=at or timezone.now(),
    )


@transaction.atomic
def save_report_draft(
    *, town: Town, reporting_period: ReportingPeriod, values: Mapping[str, Any], by: User,
    ledger: Iterable[Mapping[str, Any]] = (), source: str = ReportRevision.Source.ONLINE,
) -> Report:
    """Keep what was typed without checking it (a draft may hold invalid values; submitting checks)."""
    _check_can_file(by, town, reporting_period)
    return _save_draft(town, reporting_period, values=values, ledger=ledger, by=by, source=source)


@transaction.atomic
def save_upload_as_draft(*, town: Town, reporting_period: ReportingPeriod, data: bytes, filename: str, by: User) -> Report:
    """Keep a filled template's cells for ``town`` as a draft, unchecked (e.g. after the checks refused it)."""
    _check_can_file(by, town, reporting_period)
    _read_bytes(data)
    cells = workbook_cells(data, reporting_period.programme.policy)
    if cells is None:
        raise ActionError("这不是本系统的报送模板，无法保存为草稿", "this is not a report template of this system",
                          field="workbook")
    values, ledger = cells
    rows = [{k: v for k, v in row.items() if k != "town_id"} for row in ledger if str(row.get("town_id")) == town.code]
    return _save_draft(town, reporting_period, values=values.get(town.code, {}), ledger=rows, by=by,
                       source=ReportRevision.Source.EXCEL, workbook=_keep_workbook(data, filename, by))


def _save_draft(town: Town, reporting_period: ReportingPeriod, *, values: Mapping[str, Any],
                ledger: Iterable[Mapping[str, Any]], by: User, source: str, workbook: UploadedWorkbook | None = None) -> Report:
    report = _report_for_update(town, reporting_period)
    if report.is_submitted:
        raise ActionError("该报告已报送：请修改后直接重新报送", "this report is already submitted: correct it and submit again",
                          field="values")
    raw, rows = _clean_raw(values), _clean_ledger(ledger)
    if report.revisions.exists() and raw == report.values and rows == report.ledger and workbook is None:
        return report  # the same draft saved again: nothing to keep
    revision = _revise(report, kind=ReportRevision.Kind.DRAFT, source=source, by=by, values=raw, ledger=rows,
                       workbook=workbook)
    report.values, report.ledger = raw, rows
    report.save(update_fields=["values", "ledger", "updated_at"])
    audit.record(actor=by, verb="save_report_draft", obj=report, to_state=report.status,
                 data={"period": reporting_period.period, "programme": reporting_period.programme.policy_id,
                       "revision": revision.number, "changes": revision.changes})
    return report


# --- submitting --------------------------------------------------------------------------


def _ledger_json(rows: Iterable[LedgerRow]) -> list[dict[str, Any]]:
    return [
        {"project_name": r.project_name, "project_type": r.project_type,
         "planned_investment": r.planned_investment, "completed_investment": r.completed_investment}
        for r in rows
    ]


def _store(
    report: Report, upload: ReportUpload, *, by: User, source: str, workbook: UploadedWorkbook | None = None, key: str = "",
    received_at: dt.datetime | None = None,
) -> Report:
    """Store one town's checked values and ledger from ``upload``; a revision and an audit row."""
    town, reporting_period = report.town, report.reporting_period
    programme = reporting_period.programme
    values = {v.indicator: v.value for v in upload.values if v.town_id == town.code}
    projects = [p for p in upload.ledger if p.town_id == town.code]
    ledger = _ledger_json(projects)
    if report.is_submitted and values == report.values and ledger == report.ledger:
        # The same report again (a double click, a retried request): nothing changes, no new revision.
        return report
    # A figure given before and blank now becomes unknown again, rather than keeping the old figure.
    cleared = {ident: None for ident in report.values if report.is_submitted and ident not in values}
    record_indicator_values(
        town=town, programme=programme, by=by, source=IndicatorValue.Source.QUARTERLY_REPORT,
        source_ref=f"report:{report.pk}", reason=f"季度报送 {reporting_period.period} / quarterly report",
        values=[{"indicator": i, "period": reporting_period.period, "basis": "actual", "value": v}
                for i, v in {**cleared, **values}.items()],
    )
    report.ledger_projects.all().delete()
    LedgerProject.objects.bulk_create([
        LedgerProject(town=town, reporting_period=reporting_period, report=report, name=p.project_name,
                      project_type=p.project_type, planned_investment=p.planned_investment,
                      completed_investment=p.completed_investment, counted=p.counted)
        for p in projects
    ])
    from_state = report.status
    now = received_at or timezone.now()
    if not report.is_submitted:  # on time or late is decided by the first submission; a correction keeps it
        late = timezone.localdate(now) > reporting_period.due_on
        report.status = Report.Status.LATE if late else Report.Status.SUBMITTED
    report.submitted_at, report.submitted_by = now, by  # the latest submission (the first is revision 1's time)
    revision = _revise(report, kind=ReportRevision.Kind.SUBMIT, source=source, by=by, values=values, ledger=ledger,
                       workbook=workbook, key=key, at=now)
    report.values, report.ledger = values, ledger
    report.save(update_fields=["status", "values", "ledger", "submitted_at", "submitted_by", "updated_at"])
    audit.record(
        actor=by, verb="submit_report", obj=report, from_state=from_state, to_state=report.status,
        data={"period": reporting_period.period, "programme": programme.policy_id, "source": source,
              "revision": revision.number, "changes": revision.changes, "key": key or None,
              "workbook": workbook.name if workbook else None,
              "counted_investment": upload.counted_investment.get(town.code)},
    )
    return report


@transaction.atomic
def submit_report_values(
    *,
    town: Town,
    programme: Programme,
    period: str,
    values: Mapping[str, Any],
    by: User,
    source: str = ReportRevision.Source.API,
    ledger: Iterable[Mapping[str, Any]] | None = None,
    key: str | None = None,
    received_at: dt.datetime | None = None,
    mode: str = "replace",
) -> Report:
    """Check and submit one town's values for a period (the online form and API pushes).

    ``mode="replace"`` (the online form): ``values`` and ``ledger`` are the whole report.
    ``mode="patch"`` (API pushes unless they say replace, docs/api.md §4): on a submitted report
    only the indicators given change (``None`` clears one) and ledger rows replace the rows of
    the same project name; the rest stays. The merged report is checked as a whole.

    ``values``: {indicator id: value as typed or sent}; ``ledger``: project rows with
    ``project_name``, ``project_type``, ``planned_investment``, ``completed_investment``.
    The same checks as an Excel upload (``xiaozhen.reports.check_values``); any problem
    raises ReportRejected and nothing is saved. With ``key``, a second call with the same
    key for the same town and period changes nothing and returns the same report.
    ``received_at`` (default now) is for loading reports received earlier (the demo, a
    migration from another system); it decides whether the report was late.
    """
    reporting_period = _period(programme, period)
    _check_can_file(by, town, reporting_period)
    if source not in ReportRevision.Source.values:
        raise ActionError(f"未知来源 {source!r}", f"unknown source {source!r}", field="source")
    key = (key or "").strip()
    if len(key) > 100:
        raise ActionError("幂等键最长 100 个字符", "the idempotency key is at most 100 characters", field="key")
    if mode not in SUBMIT_MODES:
        raise ActionError(f"未知的报送方式 {mode!r}：应为 patch 或 replace",
                          f"unknown mode {mode!r}: use patch or replace", field="mode")
    report = _report_for_update(town, reporting_period)
    if key and report.revisions.filter(key=key).exists():
        return report
    if mode == "patch" and report.is_submitted:
        values, ledger = _patched(report, values, ledger or [])
    rows = [{"town_id": town.code, **row} for row in _clean_ledger(ledger or [])]
    upload = check_values(
        {town.code: dict(values)}, programme.policy, reporting_period.period,
        previous_values(programme, reporting_period.period, [town]), ledger_rows=rows, towns={town.code},
    )
    if not upload.ok:
        raise ReportRejected(upload.problems)
    return _store(report, upload, by=by, source=source, key=key, received_at=received_at)


def _patched(report: Report, values: Mapping[str, Any], ledger: Iterable[Mapping[str, Any]]
             ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The submitted report with ``values`` laid over it (a blank or None clears that indicator) and
    ``ledger`` rows replacing the rows of the same project name (new names are added)."""
    merged = {**report.values, **values}
    kept = {ident: v for ident, v in merged.items() if not (v is None or (isinstance(v, str) and not v.strip()))}
    rows = {str(r.get("project_name")): dict(r) for r in report.ledger}
    for row in ledger:
        rows[str(row.get("project_name"))] = dict(row)
    return kept, list(rows.values())


def _keep_workbook(data: bytes, filename: str, by: User) -> UploadedWorkbook:
    return UploadedWorkbook.objects.create(
        name=(filename or "report.xlsx")[:200], content=data, sha256=hashlib.sha256(data).hexdigest(),
        size=len(data), uploaded_by=by,
    )


def _read_bytes(data: bytes) -> None:
    if not data:
        raise ActionError("请选择要上传的 Excel 文件", "choose the Excel file to upload", field="workbook")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ActionError("文件超过 10 MB", "the file is larger than 10 MB", field="workbook")


@transaction.atomic
def submit_report_upload(*, town: Town, reporting_period: ReportingPeriod, data: bytes, filename: str, by: User) -> Report:
    """Check and submit one town's report from its filled template; the workbook is kept with the revision."""
    _check_can_file(by, town, reporting_period)
    _read_bytes(data)
    programme = reporting_period.programme
    upload = read_report(
        data, programme.policy, reporting_period.period,
        previous_values(programme, reporting_period.period, [town]), towns={town.code: town.name_zh},
    )
    if not upload.ok:
        raise ReportRejected(upload.problems)
    if town.code not in upload.towns:
        raise ReportRejected([ReportProblem(None, None, None, None, f"工作簿中没有 {town.code} 的数据",
                                            f"the workbook holds no figures for {town.code}")])
    report = _report_for_update(town, reporting_period)
    return _store(report, upload, by=by, source=ReportRevision.Source.EXCEL, workbook=_keep_workbook(data, filename, by))


@transaction.atomic
def submit_bulk_upload(*, reporting_period: ReportingPeriod, data: bytes, filename: str, by: User) -> list[Report]:
    """A county office's workbook with many of its towns: all are stored, or (any problem) none."""
    programme = reporting_period.programme
    perms.can_bulk_upload.require(by)
    if reporting_period.status != ReportingPeriod.Status.OPEN:
        raise ActionError(f"{reporting_period.period} 已关闭报送", f"{reporting_period.period} is closed", field="period")
    _read_bytes(data)
    towns = {t.code: t for t in perms.filing_towns(by, programme)}
    upload = read_report(
        data, programme.policy, reporting_period.period,
        previous_values(programme, reporting_period.period, towns.values()),
        towns={code: t.name_zh for code, t in towns.items()},
    )
    if not upload.ok:
        raise ReportRejected(upload.problems)
    workbook = _keep_workbook(data, filename, by)
    reports = []
    for code in upload.towns:
        town = towns[code]
        perms.can_file_report.require(by, town)
        reports.append(_store(_report_for_update(town, reporting_period), upload, by=by,
                              source=ReportRevision.Source.BULK, workbook=workbook))
    return reports


# --- reminders ---------------------------------------------------------------------------


@transaction.atomic
def send_report_reminders(*, today: dt.date | None = None, days_before: int = REMIND_DAYS_BEFORE) -> int:
    """Remind every town that owes a report: once ``days_before`` the due date, once when overdue.

    Run daily by cron (``manage.py send_report_reminders``). Idempotent: one reminder per
    town, period and kind, however often it runs. Returns how many were created.
    """
    today = today or timezone.localdate()
    created = 0
    for reporting_period in ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN).select_related("programme"):
        if today > reporting_period.due_on:
            kind = Reminder.Kind.OVERDUE
        elif today >= reporting_period.due_on - dt.timedelta(days=days_before) and today > reporting_period.starts_on:
            kind = Reminder.Kind.BEFORE_DUE
        else:
            continue
        owing = set(expected_enrolments(reporting_period).filter(ended_on__isnull=True).values_list("town_id", flat=True))
        owing -= set(Report.objects.filter(reporting_period=reporting_period, status__in=Report.SUBMITTED_STATES)
                     .values_list("town_id", flat=True))
        owing -= set(Reminder.objects.filter(reporting_period=reporting_period, kind=kind)
                     .values_list("town_id", flat=True))
        if not owing:
            continue
        Reminder.objects.bulk_create(
            [Reminder(town_id=t, reporting_period=reporting_period, kind=kind) for t in sorted(owing)],
            ignore_conflicts=True,
        )
        created += len(owing)
        codes = sorted(Town.objects.filter(pk__in=owing).values_list("code", flat=True))
        audit.record(actor=None, verb="send_report_reminders", obj=reporting_period, to_state=kind,
                     data={"kind": kind, "towns": codes, "due_on": reporting_period.due_on, "today": today})
    return created


# --- bulletins ---------------------------------------------------------------------------


@transaction.atomic
def generate_bulletin(*, reporting_period: ReportingPeriod, by: User, note: str = "", today: dt.date | None = None) -> Bulletin:
    """Draft (or redraft) the period's bulletin once its deadline has passed: ranking, late, missing, cancellations."""
    programme = reporting_period.programme
    perms.can_manage_reporting.require(by, programme)
    today = today or timezone.localdate()
    if today <= reporting_period.due_on:
        raise ActionError(f"报送截止日 {reporting_period.due_on} 之后才能生成通报",
                          f"the bulletin can be drafted only after the due date {reporting_period.due_on}",
                          field="reporting_period")
    existing = Bulletin.objects.select_for_update().filter(reporting_period=reporting_period).first()
    if existing is not None and existing.status == Bulletin.Status.PUBLISHED:
        raise ActionError("该期通报已发布", "this bulletin is already published", field="reporting_period")
    content = compose_bulletin(reporting_period, today=today)
    bulletin = existing or Bulletin(reporting_period=reporting_period)
    bulletin.measure = content["measure"]["id"]
    bulletin.content = content
    bulletin.note = note.strip()
    bulletin.generated_at, bulletin.generated_by = timezone.now(), by
    bulletin.save()
    audit.record(actor=by, verb="generate_bulletin", obj=bulletin, to_state=bulletin.status,
                 data={"period": reporting_period.period, "programme": programme.policy_id,
                       "measure": bulletin.measure, "ranked": len(content["ranking"]),
                       "late": len(content["late"]), "missing": len(content["missing"]),
                       "cancellations": len(content["cancellations"])})
    return bulletin


@transaction.atomic
def publish_bulletin(*, bulletin: Bulletin, by: User) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().select_related("reporting_period__programme").get(pk=bulletin.pk)
    perms.can_manage_reporting.require(by, bulletin.reporting_period.programme)
    if bulletin.status == Bulletin.Status.PUBLISHED:
        raise ActionError("该期通报已发布", "this bulletin is already published", field="status")
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.published_at, bulletin.published_by = timezone.now(), by
    bulletin.save(update_fields=["status", "published_at", "published_by"])
    policy = bulletin.reporting_period.programme.policy
    scope = policy.reporting.bulletin_scope
    audit.record(actor=by, verb="publish_bulletin", obj=bulletin, from_state="draft", to_state="published",
                 data={"period": bulletin.reporting_period.period, "scope": scope.zh if scope else None})
    return bulletin


__all__ = [
    "ReportRejected", "close_reporting_period", "generate_bulletin", "open_reporting_period", "publish_bulletin",
    "save_report_draft", "save_upload_as_draft", "send_report_reminders", "submit_bulk_upload", "submit_report_upload",
    "submit_report_values",
]
