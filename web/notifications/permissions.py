"""Who may read a message: its recipient, and nobody else."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from portal.rules import rule

from .models import Notification


@rule("这不是您的消息", "this message is not yours")
def can_read_notification(user: User | AnonymousUser, notification: Notification) -> bool:
    return bool(user.is_authenticated) and notification.recipient_id == user.pk
