"""The engine's verdict on one application (live, at submission, at each decision)."""

from __future__ import annotations

import datetime as dt

from .facts import LiveVerdict, confirmed_by, evaluate_facts
from .models import Application, StepDecision


def confirmed_indicators(application: Application, *, extra_step: str | None = None) -> set[str]:
    """Indicators confirmed by the steps the latest submission has passed (and ``extra_step``)."""
    policy = application.programme.policy
    by_step: dict[str, list[str]] = {}
    for ident, step_id in confirmed_by(policy).items():
        by_step.setdefault(step_id, []).append(ident)
    passed = set()
    if application.submitted_at is not None:
        passed = set(
            StepDecision.objects.filter(
                application=application, outcome=StepDecision.Outcome.PASS,
                submission__number=application.submissions.count(),
            ).values_list("step_id", flat=True)
        )
    if extra_step:
        passed.add(extra_step)
    return {ident for step in passed for ident in by_step.get(step, [])}


def application_verdict(application: Application, *, facts: dict | None = None, category: str | None = None,
                        sub_sector: str | None = None, confirmed: set[str] | None = None) -> LiveVerdict:
    """The verdict under the programme's current version on the application's facts (or ``facts``)."""
    call = application.call
    return evaluate_facts(
        policy=application.programme.policy, town=application.town, periods=call.plan_periods,
        facts=application.facts if facts is None else facts, at=verdict_date(call),
        category=application.category if category is None else category,
        sub_sector=application.sub_sector if sub_sector is None else sub_sector,
        confirmed=confirmed_indicators(application) if confirmed is None else confirmed,
    )


def verdict_date(call) -> dt.date:
    """Parameters are read as in force when the call opened."""
    return call.opens_on
