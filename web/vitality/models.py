"""IndexRun (an uncertainty run in the background, with its progress), SignalReview (what an officer
decided about a data signal) and EnterpriseClaim (which enterprises a town lists in a year).

* IndexRun — ``xiaozhen index uncertainty`` for one programme's vitality index, run by the db_worker
  (django-tasks); ``progress`` is written while it runs, ``result`` when it ends.
* SignalReview — a signal (keyed by ``Signal.key``) dismissed with a reason, or escalated to a fraud
  finding (assessments.FraudFinding). Signals are never acted on automatically.
* EnterpriseClaim — the plain (credit_code, town, year) table the duplicate-enterprise signal reads. The
  enterprise registry (issue 12) can fill it, or replace it: the signal takes any such table.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy


class IndexRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", bi_lazy("排队中", "Queued")
        RUNNING = "running", bi_lazy("计算中", "Running")
        DONE = "done", bi_lazy("已完成", "Done")
        FAILED = "failed", bi_lazy("失败", "Failed")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    method_id = models.CharField(bi_lazy("方法", "Method"), max_length=100)
    method_hash = models.CharField(max_length=64, blank=True)
    runs = models.PositiveIntegerField(bi_lazy("运行次数", "Runs"))
    seed = models.PositiveIntegerField(bi_lazy("随机种子", "Seed"))
    status = models.CharField(bi_lazy("状态", "Status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(bi_lazy("进度", "Progress"), default=0)  # percent
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = bi_lazy("不确定性分析", "Uncertainty run")
        verbose_name_plural = bi_lazy("不确定性分析", "Uncertainty runs")

    def __str__(self) -> str:
        return f"{self.method_id} #{self.pk}"

    @property
    def audit_region(self) -> Any:
        return None


class SignalReview(models.Model):
    class Status(models.TextChoices):
        DISMISSED = "dismissed", bi_lazy("已排除", "Dismissed")
        ESCALATED = "escalated", bi_lazy("已转查处", "Escalated to a fraud finding")

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="signal_reviews")
    key = models.CharField(max_length=300)
    kind = models.CharField(bi_lazy("线索类型", "Signal"), max_length=32)
    status = models.CharField(bi_lazy("处理", "Decision"), max_length=10, choices=Status.choices)
    reason = models.TextField(bi_lazy("理由", "Reason"))
    evidence = models.JSONField(default=dict)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="one_review_per_signal")]
        verbose_name = bi_lazy("线索处理", "Signal review")
        verbose_name_plural = bi_lazy("线索处理", "Signal reviews")

    def __str__(self) -> str:
        return f"{self.town} {self.kind} {self.status}"

    @property
    def audit_region(self) -> Any:
        return self.town.region


class EnterpriseClaim(models.Model):
    credit_code = models.CharField(bi_lazy("统一社会信用代码", "Unified social credit code"), max_length=18)
    name = models.CharField(bi_lazy("企业名称", "Enterprise name"), max_length=200, blank=True)
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="enterprise_claims")
    year = models.PositiveSmallIntegerField(bi_lazy("年份", "Year"))

    class Meta:
        ordering = ["credit_code", "year", "town"]
        constraints = [models.UniqueConstraint(fields=["credit_code", "town", "year"], name="one_claim_per_town_year")]
        verbose_name = bi_lazy("小镇申报企业", "Enterprise claimed by a town")
        verbose_name_plural = bi_lazy("小镇申报企业", "Enterprises claimed by towns")

    def __str__(self) -> str:
        return f"{self.credit_code} {self.town} {self.year}"
