"""AssessmentRun, Proposal, FraudFinding and FraudEvidence.

* AssessmentRun — one programme's annual assessment for one year (年度考核, 003 §四(三),
  002 §三(四)): the programme version it applied, its document number (the decision reference
  every tier change of the run carries), draft → published. A published run is frozen.
* Proposal — what the engine proposed for one enrolled town (grade, next tier, the annual
  excellent-town flag, star rating, risk grade, the criteria outcomes with their numbers) and
  what the officer decided (the same, or an override with its reason). Publishing links the
  tier change it made.
* FraudFinding — a finding of fraud (弄虚作假, 003 §五(三), 002 §三(四)) against an enrolment,
  with its evidence; the cancellation it led to is its ``tier_change``.
* FraudEvidence — an uploaded document, stored in the database (ADR 0008).

Rows change only through assessments/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy


class AssessmentRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", bi_lazy("草稿(待发布)", "Draft")  # proposals may be re-run and overridden
        PUBLISHED = "published", bi_lazy("已发布", "Published")  # tier changes applied; frozen

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="assessment_runs")
    programme_version = models.ForeignKey(
        "programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+",
        help_text=bi_lazy("考核所依据的政策版本", "the programme version the assessment applied"),
    )
    year = models.PositiveSmallIntegerField(bi_lazy("考核年度", "Year assessed"))
    document_number = models.CharField(
        bi_lazy("考核结果文号", "Document number"), max_length=128,
        help_text=bi_lazy("发布时作为每项层级调整的决定文号", "the decision reference of every tier change it makes"),
    )
    effective_on = models.DateField(
        bi_lazy("调整生效日期", "Changes take effect on"),
        help_text=bi_lazy("默认次年1月1日(次年降格，003 §四(三))", "default 1 January of the next year (003 §四(三))"),
    )
    status = models.CharField(bi_lazy("状态", "Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(bi_lazy("计算时间", "Computed at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(bi_lazy("发布时间", "Published at"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "-year"]
        verbose_name = bi_lazy("年度考核", "Annual assessment")
        verbose_name_plural = bi_lazy("年度考核", "Annual assessments")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="assessment_run_one_per_programme_and_year")
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

    @property
    def audit_region(self):
        return self.programme.region

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Proposal(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="proposals")
    enrolment = models.ForeignKey("towns.Enrolment", on_delete=models.PROTECT, related_name="assessment_proposals")
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="assessment_proposals")
    tier = models.CharField(bi_lazy("考核时层级", "Tier assessed"), max_length=32)
    # What the engine found and proposed.
    annual_met = models.BooleanField(bi_lazy("年度达标", "Met the year's standard"), null=True)
    missed_streak = models.PositiveSmallIntegerField(bi_lazy("连续未达标年数", "Missed streak"), default=0)
    years_in_tier = models.PositiveSmallIntegerField(bi_lazy("本层级年数", "Years in tier"), default=0)
    proposed_action = models.CharField(bi_lazy("建议", "Proposed action"), max_length=16)
    proposed_next_tier = models.CharField(bi_lazy("建议层级", "Proposed next tier"), max_length=32)
    proposed_transition_id = models.CharField(max_length=64, blank=True)
    proposed_clause = models.CharField(max_length=64, blank=True)
    proposed_grade = models.CharField(bi_lazy("建议等次", "Proposed grade"), max_length=16, blank=True)
    score = models.FloatField(bi_lazy("考核得分", "Annual score"), null=True, blank=True)
    proposed_star_rating = models.PositiveSmallIntegerField(bi_lazy("建议星级", "Proposed stars"), null=True, blank=True)
    risk_grade = models.CharField(bi_lazy("风险等级", "Risk grade"), max_length=8, blank=True)
    risk_review_due = models.BooleanField(bi_lazy("需风险评估", "Due for the risk review"), default=False)
    excellence_score = models.FloatField(bi_lazy("优秀评选得分", "Excellence score"), null=True, blank=True)
    proposed_excellent = models.BooleanField(bi_lazy("建议评为优秀", "Proposed excellent"), default=False)
    reasons = models.JSONField(bi_lazy("理由", "Reasons"), default=list)
    outcomes = models.JSONField(bi_lazy("逐项结果", "Criteria outcomes"), default=list)
    facts = models.JSONField(bi_lazy("规则读取的数值", "Numbers the rule read"), default=dict)
    # What the officer decided (= the proposal until overridden).
    action = models.CharField(bi_lazy("决定", "Decided action"), max_length=16)
    next_tier = models.CharField(bi_lazy("决定层级", "Decided next tier"), max_length=32)
    transition_id = models.CharField(max_length=64, blank=True)
    clause = models.CharField(bi_lazy("条款", "Clause"), max_length=64, blank=True)
    grade = models.CharField(bi_lazy("等次", "Grade"), max_length=16, blank=True)
    star_rating = models.PositiveSmallIntegerField(bi_lazy("星级", "Stars"), null=True, blank=True)
    excellent = models.BooleanField(bi_lazy("年度优秀", "Annual excellent"), default=False)
    overridden = models.BooleanField(bi_lazy("已改定", "Overridden"), default=False)
    override_reason = models.TextField(bi_lazy("改定理由", "Override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    excellent_reason = models.TextField(bi_lazy("优秀评选改定理由", "Reason for the excellent choice"), blank=True)
    risk_reason = models.TextField(bi_lazy("风险评估意见", "Risk review findings"), blank=True)
    tier_change = models.OneToOneField(
        "towns.TierChange", on_delete=models.PROTECT, null=True, blank=True, related_name="assessment_proposal"
    )

    class Meta:
        ordering = ["run", "town__code"]
        verbose_name = bi_lazy("考核建议", "Assessment proposal")
        verbose_name_plural = bi_lazy("考核建议", "Assessment proposals")
        constraints = [
            models.UniqueConstraint(fields=["run", "enrolment"], name="assessment_proposal_one_per_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.run.year}: {self.tier} → {self.next_tier}"

    @property
    def audit_region(self):
        return self.town.region

    @property
    def changes_tier(self) -> bool:
        return self.next_tier != self.tier


class FraudFinding(models.Model):
    enrolment = models.ForeignKey("towns.Enrolment", on_delete=models.PROTECT, related_name="fraud_findings")
    found_on = models.DateField(bi_lazy("查实日期", "Found on"))
    source = models.CharField(
        bi_lazy("线索来源", "Source"), max_length=200,
        help_text=bi_lazy("如 群众举报、审计、现场核查", "e.g. a public report, an audit, a field check"),
    )
    description = models.TextField(bi_lazy("查实情况", "What was found"))
    decision_ref = models.CharField(bi_lazy("处理决定文号", "Decision reference"), max_length=128)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    tier_change = models.OneToOneField(
        "towns.TierChange", on_delete=models.PROTECT, related_name="fraud_finding",
        help_text=bi_lazy("据此取消资格的层级变更", "the cancellation this finding led to"),
    )

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = bi_lazy("弄虚作假查实记录", "Fraud finding")
        verbose_name_plural = bi_lazy("弄虚作假查实记录", "Fraud findings")

    def __str__(self) -> str:
        return f"{self.enrolment.town} {self.found_on}"

    @property
    def audit_region(self):
        return self.enrolment.town.region


class FraudEvidence(models.Model):
    finding = models.ForeignKey(FraudFinding, on_delete=models.PROTECT, related_name="evidence")
    name = models.CharField(bi_lazy("文件名", "File name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        ordering = ["finding", "id"]
        verbose_name = bi_lazy("证据材料", "Evidence document")
        verbose_name_plural = bi_lazy("证据材料", "Evidence documents")

    def __str__(self) -> str:
        return self.name
