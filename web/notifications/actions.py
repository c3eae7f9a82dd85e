"""Marking a message read (only its recipient may)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from portal.errors import require

from .models import Notification


@transaction.atomic
def mark_read(*, notification: Notification, by) -> Notification:
    require(notification.recipient_id == by.pk, "这不是您的消息", "this message is not yours")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
