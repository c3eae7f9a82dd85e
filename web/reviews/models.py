"""Expert panels (专家评审) and acceptance (验收命名).

* Panel — one expert review of one *subject* (``subject_ref``: ``application:12``,
  ``acceptance:3``, ``assessment:…``) of a town in a programme, against a snapshot of the
  programme's rubric. Status: open → scoring → complete → decided.
* PanelMember — an expert on a panel: conflict-of-interest declaration, active or replaced.
* ScoreSheet — one member's scores (item id → score), comments, submitted once.
* Acceptance — a town's acceptance application (验收申请) at the end of its period; walks
  the programme's acceptance steps (a snapshot), ends named or failed.
* AcceptanceStepRecord — each step's decision (who, pass / fail, reason).
* Delegation — a province delegates a programme's (or one town's) acceptance to a city or
  county office (004 §三6).

Rows change only through reviews/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.bilingual import bi_lazy
from towns.models import ExpertAssignment


class Panel(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", bi_lazy("组建中", "Open")  # experts being added, declaring conflicts; no score yet
        SCORING = "scoring", bi_lazy("评分中", "Scoring")  # at least one sheet in, not all
        COMPLETE = "complete", bi_lazy("评分完成", "Scores complete")  # every scoring member handed in
        DECIDED = "decided", bi_lazy("已决定", "Decided")  # the officer passed or failed it

    class Outcome(models.TextChoices):
        PASS = "pass", bi_lazy("通过", "Pass")
        FAIL = "fail", bi_lazy("未通过", "Fail")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    programme_version = models.ForeignKey(
        "programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+",
        help_text=bi_lazy("评分表所依据的政策版本", "the programme version the rubric comes from"),
    )
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="panels")
    purpose = models.CharField(bi_lazy("任务", "Purpose"), max_length=24, choices=ExpertAssignment.Purpose.choices)
    subject_ref = models.CharField(bi_lazy("评审对象", "Subject"), max_length=64, db_index=True,
                                   help_text=bi_lazy("如 application:12、acceptance:3", "e.g. application:12, acceptance:3"))
    title = models.CharField(bi_lazy("标题", "Title"), max_length=200)
    rubric = models.JSONField(bi_lazy("评分表", "Rubric"), help_text=bi_lazy("创建时的评分表快照", "the rubric as it was when set up"))
    rule = models.JSONField(bi_lazy("离散判定规则", "Divergence rule"), default=dict)
    status = models.CharField(bi_lazy("状态", "Status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(bi_lazy("结论", "Outcome"), max_length=8, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(bi_lazy("决定理由", "Reason for the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = bi_lazy("专家评审组", "Expert panel")
        verbose_name_plural = bi_lazy("专家评审组", "Expert panels")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region(self):
        return self.town.region

    @property
    def subject_kind(self) -> str:
        return self.subject_ref.split(":", 1)[0]

    @property
    def subject_id(self) -> str:
        return self.subject_ref.split(":", 1)[1] if ":" in self.subject_ref else ""

    @property
    def max_total(self) -> float:
        return float(sum(item["max_score"] for item in self.rubric))


class PanelMember(models.Model):
    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", bi_lazy("未声明", "Not declared")
        NONE = "none", bi_lazy("无利益冲突", "No conflict")
        CONFLICTED = "conflicted", bi_lazy("有利益冲突(回避)", "Conflict (stood down)")

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="members")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships")
    conflict = models.CharField(bi_lazy("利益冲突", "Conflict of interest"), max_length=12,
                                choices=Conflict.choices, default=Conflict.UNDECLARED)
    conflict_note = models.TextField(bi_lazy("冲突说明", "Conflict note"), blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(bi_lazy("在组", "On the panel"), default=True)
    removed_reason = models.TextField(bi_lazy("撤换理由", "Why replaced"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel", "added_at", "id"]
        verbose_name = bi_lazy("评审专家", "Panel member")
        verbose_name_plural = bi_lazy("评审专家", "Panel members")
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], condition=Q(active=True),
                                    name="panel_member_once_while_active"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} @ {self.panel}"

    @property
    def audit_region(self):
        return self.panel.town.region

    @property
    def scores_allowed(self) -> bool:
        """Declared no conflict and still on the panel."""
        return self.active and self.conflict == self.Conflict.NONE


class ScoreSheet(models.Model):
    member = models.OneToOneField(PanelMember, on_delete=models.PROTECT, related_name="sheet")
    scores = models.JSONField(bi_lazy("分数", "Scores"))
    comments = models.JSONField(bi_lazy("逐项意见", "Comments per item"), default=dict)
    overall_comment = models.TextField(bi_lazy("总体意见", "Overall comment"), blank=True)
    total = models.FloatField(bi_lazy("总分", "Total"))
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member"]
        verbose_name = bi_lazy("评分表", "Score sheet")
        verbose_name_plural = bi_lazy("评分表", "Score sheets")

    def __str__(self) -> str:
        return f"{self.member}: {self.total:g}"

    @property
    def audit_region(self):
        return self.member.panel.town.region


class Delegation(models.Model):
    """The province delegates organising acceptance to a city or county office (004 §三6)."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text=bi_lazy("空表示该地区的全部小镇", "blank: every town of the region"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=bi_lazy("受托地区", "Delegated to"))
    reason = models.TextField(bi_lazy("理由", "Reason"), blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = bi_lazy("验收委托", "Acceptance delegation")
        verbose_name_plural = bi_lazy("验收委托", "Acceptance delegations")

    def __str__(self) -> str:
        return f"{self.programme} → {self.region}" + (f" ({self.town})" if self.town_id else "")

    @property
    def audit_region(self):
        return self.region


class Acceptance(models.Model):
    class Status(models.TextChoices):
        IN_REVIEW = "in_review", bi_lazy("验收中", "Under acceptance")  # steps running
        NAMED = "named", bi_lazy("通过并命名", "Passed and named")  # the final step passed; the tier changed
        FAILED = "failed", bi_lazy("未通过", "Failed")  # a step failed; an extension may follow

    enrolment = models.ForeignKey("towns.Enrolment", on_delete=models.PROTECT, related_name="acceptances")
    programme_version = models.ForeignKey("programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(bi_lazy("总结材料", "Summary of the work"))
    material_ref = models.CharField(bi_lazy("材料编号或链接", "Material reference"), max_length=300, blank=True)
    steps = models.JSONField(bi_lazy("验收步骤", "Acceptance steps"),
                             help_text=bi_lazy("申请时的步骤快照", "the steps as they were when applied"))
    step_index = models.PositiveIntegerField(default=0)
    status = models.CharField(bi_lazy("状态", "Status"), max_length=12, choices=Status.choices,
                              default=Status.IN_REVIEW)
    outcome_reason = models.TextField(bi_lazy("结论理由", "Reason for the outcome"), blank=True)
    tier_change = models.ForeignKey("towns.TierChange", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", help_text=bi_lazy("命名或延期的层级变更", "the naming or extension"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = bi_lazy("验收申请", "Acceptance application")
        verbose_name_plural = bi_lazy("验收申请", "Acceptance applications")
        constraints = [
            models.UniqueConstraint(fields=["enrolment"], condition=Q(status="in_review"),
                                    name="acceptance_one_running_per_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.town} · {self.enrolment.programme} · {self.get_status_display()}"

    @property
    def audit_region(self):
        return self.enrolment.town.region

    @property
    def town(self):
        return self.enrolment.town

    @property
    def programme(self):
        return self.enrolment.programme

    @property
    def current_step(self) -> dict | None:
        if self.status != self.Status.IN_REVIEW or self.step_index >= len(self.steps):
            return None
        return self.steps[self.step_index]

    @property
    def subject_ref(self) -> str:
        return f"acceptance:{self.pk}"


class AcceptanceStepRecord(models.Model):
    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="records")
    step_id = models.CharField(max_length=64)
    outcome = models.CharField(max_length=8, choices=Panel.Outcome.choices)
    reason = models.TextField(bi_lazy("理由", "Reason"))
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["acceptance", "decided_at", "id"]
        verbose_name = bi_lazy("验收步骤记录", "Acceptance step record")
        verbose_name_plural = bi_lazy("验收步骤记录", "Acceptance step records")

    def __str__(self) -> str:
        return f"{self.acceptance_id} {self.step_id}: {self.outcome}"
