"""Quarterly reporting (季度报送): periods, reports and their revisions, the project ledger,
reminders and bulletins.

* ReportingPeriod — one programme's quarter (or year) to report on; due ``deadline_days``
  after the period ends (``policy.reporting``).
* Report — one town's report for one period: draft, submitted or submitted late.
* ReportRevision — every save of a report, never changed: who, when, how (online, Excel,
  county bulk upload, API), which values changed from what to what, and the workbook.
* UploadedWorkbook — an uploaded file, kept as it came (one per upload, shared by the
  revisions a county bulk upload makes).
* LedgerProject — a key project of a town's ledger (项目台账) for one period.
* Reminder — an in-app reminder to a town body: the report is due soon, or overdue.
* Bulletin — the quarterly bulletin (通报): progress ranking, late and missing reports,
  cancellations; drafted, reviewed and published.

Rows change only through reports/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.bilingual import bi_lazy
from xiaozhen.reports import PROJECT_TYPES


class ReportingPeriod(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", bi_lazy("开放报送", "Open")  # towns may file and revise
        CLOSED = "closed", bi_lazy("已关闭", "Closed")  # no more filing; the bulletin is final

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="reporting_periods")
    period = models.CharField(bi_lazy("报送期间", "Period"), max_length=6)
    starts_on = models.DateField(bi_lazy("期间开始", "Period starts"))
    ends_on = models.DateField(bi_lazy("期间结束", "Period ends"))
    due_on = models.DateField(bi_lazy("报送截止", "Due on"))
    status = models.CharField(bi_lazy("状态", "Status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-ends_on"]
        verbose_name = bi_lazy("报送期间", "Reporting period")
        verbose_name_plural = bi_lazy("报送期间", "Reporting periods")
        constraints = [models.UniqueConstraint(fields=["programme", "period"], name="reporting_period_unique")]

    def __str__(self) -> str:
        return f"{self.programme.policy_id} {self.period}"

    @property
    def audit_region(self):
        return self.programme.region


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", bi_lazy("草稿", "Draft")  # saved, not checked; may hold invalid values
        SUBMITTED = "submitted", bi_lazy("已报送", "Submitted")  # checked and stored, on time
        LATE = "late", bi_lazy("逾期报送", "Submitted late")  # checked and stored after the due date

    SUBMITTED_STATES = (Status.SUBMITTED, Status.LATE)

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="reports")
    reporting_period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(bi_lazy("状态", "Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    #: the values as last saved ({indicator id: value as typed}); submitted reports hold the checked ones
    values = models.JSONField(bi_lazy("填报数据", "Values"), default=dict, blank=True)
    #: the ledger as last saved: a list of {project_name, project_type, planned_investment, completed_investment}
    ledger = models.JSONField(bi_lazy("项目台账", "Ledger"), default=list, blank=True)
    submitted_at = models.DateTimeField(bi_lazy("报送时间", "Submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reporting_period", "town"]
        verbose_name = bi_lazy("季度报告", "Quarterly report")
        verbose_name_plural = bi_lazy("季度报告", "Quarterly reports")
        constraints = [models.UniqueConstraint(fields=["town", "reporting_period"], name="report_one_per_town_period")]

    def __str__(self) -> str:
        return f"{self.town} · {self.reporting_period}"

    @property
    def audit_region(self):
        return self.town.region

    @property
    def programme(self):
        return self.reporting_period.programme

    @property
    def is_submitted(self) -> bool:
        return self.status in self.SUBMITTED_STATES


class UploadedWorkbook(models.Model):
    """An uploaded report workbook, kept byte for byte (a few hundred kB at most)."""

    name = models.CharField(bi_lazy("文件名", "File name"), max_length=200)
    content = models.BinaryField(bi_lazy("文件内容", "Content"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = bi_lazy("上传的工作簿", "Uploaded workbook")
        verbose_name_plural = bi_lazy("上传的工作簿", "Uploaded workbooks")

    def __str__(self) -> str:
        return self.name


class ReportRevision(models.Model):
    """One save of a report. Never edited or deleted."""

    class Source(models.TextChoices):
        ONLINE = "online", bi_lazy("在线填报", "Online form")
        EXCEL = "excel", bi_lazy("Excel 上传", "Excel upload")
        BULK = "bulk", bi_lazy("县(区)批量上传", "County bulk upload")
        API = "api", bi_lazy("接口推送", "API push")

    class Kind(models.TextChoices):
        DRAFT = "draft", bi_lazy("保存草稿", "Draft saved")
        SUBMIT = "submit", bi_lazy("报送", "Submitted")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(bi_lazy("修订号", "Revision"))
    kind = models.CharField(bi_lazy("类型", "Kind"), max_length=8, choices=Kind.choices)
    source = models.CharField(bi_lazy("方式", "Source"), max_length=8, choices=Source.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(bi_lazy("时间", "At"), default=timezone.now)
    #: [{"indicator", "old", "new"}] — ledger changes as {"project", "old", "new"}
    changes = models.JSONField(bi_lazy("变更", "Changes"), default=list)
    values = models.JSONField(bi_lazy("数据快照", "Values"), default=dict)
    ledger = models.JSONField(bi_lazy("台账快照", "Ledger"), default=list)
    workbook = models.ForeignKey(UploadedWorkbook, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="revisions")
    #: an API client's idempotency key: a second push with the same key changes nothing
    key = models.CharField(bi_lazy("幂等键", "Idempotency key"), max_length=100, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = bi_lazy("报告修订", "Report revision")
        verbose_name_plural = bi_lazy("报告修订", "Report revisions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_revision_number_unique"),
            models.UniqueConstraint(fields=["report", "key"], condition=~Q(key=""), name="report_revision_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} r{self.number}"

    @property
    def audit_region(self):
        return self.report.town.region


#: The ledger's project types (xiaozhen.reports.PROJECT_TYPES), as field choices.
PROJECT_TYPE_CHOICES = [(key, bi_lazy(zh, en)) for key, (zh, en) in PROJECT_TYPES.items()]


class LedgerProject(models.Model):
    """A key project in a town's ledger for one period (项目台账)."""

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="ledger_projects")
    reporting_period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="ledger_projects")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="ledger_projects")
    name = models.CharField(bi_lazy("项目名称", "Project name"), max_length=200)
    project_type = models.CharField(bi_lazy("项目类型", "Project type"), max_length=24, choices=PROJECT_TYPE_CHOICES)
    planned_investment = models.FloatField(bi_lazy("计划总投资", "Planned investment"), null=True, blank=True)
    completed_investment = models.FloatField(bi_lazy("本期完成投资", "Completed this period"))
    #: False for the types the programme leaves out of the investment that counts
    counted = models.BooleanField(bi_lazy("计入考核", "Counts"))

    class Meta:
        ordering = ["town", "reporting_period", "name"]
        verbose_name = bi_lazy("台账项目", "Ledger project")
        verbose_name_plural = bi_lazy("台账项目", "Ledger projects")
        constraints = [
            models.UniqueConstraint(fields=["town", "reporting_period", "name"], name="ledger_project_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region(self):
        return self.town.region


class Reminder(models.Model):
    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", bi_lazy("即将到期", "Due soon")
        OVERDUE = "overdue", bi_lazy("已逾期", "Overdue")

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="report_reminders")
    reporting_period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(bi_lazy("类型", "Kind"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = bi_lazy("报送提醒", "Report reminder")
        verbose_name_plural = bi_lazy("报送提醒", "Report reminders")
        constraints = [
            models.UniqueConstraint(fields=["town", "reporting_period", "kind"], name="reminder_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.town} · {self.reporting_period} · {self.kind}"

    @property
    def audit_region(self):
        return self.town.region


class Bulletin(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", bi_lazy("待发布", "Draft")  # generated, under review by the deciding office
        PUBLISHED = "published", bi_lazy("已发布", "Published")  # visible within the programme's scope

    reporting_period = models.OneToOneField(ReportingPeriod, on_delete=models.PROTECT, related_name="bulletin")
    status = models.CharField(bi_lazy("状态", "Status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    measure = models.CharField(bi_lazy("排名依据", "Ranking measure"), max_length=32)
    #: the ranking, late, missing and cancellations as generated (see reports.bulletins)
    content = models.JSONField(bi_lazy("内容", "Content"), default=dict)
    note = models.TextField(bi_lazy("说明", "Note"), blank=True)
    generated_at = models.DateTimeField(bi_lazy("生成时间", "Generated at"))
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(bi_lazy("发布时间", "Published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = bi_lazy("季度通报", "Bulletin")
        verbose_name_plural = bi_lazy("季度通报", "Bulletins")

    def __str__(self) -> str:
        return f"{self.reporting_period} bulletin"

    @property
    def audit_region(self):
        return self.reporting_period.programme.region
