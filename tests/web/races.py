"""Run one piece of work in several threads at once, as simultaneous requests would (PostgreSQL tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def at_once(threads: int, work: Callable[[], object]) -> list[object]:
    """``work()`` in ``threads`` threads released together; what each returned, or the repr of what it raised.
    Each thread uses its own database connection and closes it."""
    barrier = threading.Barrier(threads)
    outcomes: list[object] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(work())
        except BaseException as exc:  # reported to the test as its outcome
            outcomes.append(repr(exc))
        finally:
            connection.close()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join(timeout=60)
    return outcomes
