"""Rate limits kept in the database, so every gunicorn worker shares them and a race cannot pass.

``take(key, limit=, seconds=)`` counts one request for ``key`` in a fixed window of ``seconds``
and says whether it is within ``limit`` (with the seconds until the window ends), in one atomic
``UPDATE … RETURNING``. ``hold(key)`` locks the key's row for the rest of the caller's transaction,
so callers that count their own rows (objections per address) serialise on it. On PostgreSQL the lock is ``SELECT … FOR UPDATE``;
SQLite runs one writer at a time anyway.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
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
    """Count one request for ``key``; refuse once ``limit`` requests fell in the current window.

    One ``UPDATE … RETURNING`` statement, atomic on both databases: it opens a new window when the
    old one has ended, and counts up to ``limit + 1`` at most, so the count it returns says whether
    this request is within the limit (a row lock and a read-then-write cost six statements a request).
    """
    now = now or timezone.now()
    count = _count_one(key, now, now - dt.timedelta(seconds=seconds), limit)
    if count is None:  # the key's first request: make its row, then count
        try:
            with transaction.atomic():
                ThrottleKey.objects.get_or_create(key=key)
        except IntegrityError:  # another request created it first: it exists now
            pass
        count = _count_one(key, now, now - dt.timedelta(seconds=seconds), limit)
    if count is not None and count <= limit:
        return Allowance(True, 0)
    window_start = ThrottleKey.objects.values_list("window_start", flat=True).get(key=key)
    remaining = (window_start + dt.timedelta(seconds=seconds) - now).total_seconds() if window_start else seconds
    return Allowance(False, max(1, math.ceil(remaining)))


def _count_one(key: str, now: dt.datetime, window_ended_by: dt.datetime, limit: int) -> int | None:
    """Add one to ``key``'s count (a new window when its start is at or before ``window_ended_by``);
    the new count, or None when the key has no row yet."""
    ops = connection.ops
    table = ops.quote_name(ThrottleKey._meta.db_table)
    start, count, name = (ops.quote_name(c) for c in ("window_start", "count", "key"))
    ended = f"({start} IS NULL OR {start} <= %s)"
    sql = (f"UPDATE {table} SET {start} = CASE WHEN {ended} THEN %s ELSE {start} END, "
           f"{count} = CASE WHEN {ended} THEN 1 WHEN {count} <= %s THEN {count} + 1 ELSE {count} END "
           f"WHERE {name} = %s RETURNING {count}")
    cutoff, at = ops.adapt_datetimefield_value(window_ended_by), ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [cutoff, at, cutoff, limit, key])
        row = cursor.fetchone()
    return None if row is None else int(row[0])
