"""Rate limits kept in the database, so every gunicorn worker shares them and a race cannot pass.

``take(key, limit=, seconds=)`` counts one request for ``key`` in a fixed window of ``seconds``
and says whether it is within ``limit`` (with the seconds until the window ends). ``hold(key)``
locks the key's row for the rest of the caller's transaction, so callers that count their own
rows (objections per address) serialise on it. On PostgreSQL the lock is ``SELECT … FOR UPDATE``;
SQLite runs one writer at a time anyway.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ThrottleKey


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)


def _locked_row(key: str) -> ThrottleKey:
    try:
        with transaction.atomic():
            ThrottleKey.objects.get_or_create(key=key)
    except IntegrityError:  # another request created it first: it exists now
        pass
    return ThrottleKey.objects.select_for_update().get(key=key)


@transaction.atomic
def hold(key: str) -> None:
    """Lock ``key``'s row until the caller's transaction ends (call it inside that transaction)."""
    row = _locked_row(key)
    # A write, so SQLite takes its write lock here rather than at the caller's first insert.
    ThrottleKey.objects.filter(pk=row.pk).update(count=row.count)


def take(key: str, *, limit: int, seconds: int, now: dt.datetime | None = None) -> Allowance:
    """Count one request for ``key``; refuse once ``limit`` requests fell in the current window."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _locked_row(key)
        if row.window_start is None or now >= row.window_start + dt.timedelta(seconds=seconds):
            row.window_start, row.count = now, 0
        if row.count >= limit:
            remaining = (row.window_start + dt.timedelta(seconds=seconds) - now).total_seconds()
            return Allowance(False, max(1, math.ceil(remaining)))
        row.count += 1
        row.save(update_fields=["window_start", "count"])
        return Allowance(True, 0)
