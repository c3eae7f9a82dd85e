"""AuditEntry: who did what to which object, when, in which region, from which state to which.

Append-only. The model refuses ``save()`` on an existing row and every ``delete()``; its
queryset refuses ``update()`` and ``delete()``; on PostgreSQL and SQLite a trigger refuses
UPDATE (and on PostgreSQL DELETE) even from raw SQL — see migration 0002. Each row carries a
hash chained to the row before (audit/chain.py; ``manage.py audit_verify`` checks the chain).
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from portal.bilingual import bi_lazy


class AppendOnlyError(RuntimeError):
    """Audit entries are never changed or removed."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries are append-only: update() refused")

    def delete(self):
        raise AppendOnlyError("audit entries are append-only: delete() refused")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit entries are append-only: bulk_update() refused")


class AuditEntry(models.Model):
    at = models.DateTimeField(bi_lazy("时间", "At"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=bi_lazy("操作人", "Actor"),
    )
    actor_username = models.CharField(bi_lazy("用户名", "Username"), max_length=150)
    role = models.CharField(bi_lazy("角色", "Role"), max_length=24, blank=True)
    verb = models.CharField(bi_lazy("操作", "Verb"), max_length=64, db_index=True)
    object_type = models.CharField(bi_lazy("对象类型", "Object type"), max_length=64, blank=True)
    object_id = models.CharField(bi_lazy("对象编号", "Object id"), max_length=64, blank=True)
    object_repr = models.CharField(bi_lazy("对象", "Object"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=bi_lazy("行政区划", "Region"),
    )
    # Text, not a 64-character field: a state may be a summary ("letterhead | prefix | issuer | seal"), and
    # PostgreSQL refuses what SQLite silently keeps; a record of a change must never be cut short.
    from_state = models.TextField(bi_lazy("原状态", "From state"), blank=True)
    to_state = models.TextField(bi_lazy("新状态", "To state"), blank=True)
    reason = models.TextField(bi_lazy("理由", "Reason"), blank=True)
    data = models.JSONField(bi_lazy("详情", "Data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The hash chain (audit/chain.py): this row's hash covers its fields and the previous hash.
    prev_hash = models.CharField(bi_lazy("前一哈希", "Previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(bi_lazy("哈希", "Hash"), max_length=64, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = bi_lazy("审计记录", "Audit entry")
        verbose_name_plural = bi_lazy("审计记录", "Audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.verb} {self.object_repr}"

    @property
    def actor_name(self) -> str:
        """Who acted, as a person reads it: their name (an SSO account's username is ``sso-<subject>``),
        else the username the row recorded. Load lists with ``select_related("actor")``."""
        return self.actor.display_name if self.actor_id and self.actor else self.actor_username

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only: an existing entry cannot be saved")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are append-only: delete() refused")


class AuditChainHead(models.Model):
    """One row (pk 1): the id and hash of the last audit entry, locked by every append."""

    last_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = bi_lazy("审计链头", "Audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_id} {self.last_hash[:12]}"
