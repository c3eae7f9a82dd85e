"""Comparing a region's towns with a new control-line layer, as a background task (django-tasks, database
backend; `manage.py db_worker`), as ADR 0016 does for the uncertainty analysis.

The upload action (actions.upload_red_line_layer) saves and audits the layer and queues this task when its
transaction commits. The worker compares the towns in batches, each batch in its own transaction (findings,
computed indicators and their audit rows together), and writes the layer's ``refresh_progress``; the control
lines page shows it as a progress bar.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

import audit
from towns.models import Town

from .actions import refresh_findings
from .models import RedLineFinding, RedLineLayer, RefreshStatus

#: Towns compared per transaction: a failure loses at most one batch, and progress moves visibly.
BATCH = 50
#: Write progress at most this often (seconds): each write is one UPDATE.
PROGRESS_EVERY = 0.5


def towns_under(layer: RedLineLayer) -> list[int]:
    """The towns with a boundary in the layer's region, by primary key (stable order)."""
    towns = Town.objects.filter(region__code__startswith=layer.region.scope_prefix).exclude(boundary_geojson="")
    return list(towns.order_by("pk").values_list("pk", flat=True))


def compute_refresh(layer_pk: int) -> None:
    """Compare the towns with one queued layer (the task body; the demo calls it directly)."""
    layer = RedLineLayer.objects.select_related("region", "uploaded_by").get(pk=layer_pk)
    if layer.refresh_status not in (RefreshStatus.QUEUED, RefreshStatus.RUNNING):
        return
    mine = RedLineLayer.objects.filter(pk=layer.pk)
    mine.update(refresh_status=RefreshStatus.RUNNING, refresh_progress=0, refresh_towns=0)
    pks = towns_under(layer)
    compared, last = 0, 0.0
    try:
        for start in range(0, len(pks), BATCH):
            batch = Town.objects.filter(pk__in=pks[start:start + BATCH]).select_related("region").order_by("pk")
            with transaction.atomic():
                compared += refresh_findings(towns=batch, by=layer.uploaded_by)
            done = min(start + BATCH, len(pks))
            if time.monotonic() - last >= PROGRESS_EVERY:
                last = time.monotonic()
                mine.update(refresh_progress=min(99, 100 * done // max(len(pks), 1)), refresh_towns=compared)
    except Exception as exc:  # the page shows why; the worker keeps going
        mine.update(refresh_status=RefreshStatus.FAILED, refresh_error=f"{type(exc).__name__}: {exc}",
                    refresh_towns=compared, refreshed_at=timezone.now())
        return
    crossed = RedLineFinding.objects.filter(layer=layer, crossed=True).count()
    with transaction.atomic():
        mine.update(refresh_status=RefreshStatus.DONE, refresh_progress=100, refresh_towns=compared,
                    refresh_crossed=crossed, refreshed_at=timezone.now())
        layer.refresh_from_db()
        audit.record(actor=layer.uploaded_by, verb="refresh_red_line_findings", obj=layer,
                     from_state=RefreshStatus.QUEUED, to_state=RefreshStatus.DONE,
                     data={"towns": compared, "crossed": crossed})


@task()
def refresh_red_lines_task(layer_pk: int) -> None:
    compute_refresh(layer_pk)
