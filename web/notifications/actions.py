"""Marking a message read (only its recipient may)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Notification
from .permissions import can_read_notification


@transaction.atomic
def mark_read(*, notification: Notification, by: User) -> Notification:
    can_read_notification.require(by, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
