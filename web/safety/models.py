"""One row per throttled key: a fixed-window counter that is also the key's lock.

``safety.throttle.take`` counts requests per key (an API token) per window under a row lock;
``safety.throttle.hold`` only locks the key's row, so a caller can count its own rows (the
objections of one address in the last minute) without a race.
"""

from __future__ import annotations

from django.db import models


class ThrottleKey(models.Model):
    key = models.CharField(max_length=120, unique=True)
    window_start = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "限流计数 / Throttle counter"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
