"""Town, Enrolment, TierChange, Enterprise, IndicatorValue and ExpertAssignment.

* Town — a town or zone (小镇 / 园区) in a county (or a city without counties).
* Enrolment — a town in one programme: its tier (a tier id of the programme's policy
  file: planning, cultivation, creation, named …), since when, the programme version
  in force when it was enrolled, and its category in that programme's own list (blank:
  the town's category).
* TierChange — every tier decision (promote, demote, exit, name …), with the programme
  version, the policy transition and clause that allowed it, reason and decision reference.
* Enterprise — an enterprise in a town, by 统一社会信用代码 (GB 32100-2015).
* IndicatorValue — the time series every later part reads and writes: one number (or text)
  per town × programme × indicator × period × basis (plan / actual).
* ExpertAssignment — an expert assigned to a town (what an expert may see).

Rows change only through towns/actions.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from portal.bilingual import bi_lazy

PERIOD_RE = r"^\d{4}(Q[1-4])?$"


class Town(models.Model):
    code = models.SlugField(
        bi_lazy("小镇编号", "Town code"),
        max_length=32,
        unique=True,
        help_text=bi_lazy("区划代码-序号，如 320612-001", "region code and number, e.g. 320612-001"),
    )
    name_zh = models.CharField(bi_lazy("中文名称", "Chinese name"), max_length=100)
    name_en = models.CharField(bi_lazy("英文名称", "English name"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="towns", verbose_name=bi_lazy("所在县(区)", "County")
    )
    category = models.CharField(
        bi_lazy("产业类别", "Category"),
        max_length=64,
        blank=True,
        help_text=bi_lazy("政策文件中的类别编号", "a category id of the programme file"),
    )
    sub_sector = models.CharField(bi_lazy("细分产业", "Sub-sector"), max_length=64, blank=True)
    managing_body = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_towns",
        verbose_name=bi_lazy("建设主体", "Managing body"),
    )
    contact_name = models.CharField(bi_lazy("联系人", "Contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(bi_lazy("联系电话", "Contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(bi_lazy("电子邮箱", "Contact e-mail"), blank=True)
    boundary_geojson = models.TextField(
        bi_lazy("边界(GeoJSON)", "Boundary (GeoJSON)"),
        blank=True,
        help_text=bi_lazy(
            "CGCS2000 经纬度的 Polygon 或 MultiPolygon", "a Polygon or MultiPolygon in CGCS2000 longitude/latitude"
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = bi_lazy("小镇", "Town")
        verbose_name_plural = bi_lazy("小镇", "Towns")

    def __str__(self) -> str:
        return self.name_zh

    @property
    def audit_region(self):
        return self.region

    @property
    def has_boundary(self) -> bool:
        return bool(self.boundary_geojson)


class Enrolment(models.Model):
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="enrolments")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="enrolments")
    programme_version = models.ForeignKey(
        "programmes.ProgrammeVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=bi_lazy("入选时适用的政策版本", "the programme version in force when enrolled"),
    )
    category = models.CharField(
        bi_lazy("项目中的产业类别", "Category in this programme"), max_length=64, blank=True,
        help_text=bi_lazy("空则沿用小镇的类别；各项目的类别表不同", "blank: the town's own; each programme has its own list"),
    )
    sub_sector = models.CharField(bi_lazy("项目中的细分产业", "Sub-sector in this programme"), max_length=64, blank=True)
    initial_tier = models.CharField(bi_lazy("入选层级", "Entry tier"), max_length=32)
    tier = models.CharField(bi_lazy("当前层级", "Tier"), max_length=32, db_index=True)
    started_on = models.DateField(bi_lazy("入选日期", "Started on"))
    tier_since = models.DateField(bi_lazy("本层级起始日期", "In this tier since"))
    ended_on = models.DateField(
        bi_lazy("退出日期", "Ended on"), null=True, blank=True,
        help_text=bi_lazy("进入终止层级(退出、取消)之日", "the day it reached a terminal tier (exited, cancelled)"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "town"]
        verbose_name = bi_lazy("入选记录", "Enrolment")
        verbose_name_plural = bi_lazy("入选记录", "Enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["town", "programme"],
                condition=Q(ended_on__isnull=True),
                name="enrolment_one_open_per_town_and_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.town} · {self.programme} · {_zh(tier_label(self.programme, self.tier))}"

    @property
    def audit_region(self):
        return self.town.region

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def effective_category(self) -> str:
        return self.category or self.town.category

    @property
    def effective_sub_sector(self) -> str:
        return self.sub_sector or self.town.sub_sector

    @property
    def tier_label(self):
        """The tier's label (a policy Text) in the programme's current file."""
        return tier_label(self.programme, self.tier)

    def tier_at(self, day: dt.date) -> str | None:
        """The tier held on ``day`` (None before enrolment). Reads ``tier_changes`` (prefetch it)."""
        if day < self.started_on:
            return None
        tier = self.initial_tier
        for change in sorted(self.tier_changes.all(), key=lambda c: (c.effective_on, c.pk)):
            if change.effective_on <= day:
                tier = change.to_tier
        return tier


def _zh(label) -> str:
    """A tier label as one line of text: the policy Text's Chinese, or the id when the file has no such tier."""
    return getattr(label, "zh", None) or str(label)


def tier_label(programme, tier: str):
    try:
        return programme.policy.tier(tier).label
    except (KeyError, LookupError):
        return tier


class TierChange(models.Model):
    """One tier decision. Written by towns.actions.change_tier only; never edited."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="tier_changes")
    from_tier = models.CharField(bi_lazy("原层级", "From tier"), max_length=32)
    to_tier = models.CharField(bi_lazy("新层级", "To tier"), max_length=32)
    effective_on = models.DateField(bi_lazy("生效日期", "Effective on"))
    decided_at = models.DateTimeField(bi_lazy("决定时间", "Decided at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    programme_version = models.ForeignKey(
        "programmes.ProgrammeVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=bi_lazy("作出决定所依据的政策版本", "the programme version the decision applied"),
    )
    transition_id = models.CharField(bi_lazy("政策规则", "Policy transition"), max_length=64)
    clause = models.CharField(bi_lazy("条款", "Clause"), max_length=64, blank=True)
    reason = models.TextField(bi_lazy("理由", "Reason"))
    decision_ref = models.CharField(bi_lazy("决定文号", "Decision reference"), max_length=128)

    class Meta:
        ordering = ["enrolment", "effective_on", "id"]
        verbose_name = bi_lazy("层级变更", "Tier change")
        verbose_name_plural = bi_lazy("层级变更", "Tier changes")

    def __str__(self) -> str:
        programme = self.enrolment.programme
        return (f"{self.enrolment.town}: {_zh(tier_label(programme, self.from_tier))} → "
                f"{_zh(tier_label(programme, self.to_tier))} ({self.effective_on})")


class ExtensionApproval(models.Model):
    """A dated approval of one town's extension (002 §三(四) 经批准可适当延长): the engine reads its end date
    instead of the programme-wide ``extension_years``. Written by towns.actions.record_extension_approval only;
    a later approval supersedes an earlier one, none is edited."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="extension_approvals")
    approved_on = models.DateField(bi_lazy("批准日期", "Approved on"))
    approved_until = models.DateField(bi_lazy("延期至", "Extended until"))
    decision_ref = models.CharField(bi_lazy("批准文号", "Approval reference"), max_length=128)
    reason = models.TextField(bi_lazy("理由", "Reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(bi_lazy("记录时间", "Recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "approved_on", "id"]
        verbose_name = bi_lazy("延期批准", "Extension approval")
        verbose_name_plural = bi_lazy("延期批准", "Extension approvals")

    def __str__(self) -> str:
        return f"{self.enrolment.town}: → {self.approved_until} ({self.decision_ref})"


class Enterprise(models.Model):
    credit_code = models.CharField(
        bi_lazy("统一社会信用代码", "Unified social credit code"), max_length=18, unique=True
    )
    name_zh = models.CharField(bi_lazy("企业名称", "Enterprise name"), max_length=200)
    name_en = models.CharField(bi_lazy("英文名称", "English name"), max_length=200, blank=True)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="enterprises")
    industry = models.CharField(bi_lazy("所属行业", "Industry"), max_length=100, blank=True)
    is_above_scale = models.BooleanField(bi_lazy("规模以上", "Above designated size"), default=False)
    is_high_tech = models.BooleanField(bi_lazy("高新技术企业", "High-tech enterprise"), default=False)
    has_rd_institution = models.BooleanField(bi_lazy("设有研发机构", "Has an R&D institution"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["town", "name_zh"]
        verbose_name = bi_lazy("企业", "Enterprise")
        verbose_name_plural = bi_lazy("企业", "Enterprises")

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.credit_code})"

    @property
    def audit_region(self):
        return self.town.region


class IndicatorValue(models.Model):
    class Basis(models.TextChoices):
        PLAN = "plan", bi_lazy("计划", "Plan")  # what the town planned (application stage)
        ACTUAL = "actual", bi_lazy("实际", "Actual")  # what was done (reports, assessments)

    class Source(models.TextChoices):
        APPLICATION = "application", bi_lazy("申报材料", "Application")
        QUARTERLY_REPORT = "quarterly_report", bi_lazy("季度报告", "Quarterly report")
        ANNUAL_ASSESSMENT = "annual_assessment", bi_lazy("年度考核", "Annual assessment")
        ACCEPTANCE = "acceptance", bi_lazy("验收", "Acceptance")
        IMPORT = "import", bi_lazy("批量导入", "Import")
        MANUAL = "manual", bi_lazy("人工录入", "Entered by hand")
        DEMO = "demo", bi_lazy("演示数据", "Demo data")
        SPATIAL = "spatial", bi_lazy("由边界计算", "Computed from the boundary")  # boundaries app

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="indicator_values")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    indicator_id = models.CharField(bi_lazy("指标", "Indicator"), max_length=64)
    period = models.CharField(
        bi_lazy("期间", "Period"),
        max_length=6,
        validators=[RegexValidator(PERIOD_RE, bi_lazy("年份(2024)或季度(2024Q3)", "a year (2024) or quarter (2024Q3)"))],
    )
    basis = models.CharField(bi_lazy("口径", "Basis"), max_length=8, choices=Basis.choices)
    number = models.FloatField(
        bi_lazy("数值", "Number"), null=True, blank=True,
        help_text=bi_lazy("是/否存为 1/0；占比存为0–1的小数", "yes/no stored as 1/0; shares as fractions 0–1"),
    )
    text = models.TextField(bi_lazy("文本值", "Text value"), blank=True)
    source = models.CharField(bi_lazy("来源", "Source"), max_length=24, choices=Source.choices)
    source_ref = models.CharField(bi_lazy("来源编号", "Source reference"), max_length=128, blank=True)
    recorded_at = models.DateTimeField(bi_lazy("录入时间", "Recorded at"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["town", "programme", "indicator_id", "period", "basis"]
        verbose_name = bi_lazy("指标值", "Indicator value")
        verbose_name_plural = bi_lazy("指标值", "Indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["town", "programme", "indicator_id", "period", "basis"],
                name="indicator_value_one_per_period_and_basis",
            )
        ]
        indexes = [models.Index(fields=["programme", "indicator_id", "period"], name="indicator_series_idx")]

    def __str__(self) -> str:
        return f"{self.town_id} {self.indicator_id} {self.period} {self.basis}={self.number if self.number is not None else self.text}"

    @property
    def audit_region(self):
        return self.town.region

    def typed_value(self, indicator_type: str):
        """The value as the engine reads it: bool, str or float (None when blank)."""
        if indicator_type == "text":
            return self.text or None
        if self.number is None:
            return None
        if indicator_type == "boolean":
            return self.number != 0
        return self.number


class ExpertAssignment(models.Model):
    class Purpose(models.TextChoices):
        APPLICATION_REVIEW = "application_review", bi_lazy("申报评审", "Application review")
        ANNUAL_ASSESSMENT = "annual_assessment", bi_lazy("年度考核", "Annual assessment")
        ACCEPTANCE = "acceptance", bi_lazy("验收评估", "Acceptance")
        FIELD_VISIT = "field_visit", bi_lazy("现场核查", "Field visit")

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="town_assignments")
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="expert_assignments")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(bi_lazy("任务", "Purpose"), max_length=24, choices=Purpose.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    ends_on = models.DateField(bi_lazy("截止日期", "Ends on"), null=True, blank=True)
    active = models.BooleanField(bi_lazy("有效", "Active"), default=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = bi_lazy("专家指派", "Expert assignment")
        verbose_name_plural = bi_lazy("专家指派", "Expert assignments")

    def __str__(self) -> str:
        return f"{self.expert} → {self.town} ({self.purpose})"

    @property
    def audit_region(self):
        return self.town.region
