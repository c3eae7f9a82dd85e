"""The uncertainty analysis as a background task (django-tasks, database backend; `manage.py db_worker`).

The web process only queues the run (actions.start_uncertainty_run); the worker computes it with the core's
vectorised engine and writes its progress to IndexRun.progress, which the page shows as a progress bar.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from xiaozhen.index._uncertainty import UncertaintyResult, run_uncertainty

from .data import method_for, vitality_data
from .models import IndexRun

#: Write progress at most this often (seconds): each write is one UPDATE.
PROGRESS_EVERY = 0.5


def _result_json(result: UncertaintyResult, year: int | None) -> dict[str, Any]:
    def num(v: float) -> float | None:
        return None if not math.isfinite(v) else round(v, 4)

    return {
        "year": year,
        "evaluations": result.evaluations,
        "base_n": result.base_n,
        "units": [{"code": u.code, "name": u.name, "nominal_rank": u.nominal_rank, "median_rank": u.median_rank,
                   "p5": u.p5, "p95": u.p95} for u in result.units],
        "sensitivity": [{"input": s.input, "alternatives": s.alternatives, "first_order": num(s.first_order),
                         "total": num(s.total)} for s in result.sensitivity],
    }


def compute_run(run_pk: int) -> None:
    """Compute one queued run (the task body; the demo calls it directly)."""
    run = IndexRun.objects.select_related("programme").get(pk=run_pk)
    if run.status not in (IndexRun.Status.QUEUED, IndexRun.Status.RUNNING):
        return
    IndexRun.objects.filter(pk=run.pk).update(status=IndexRun.Status.RUNNING, progress=0)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or done >= total:
            last[0] = now
            IndexRun.objects.filter(pk=run.pk).update(progress=min(99, int(100 * done / max(total, 1))))

    try:
        method = method_for(run.programme)
        if method is None:
            raise LookupError(f"no vitality method for {run.programme.policy_id}")
        data, year = vitality_data(run.programme, method)
        result = run_uncertainty(method, runs=run.runs, seed=run.seed, data=data, progress=progress)
    except Exception as exc:  # the page shows why; the worker keeps going
        IndexRun.objects.filter(pk=run.pk).update(status=IndexRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}",
                                                  finished_at=timezone.now())
        return
    with transaction.atomic():
        IndexRun.objects.filter(pk=run.pk).update(status=IndexRun.Status.DONE, progress=100, method_hash=method.hash(),
                                                  result=_result_json(result, year), finished_at=timezone.now())


@task()
def uncertainty_task(run_pk: int) -> None:
    compute_run(run_pk)
