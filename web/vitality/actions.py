"""State changes of the vitality app, each audited: queue an uncertainty run; dismiss a data signal with a
reason; escalate a signal towards a fraud finding (recorded, then the officer completes the existing fraud
form, assessments.actions.record_fraud_finding). Signals themselves are never acted on automatically."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

import audit
from portal.errors import ActionError
from programmes.models import Programme
from towns.models import Town
from xiaozhen.signals import Signal

from .data import method_for
from .models import IndexRun, SignalReview
from .permissions import can_review_signal, can_run_uncertainty

if TYPE_CHECKING:
    from accounts.models import User

MIN_RUNS, MAX_RUNS = 100, 20000


@transaction.atomic
def start_uncertainty_run(*, programme: Programme, by: User, runs: int = 2000, seed: int = 1) -> IndexRun:
    """Queue an uncertainty run; the db_worker computes it (vitality.tasks)."""
    can_run_uncertainty.require(by)
    method = method_for(programme)
    if method is None:
        raise ActionError("该计划没有活力指数方法文件", f"{programme.policy_id} has no vitality method file", field=None)
    if not MIN_RUNS <= runs <= MAX_RUNS:
        raise ActionError(f"运行次数应在 {MIN_RUNS}–{MAX_RUNS} 之间", f"runs must be {MIN_RUNS}–{MAX_RUNS}", field="runs")
    run = IndexRun.objects.create(programme=programme, method_id=method.spec.id, runs=runs, seed=seed,
                                  requested_by=by)
    audit.record(actor=by, verb="start_uncertainty_run", obj=run, to_state=run.status,
                 data={"programme": programme.policy_id, "method": method.spec.id, "runs": runs, "seed": seed})
    from .tasks import uncertainty_task

    transaction.on_commit(lambda: uncertainty_task.enqueue(run.pk))
    return run


def _review(*, programme: Programme, signal: Signal, by: User, status: str, reason: str) -> SignalReview:
    town = Town.objects.select_related("region").get(code=signal.town)
    can_review_signal.require(by, town)
    if not reason.strip():
        raise ActionError("请填写理由", "a reason is required", field="reason")
    if SignalReview.objects.filter(programme=programme, key=signal.key).exists():
        raise ActionError("这条线索已经处理过", "this signal has already been reviewed", field=None)
    review = SignalReview.objects.create(programme=programme, town=town, key=signal.key, kind=signal.kind,
                                         status=status, reason=reason.strip(), reviewed_by=by,
                                         evidence={"message_zh": signal.message_zh, "message_en": signal.message_en,
                                                   "strength": signal.strength, "periods": list(signal.periods),
                                                   "indicator": signal.indicator, "evidence": signal.evidence})
    audit.record(actor=by, verb=f"{status}_signal" if status == "dismissed" else "escalate_signal", obj=review,
                 from_state="open", to_state=status, reason=review.reason,
                 data={"key": signal.key, "kind": signal.kind, "programme": programme.policy_id})
    return review


@transaction.atomic
def dismiss_signal(*, programme: Programme, signal: Signal, by: User, reason: str) -> SignalReview:
    """The officer looked and found an explanation (e.g. a large project completed that year)."""
    return _review(programme=programme, signal=signal, by=by, status=str(SignalReview.Status.DISMISSED), reason=reason)


@transaction.atomic
def escalate_signal(*, programme: Programme, signal: Signal, by: User, reason: str) -> SignalReview:
    """The officer opens a fraud finding from the signal: recorded here, completed in the fraud form."""
    return _review(programme=programme, signal=signal, by=by, status=str(SignalReview.Status.ESCALATED), reason=reason)
