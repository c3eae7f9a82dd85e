"""Calls, applications and their review history.

* Call (申报通知) — a programme's call for applications: a window (opens_on … closes_on),
  the region it covers and the first year of the three-year plans it asks for.
* Application — one town's application to one call. Its ``state`` and ``current_step``
  (a review-step id of the programme file) say where it is; ``facts`` holds the draft
  answers as typed (kept even when invalid); each submission copies them into
  ``towns.IndicatorValue`` (basis plan, source application, source_ref ``application:<pk>``).
* Submission — every submission, with the facts, the materials and the engine's verdict
  at that moment and the programme version it used. Never changed.
* StepDecision — every decision of a review step (pass, return, reject), with the reason,
  the rank of a recommendation, the verdict the decider saw and the version. Never changed.
* DepartmentOpinion — one department named for a joint review step (联审, 003 §四(二)) of one
  submission, and the opinion it gave (同意 / 有条件同意 / 不同意, with the written opinion).
* Material — an uploaded file for one item of the programme's checklist (``materials``); a new
  upload supersedes the old one, which is kept for the submissions that sent it.

Rows change only through applications/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.bilingual import bi_lazy


class Call(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="calls")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=bi_lazy("申报范围", "Region"),
        help_text=bi_lazy("可申报小镇所在地区", "towns in this region may apply"),
    )
    title = models.CharField(bi_lazy("通知标题", "Title"), max_length=200)
    note = models.TextField(bi_lazy("说明", "Note"), blank=True)
    opens_on = models.DateField(bi_lazy("开始日期", "Opens on"))
    closes_on = models.DateField(bi_lazy("截止日期", "Closes on"))
    first_plan_year = models.PositiveSmallIntegerField(
        bi_lazy("计划第一年", "First plan year"),
        help_text=bi_lazy("三年投资计划的第一年", "the first year of the three-year plans"),
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "pk"]
        verbose_name = bi_lazy("申报通知", "Call for applications")
        verbose_name_plural = bi_lazy("申报通知", "Calls for applications")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region(self):
        return self.region

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def plan_periods(self) -> list[str]:
        """The plan years an application gives (year 1, 2, 3)."""
        return [str(self.first_plan_year + i) for i in range(PLAN_YEARS)]


PLAN_YEARS = 3


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", bi_lazy("草稿", "Draft")  # the town is filling it in; never seen by reviewers
        SUBMITTED = "submitted", bi_lazy("已提交", "Submitted")  # waiting for the chain's first step
        IN_REVIEW = "in_review", bi_lazy("审核中", "In review")  # passed at least one step, waiting at current_step
        RETURNED = "returned", bi_lazy("退回修改", "Returned")  # back with the town, with a reason; it may resubmit
        REJECTED = "rejected", bi_lazy("未通过", "Rejected")  # final, with a reason
        LISTED = "listed", bi_lazy("已列入名单", "Listed")  # the last step passed: the town is enrolled

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="applications")
    state = models.CharField(bi_lazy("状态", "State"), max_length=16, choices=State.choices, default=State.DRAFT,
                             db_index=True)
    current_step = models.CharField(
        bi_lazy("当前审核环节", "Current step"), max_length=64, blank=True,
        help_text=bi_lazy("政策文件审核链中的环节编号", "a review-step id of the programme file"),
    )
    category = models.CharField(bi_lazy("项目中的类别", "Category in this programme"), max_length=64, blank=True)
    sub_sector = models.CharField(bi_lazy("细分产业", "Sub-sector"), max_length=64, blank=True)
    facts = models.JSONField(bi_lazy("申报数据(草稿)", "Facts (as typed)"), default=dict, blank=True)
    rank = models.PositiveIntegerField(bi_lazy("推荐排序", "Recommendation rank"), null=True, blank=True)
    submitted_at = models.DateTimeField(bi_lazy("最近提交", "Last submitted"), null=True, blank=True)
    enrolment = models.ForeignKey("towns.Enrolment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = bi_lazy("申报", "Application")
        verbose_name_plural = bi_lazy("申报", "Applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "town"], name="application_one_per_town_and_call"),
        ]
        indexes = [models.Index(fields=["programme", "state", "current_step"], name="application_queue_idx")]

    def __str__(self) -> str:
        return f"{self.town} · {self.call}"

    @property
    def audit_region(self):
        return self.town.region

    @property
    def source_ref(self) -> str:
        return f"application:{self.pk}"

    @property
    def state_label(self) -> str:
        """The state's label, looked up directly (``get_state_display`` rebuilds the choices dict per call)."""
        return str(self.State(self.state).label)

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def is_in_review(self) -> bool:
        return self.state in (self.State.SUBMITTED, self.State.IN_REVIEW)

    @property
    def step_label(self):
        """The current step's label (a policy Text) in the programme's current file, or None."""
        if not self.current_step:
            return None
        for step in self.programme.policy.review_steps("application"):
            if step.id == self.current_step:
                return step.label
        return None


class Submission(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField(bi_lazy("第几次提交", "Submission number"))
    submitted_at = models.DateTimeField(bi_lazy("提交时间", "Submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    programme_version = models.ForeignKey("programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+")
    facts = models.JSONField(bi_lazy("提交的数据", "Facts submitted"))
    materials = models.JSONField(bi_lazy("提交的材料", "Materials submitted"), default=list)
    verdict = models.JSONField(bi_lazy("提交时的结论", "Verdict at submission"))

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="submission_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"


class StepDecision(models.Model):
    class Outcome(models.TextChoices):
        PASS = "pass", bi_lazy("通过", "Pass")
        RETURN = "return", bi_lazy("退回修改", "Return to the town")
        REJECT = "reject", bi_lazy("不予通过", "Reject")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="decisions")
    step_id = models.CharField(bi_lazy("审核环节", "Step"), max_length=64)
    step_action = models.CharField(bi_lazy("环节类型", "Step action"), max_length=16)
    clause = models.CharField(bi_lazy("条款", "Clause"), max_length=64)
    outcome = models.CharField(bi_lazy("结果", "Outcome"), max_length=8, choices=Outcome.choices)
    reason = models.TextField(bi_lazy("理由", "Reason"), blank=True)
    rank = models.PositiveIntegerField(bi_lazy("推荐排序", "Rank"), null=True, blank=True)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    verdict = models.JSONField(bi_lazy("决定时的结论", "Verdict when decided"), default=dict)
    programme_version = models.ForeignKey("programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(bi_lazy("决定时间", "Decided at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.step_id} {self.outcome}"


def material_path(instance: Material, filename: str) -> str:
    # The stored name never comes from the user: original names may hold anything.
    return f"applications/{instance.application_id}/{instance.material_id}-{instance.sha256[:16]}{instance.extension}"


class Material(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="materials")
    material_id = models.CharField(bi_lazy("材料", "Material"), max_length=64)
    file = models.FileField(upload_to=material_path, max_length=300)
    original_name = models.CharField(bi_lazy("文件名", "File name"), max_length=255)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(bi_lazy("大小(字节)", "Size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A new upload for the same item supersedes the old file, which stays for the submissions that sent it.
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["application", "material_id", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "material_id"], condition=Q(is_current=True),
                                    name="material_one_current_file_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.material_id}: {self.original_name}"

    @property
    def audit_region(self):
        return self.application.town.region



class DepartmentOpinion(models.Model):
    """One district department's part in a joint review (003 §四(二)).

    The seed: 区特色小镇培育创建工作联席会议办公室……组织区级相关职能部门对创建材料进行联审，审定后由区委、区政府
    公布创建名单. The joint-meeting office (the step's role, the district's county office) names the
    departments (``accounts.Organisation`` of kind ``department`` in the district) and records each one's
    written opinion on its behalf, naming the department: the departments answer the office in writing
    (a 会签 sheet or a letter) and have no accounts of their own, so the office is the one who types it in,
    and the row says which department said what, who recorded it and when. A step with
    ``department_opinions`` cannot be decided until every named department's opinion is in.

    A row belongs to one submission: a resubmission after a return starts a new joint review.
    """

    class Opinion(models.TextChoices):
        AGREE = "agree", bi_lazy("同意", "Agree")
        CONDITIONAL = "conditional", bi_lazy("有条件同意", "Agree with conditions")
        DISAGREE = "disagree", bi_lazy("不同意", "Disagree")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="department_opinions")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="department_opinions")
    step_id = models.CharField(bi_lazy("审核环节", "Step"), max_length=64)
    department = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=bi_lazy("部门", "Department"))
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(bi_lazy("指定时间", "Named at"), auto_now_add=True)
    opinion = models.CharField(bi_lazy("意见", "Opinion"), max_length=12, choices=Opinion.choices, blank=True)
    text = models.TextField(bi_lazy("书面意见", "Written opinion"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(bi_lazy("记录时间", "Recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "submission", "step_id", "department__name_zh", "pk"]
        verbose_name = bi_lazy("部门联审意见", "Department opinion")
        verbose_name_plural = bi_lazy("部门联审意见", "Department opinions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "step_id", "department"],
                                    name="department_opinion_once_per_review"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.department} {self.opinion or '-'}"

    @property
    def audit_region(self):
        return self.application.town.region

    @property
    def is_given(self) -> bool:
        return bool(self.opinion)
