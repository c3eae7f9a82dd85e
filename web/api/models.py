"""ApiToken: a secret a local platform sends as ``Authorization: Bearer <token>``.

A token belongs to one user and acts as that user — the user's role and region scope,
never more. Only a SHA-256 hash of the secret is stored; the secret itself is shown once,
when the token is created. Rows change only through api/actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.bilingual import bi_lazy


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens",
        verbose_name=bi_lazy("所属用户", "User"),
    )
    name = models.CharField(
        bi_lazy("名称", "Name"), max_length=100,
        help_text=bi_lazy("用途，如“南宁市平台”", "what it is for, e.g. “Nanning city platform”"),
    )
    prefix = models.CharField(
        bi_lazy("令牌前缀", "Token prefix"), max_length=16,
        help_text=bi_lazy("令牌的开头部分，用于辨认", "the start of the token, to recognise it"),
    )
    secret_hash = models.CharField(bi_lazy("令牌摘要", "Secret hash (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(bi_lazy("创建时间", "Created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(bi_lazy("最近使用", "Last used"), null=True, blank=True)
    expires_at = models.DateTimeField(bi_lazy("过期时间", "Expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(bi_lazy("吊销时间", "Revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = bi_lazy("接口令牌", "API token")
        verbose_name_plural = bi_lazy("接口令牌", "API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def audit_region(self):
        """The user's region, or a town body's town's county: officers there see the audit rows."""
        if self.user.region_id is None and self.user.town_id is not None:
            town = self.user.town
            assert town is not None  # town_id is set
            return town.region
        return self.user.region

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class ReportPush(models.Model):
    """One quarterly report pushed through the API under an idempotency key.

    Unique per town, programme, period and key: the same key with the same body gets the
    first answer again (``response``); with another body it is refused (409). The report
    itself is checked and stored by ``reports.actions.submit_report_values``.
    """

    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(bi_lazy("报送期间", "Period"), max_length=6)
    key = models.CharField(bi_lazy("幂等键", "Idempotency key"), max_length=100)
    body_hash = models.CharField(bi_lazy("请求内容摘要", "Body hash (SHA-256)"), max_length=64)
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(bi_lazy("首次应答", "First answer"))
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, null=True, blank=True, related_name="pushes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = bi_lazy("接口报送", "API report push")
        verbose_name_plural = bi_lazy("接口报送", "API report pushes")
        constraints = [
            models.UniqueConstraint(fields=["town", "programme", "period", "key"], name="report_push_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.town_id} {self.period} {self.key}"

    @property
    def audit_region(self):
        return self.town.region
