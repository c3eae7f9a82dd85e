"""Enterprises by year (企业年度数据), their imports, and per-mu evaluation runs (亩均效益综合评价).

An enterprise is its 统一社会信用代码; each year it has one row (``EnterpriseYear``) saying
which town it was in that year and its figures, so attributes are dated by year and a firm
that moves town keeps its history. ``PerMuRun`` is one evaluation of one county's firms for
one year under one method file; its ``PerMuResult`` rows are snapshots (the class a firm
was given), put on public notice (公示) with objections and then published.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2, "null": True, "blank": True}


class EnterpriseImport(models.Model):
    """One uploaded file (or API push) of enterprise figures, written whole or not at all."""

    county = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=bi_lazy("县(区)", "County"))
    file_name = models.CharField(bi_lazy("文件名", "File"), max_length=200)
    sha256 = models.CharField(bi_lazy("文件摘要", "File SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(bi_lazy("行数", "Rows"))
    years = models.CharField(bi_lazy("年份", "Years"), max_length=100)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(bi_lazy("导入时间", "Imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = bi_lazy("企业数据导入", "Enterprise import")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"

    @property
    def audit_region(self) -> Any:
        return self.county


class EnterpriseYear(models.Model):
    """One enterprise in one year: its town and its figures (money in 万元)."""

    credit_code = models.CharField(bi_lazy("统一社会信用代码", "Credit code"), max_length=18, db_index=True)
    name = models.CharField(bi_lazy("企业名称", "Enterprise"), max_length=200, blank=True)
    year = models.PositiveIntegerField(bi_lazy("年份", "Year"))
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="enterprise_years",
                             verbose_name=bi_lazy("所在小镇", "Town"))
    industry_code = models.CharField(bi_lazy("行业代码(GB/T 4754)", "Industry (GB/T 4754)"), max_length=8, blank=True)
    above_scale = models.BooleanField(bi_lazy("规模以上", "Above scale"))
    founded_year = models.PositiveIntegerField(bi_lazy("投产年份", "In production since"), null=True, blank=True)
    in_construction = models.BooleanField(bi_lazy("在建", "Under construction"), default=False)
    high_tech = models.BooleanField(bi_lazy("高新技术企业", "High-tech enterprise"), null=True, blank=True)
    rd_institution = models.BooleanField(bi_lazy("有研发机构", "Has an R&D institution"), null=True, blank=True)
    land_owned_mu = models.DecimalField(bi_lazy("自有用地(亩)", "Owned land (mu)"), max_digits=12, decimal_places=2)
    land_leased_mu = models.DecimalField(bi_lazy("租赁用地(亩)", "Leased land (mu)"), max_digits=12, decimal_places=2,
                                         default=0)
    tax = models.DecimalField(bi_lazy("税收(万元)", "Tax (10k yuan)"), **MONEY)
    value_added = models.DecimalField(bi_lazy("增加值(万元)", "Value added (10k yuan)"), **MONEY)
    revenue = models.DecimalField(bi_lazy("主营业务收入(万元)", "Revenue (10k yuan)"), **MONEY)
    output = models.DecimalField(bi_lazy("工业总产值(万元)", "Output (10k yuan)"), **MONEY)
    energy = models.DecimalField(bi_lazy("综合能耗(吨标准煤)", "Energy (tce)"), **MONEY)
    emissions = models.DecimalField(bi_lazy("排放当量(吨)", "Emissions (t)"), max_digits=16, decimal_places=3,
                                    null=True, blank=True)
    employees = models.PositiveIntegerField(bi_lazy("职工人数", "Employees"), null=True, blank=True)
    rd_spend = models.DecimalField(bi_lazy("研发经费(万元)", "R&D spending (10k yuan)"), **MONEY)
    source = models.ForeignKey(EnterpriseImport, on_delete=models.PROTECT, related_name="enterprise_years")

    class Meta:
        ordering = ["year", "credit_code"]
        verbose_name = bi_lazy("企业年度数据", "Enterprise year")
        constraints = [
            # 一家企业一年只属于一个镇 / a firm is in one town in a year.
            models.UniqueConstraint(fields=["credit_code", "year"], name="enterprise_one_town_a_year"),
        ]
        indexes = [models.Index(fields=["town", "year"], name="enterprise_town_year_idx")]

    def __str__(self) -> str:
        return f"{self.name or self.credit_code} {self.year}"

    @property
    def audit_region(self) -> Any:
        return self.town.region


class PerMuRun(models.Model):
    """One per-mu evaluation of a county's firms for a year: draft → on notice (公示) → published."""

    class Status(models.TextChoices):
        DRAFT = "draft", bi_lazy("草稿", "Draft")  # computed, seen by the county office only
        NOTICE = "notice", bi_lazy("公示中", "On public notice")  # classes shown, objections open
        PUBLISHED = "published", bi_lazy("已公布", "Published")  # final; 002's leaders read these

    county = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=bi_lazy("县(区)", "County"))
    year = models.PositiveIntegerField(bi_lazy("评价年度", "Year"))
    method_id = models.CharField(bi_lazy("评价办法", "Method"), max_length=64)
    method_name = models.CharField(bi_lazy("评价办法名称", "Method name"), max_length=200)
    method_sha256 = models.CharField(max_length=64)
    data_sha256 = models.CharField(max_length=64)
    results_sha256 = models.CharField(max_length=64)
    class_counts = models.JSONField(bi_lazy("分类数", "Class counts"), default=dict)
    status = models.CharField(bi_lazy("状态", "Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    notice_opens_on = models.DateField(bi_lazy("公示开始", "Notice opens on"), null=True, blank=True)
    notice_closes_on = models.DateField(bi_lazy("公示截止", "Notice closes on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(bi_lazy("公布时间", "Published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = bi_lazy("亩均评价", "Per-mu evaluation")

    def __str__(self) -> str:
        return f"{self.county} {self.year} {self.method_id}"

    @property
    def audit_region(self) -> Any:
        return self.county


class PerMuResult(models.Model):
    """One firm's outcome in a run, as computed (indicator details in ``details``)."""

    class Status(models.TextChoices):
        GRADED = "graded", bi_lazy("参评分类", "Graded")
        NOT_GRADED = "not_graded", bi_lazy("参评不分类", "Scored, not graded")
        OUT_OF_SCOPE = "out_of_scope", bi_lazy("不在评价范围", "Out of scope")

    run = models.ForeignKey(PerMuRun, on_delete=models.CASCADE, related_name="results")
    credit_code = models.CharField(bi_lazy("统一社会信用代码", "Credit code"), max_length=18)
    name = models.CharField(bi_lazy("企业名称", "Enterprise"), max_length=200, blank=True)
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="per_mu_results")
    land_mu = models.FloatField(bi_lazy("用地(亩)", "Land (mu)"))
    tax = models.FloatField(bi_lazy("税收(万元)", "Tax (10k yuan)"), null=True)
    total = models.FloatField(bi_lazy("总分", "Total"), null=True)
    rank = models.PositiveIntegerField(bi_lazy("名次", "Rank"), null=True)
    klass = models.CharField(bi_lazy("分类", "Class"), max_length=1, blank=True)
    status = models.CharField(bi_lazy("状态", "Status"), max_length=12, choices=Status.choices)
    reason = models.CharField(bi_lazy("说明", "Note"), max_length=200, blank=True)
    details = models.JSONField(default=list)  # [{id, label, unit, value, benchmark, score, weight}]

    class Meta:
        ordering = ["run", "rank", "credit_code"]
        constraints = [models.UniqueConstraint(fields=["run", "credit_code"], name="per_mu_result_one_per_firm")]
        indexes = [models.Index(fields=["run", "klass"], name="per_mu_result_class_idx")]

    def __str__(self) -> str:
        return f"{self.name or self.credit_code}: {self.klass or self.status}"

    @property
    def audit_region(self) -> Any:
        return self.town.region


class PerMuObjection(models.Model):
    """An objection (异议) to a firm's class during the notice, and what the office decided."""

    class Status(models.TextChoices):
        OPEN = "open", bi_lazy("待处理", "Open")
        UPHELD = "upheld", bi_lazy("异议成立", "Upheld")
        REJECTED = "rejected", bi_lazy("异议不成立", "Rejected")

    result = models.ForeignKey(PerMuResult, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(bi_lazy("姓名或单位", "Name or organisation"), max_length=100)
    contact = models.CharField(bi_lazy("联系方式", "Contact"), max_length=200)
    grounds = models.TextField(bi_lazy("异议理由", "Grounds"))
    submitted_at = models.DateTimeField(bi_lazy("提交时间", "Submitted at"), auto_now_add=True)
    status = models.CharField(bi_lazy("处理结果", "Outcome"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decision_reason = models.TextField(bi_lazy("处理理由", "Reason for the decision"), blank=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.result}: {self.get_status_display()}"

    @property
    def audit_region(self) -> Any:
        return self.result.town.region


class CultivationEntry(models.Model):
    """A firm in a zone's 高新技术企业培育库 (001 §三(四)2), from its entry until it leaves."""

    credit_code = models.CharField(bi_lazy("统一社会信用代码", "Credit code"), max_length=18)
    name = models.CharField(bi_lazy("企业名称", "Enterprise"), max_length=200)
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="cultivation_entries",
                             verbose_name=bi_lazy("所在园区/小镇", "Zone or town"))
    entered_on = models.DateField(bi_lazy("入库日期", "Entered on"))
    exited_on = models.DateField(bi_lazy("出库日期", "Left on"), null=True, blank=True)
    exit_reason = models.CharField(bi_lazy("出库原因", "Why it left"), max_length=200, blank=True)

    class Meta:
        ordering = ["town", "entered_on", "credit_code"]
        verbose_name = bi_lazy("培育库企业", "Cultivation-pool firm")

    def __str__(self) -> str:
        return f"{self.name} ({self.entered_on}–{self.exited_on or ''})"

    @property
    def audit_region(self) -> Any:
        return self.town.region


class HighTechReward(models.Model):
    """One reward paid to one firm for its high-tech certification (001 §三(四)2: per firm, ≥10万元
    first time, ≥5万元 on renewal). A reward under the floor is recorded as paid and shown as a finding."""

    class Kind(models.TextChoices):
        FIRST = "first", bi_lazy("首次认定", "First certification")
        RENEWAL = "renewal", bi_lazy("重新认定", "Renewal")

    credit_code = models.CharField(bi_lazy("统一社会信用代码", "Credit code"), max_length=18)
    name = models.CharField(bi_lazy("企业名称", "Enterprise"), max_length=200)
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="high_tech_rewards",
                             verbose_name=bi_lazy("所在园区/小镇", "Zone or town"))
    kind = models.CharField(bi_lazy("类型", "Kind"), max_length=8, choices=Kind.choices)
    certificate_number = models.CharField(bi_lazy("证书编号", "Certificate number"), max_length=40)
    certified_on = models.DateField(bi_lazy("发证日期", "Certified on"))
    amount_wan = models.DecimalField(bi_lazy("奖励金额(万元)", "Reward (10k yuan)"), max_digits=10, decimal_places=2)
    year = models.PositiveIntegerField(bi_lazy("年度", "Year"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "town", "credit_code"]
        constraints = [models.UniqueConstraint(fields=["credit_code", "certificate_number"],
                                               name="high_tech_reward_once_per_certificate")]

    def __str__(self) -> str:
        return f"{self.name} {self.amount_wan}万元"

    @property
    def audit_region(self) -> Any:
        return self.town.region
