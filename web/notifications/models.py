"""站内信: one message to one user, about one object, made from the audit row of the change that
concerns them (a return, a decision, a deadline, a panel invitation, an objection, a signal).

Rows are written by notifications.delivery (in the transaction of the change itself) and marked read
by notifications.actions.mark_read. Reading a message is not a change to the programme's records, so
it leaves no audit row."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy


class Notification(models.Model):
    class Kind(models.TextChoices):
        RETURN = "return", bi_lazy("退回修改", "Returned")
        DECISION = "decision", bi_lazy("审核决定", "Decision")
        DEADLINE = "deadline", bi_lazy("截止提醒", "Deadline")
        PANEL = "panel", bi_lazy("评审邀请", "Panel invitation")
        OBJECTION = "objection", bi_lazy("异议", "Objection")
        SIGNAL = "signal", bi_lazy("数据提示", "Data signal")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(bi_lazy("类别", "Kind"), max_length=12, choices=Kind.choices)
    title_zh = models.CharField(bi_lazy("标题", "Title"), max_length=200)
    title_en = models.CharField(bi_lazy("英文标题", "English title"), max_length=200, blank=True)
    body = models.TextField(bi_lazy("内容", "Message"), blank=True)
    url = models.CharField(bi_lazy("链接", "Link"), max_length=300)
    audit_entry = models.ForeignKey("audit.AuditEntry", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(bi_lazy("时间", "At"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(bi_lazy("已读时间", "Read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = bi_lazy("站内信", "Message")
        verbose_name_plural = bi_lazy("站内信", "Messages")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title_zh
