"""Published lists (名单公布), their entries and the public's objections (异议).

* ListPublication — one list of a programme's tier for a year (谋划 planning, 培育 cultivation,
  创建 creation, named …), with its title and document number. It moves
  draft → notice (公示, public, objections open in the window) → final (正式公布);
  a draft or a list on notice may be withdrawn. A final list never changes: a correction is a
  new publication that ``supersedes`` it, and when that one is final the old one is superseded.
* ListEntry — one town on a list, snapshotted from its enrolment when the draft was made
  (name, county, category, sub-sector as they stood), so later edits to the town never
  rewrite a published list. An upheld objection marks the entry removed, with the reason.
* Objection — anyone's objection to one entry during the notice window, and the officer's
  decision on it (upheld / dismissed, with the reason).

Rows change only through lists/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy


class ListPublication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", bi_lazy("草稿", "Draft")  # officers only; entries may change
        NOTICE = "notice", bi_lazy("公示中", "On public notice")  # public; objections in the window
        FINAL = "final", bi_lazy("正式公布", "Final")  # public; never changes again
        SUPERSEDED = "superseded", bi_lazy("已被更正", "Superseded")  # a later final list corrected it
        WITHDRAWN = "withdrawn", bi_lazy("已撤回", "Withdrawn")  # taken back before it was final

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="lists",
                                  verbose_name=bi_lazy("政策项目", "Programme"))
    programme_version = models.ForeignKey(
        "programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+",
        help_text=bi_lazy("公布时适用的政策版本", "the programme version in force when published"),
    )
    tier = models.CharField(bi_lazy("名单层级", "Tier"), max_length=32)
    year = models.PositiveIntegerField(bi_lazy("年度", "Year"))
    title_zh = models.CharField(bi_lazy("中文标题", "Chinese title"), max_length=200)
    title_en = models.CharField(bi_lazy("英文标题", "English title"), max_length=200, blank=True)
    document_number = models.CharField(bi_lazy("文号", "Document number"), max_length=128, blank=True)
    status = models.CharField(bi_lazy("状态", "Status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    notice_opens_on = models.DateField(bi_lazy("公示开始", "Notice opens on"), null=True, blank=True)
    notice_closes_on = models.DateField(bi_lazy("公示截止", "Notice closes on"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=bi_lazy("更正的名单", "Corrects"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=bi_lazy("公布人", "Published by"))
    noticed_at = models.DateTimeField(bi_lazy("公示时间", "Put on notice at"), null=True, blank=True, db_index=True)
    finalised_at = models.DateTimeField(bi_lazy("正式公布时间", "Made final at"), null=True, blank=True)
    withdrawn_reason = models.TextField(bi_lazy("撤回理由", "Reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = bi_lazy("名单", "List")
        verbose_name_plural = bi_lazy("名单", "Lists")
        indexes = [models.Index(fields=["programme", "tier", "year"], name="list_programme_tier_year_idx")]

    def __str__(self) -> str:
        return self.title_zh

    @property
    def audit_region(self):
        return self.programme.region

    @property
    def is_public(self) -> bool:
        """Once on notice, a list stays readable by anyone (withdrawn or superseded, it says so)."""
        return self.noticed_at is not None

    @property
    def tier_label(self):
        from towns.models import tier_label

        return tier_label(self.programme, self.tier)

    def window_state(self, today) -> str:
        """'before', 'open' or 'closed' for the objection window on ``today`` ('' when not on notice)."""
        if self.status != self.Status.NOTICE or self.notice_opens_on is None or self.notice_closes_on is None:
            return ""
        if today < self.notice_opens_on:
            return "before"
        return "open" if today <= self.notice_closes_on else "closed"


class ListEntry(models.Model):
    publication = models.ForeignKey(ListPublication, on_delete=models.CASCADE, related_name="entries")
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="list_entries")
    enrolment = models.ForeignKey("towns.Enrolment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="list_entries")
    position = models.PositiveIntegerField(bi_lazy("序号", "No."))
    # Snapshot of the town as it stood when the draft was made or the entry added.
    town_code = models.CharField(bi_lazy("小镇编号", "Town code"), max_length=32)
    town_name_zh = models.CharField(bi_lazy("小镇名称", "Town"), max_length=100)
    town_name_en = models.CharField(bi_lazy("英文名称", "English name"), max_length=200, blank=True)
    county_zh = models.CharField(bi_lazy("所在县(区)", "County"), max_length=100)
    county_en = models.CharField(bi_lazy("所在县(区)(英文)", "County (English)"), max_length=100, blank=True)
    category = models.CharField(bi_lazy("产业类别", "Category"), max_length=64, blank=True)
    category_zh = models.CharField(bi_lazy("产业类别名称", "Category label"), max_length=100, blank=True)
    category_en = models.CharField(bi_lazy("产业类别名称(英文)", "Category label (English)"), max_length=100,
                                   blank=True)
    sub_sector = models.CharField(bi_lazy("细分产业", "Sub-sector"), max_length=64, blank=True)
    removed = models.BooleanField(bi_lazy("经异议移出", "Removed after an objection"), default=False)
    removed_reason = models.TextField(bi_lazy("移出理由", "Reason for removal"), blank=True)

    class Meta:
        ordering = ["publication", "position"]
        verbose_name = bi_lazy("名单条目", "List entry")
        verbose_name_plural = bi_lazy("名单条目", "List entries")
        constraints = [
            models.UniqueConstraint(fields=["publication", "town"], name="list_entry_one_per_town"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.town_name_zh}"

    @property
    def audit_region(self):
        return self.town.region


class Objection(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", bi_lazy("待处理", "Pending")
        UPHELD = "upheld", bi_lazy("异议成立", "Upheld")  # the entry leaves the final list
        DISMISSED = "dismissed", bi_lazy("异议不成立", "Dismissed")

    publication = models.ForeignKey(ListPublication, on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="objections",
                              verbose_name=bi_lazy("异议对象", "Entry objected to"))
    name = models.CharField(bi_lazy("姓名或单位", "Name or organisation"), max_length=100)
    contact = models.CharField(bi_lazy("联系方式", "Contact"), max_length=200)
    grounds = models.TextField(bi_lazy("异议理由", "Grounds"))
    submitted_at = models.DateTimeField(bi_lazy("提交时间", "Submitted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(bi_lazy("来源地址", "From address"), null=True, blank=True)
    status = models.CharField(bi_lazy("处理结果", "Outcome"), max_length=12, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(bi_lazy("处理时间", "Decided at"), null=True, blank=True)
    decision_reason = models.TextField(bi_lazy("处理理由", "Reason for the decision"), blank=True)

    class Meta:
        ordering = ["publication", "submitted_at", "id"]
        verbose_name = bi_lazy("异议", "Objection")
        verbose_name_plural = bi_lazy("异议", "Objections")
        indexes = [models.Index(fields=["ip_address", "submitted_at"], name="objection_ip_time_idx")]

    def __str__(self) -> str:
        return f"异议 #{self.pk} → {self.entry.town_name_zh}"

    @property
    def audit_region(self):
        return self.publication.programme.region
