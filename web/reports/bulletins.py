"""What goes into a quarterly bulletin (通报), gathered from the database and ranked by the core.

* the progress ranking (``xiaozhen.reports.rank_progress``, measure per programme:
  ``progress_measure``) of the towns that reported;
* late reports (submitted after the due date) and missing ones (none, or a draft only);
* qualifications cancelled from the period's start to the day the bulletin is drawn up:
  tier changes whose transition's action is ``cancel`` (e.g. fraud, 003 §五(三)), read from
  ``towns.TierChange``. A cancelled town is left out of the ranking, the late and the missing.

The result is plain JSON, stored on the Bulletin so a published bulletin never changes
when later reports or ledgers do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Min
from django.utils import timezone

from towns.models import TierChange
from xiaozhen.reports import (
    TownProgress,
    ledger_link_for,
    ledger_unit,
    progress_measure,
    rank_progress,
)

from .models import LedgerProject, Report, ReportingPeriod, ReportRevision
from .selectors import expected_enrolments


def _cancellations(reporting_period: ReportingPeriod, today: dt.date) -> list[dict[str, Any]]:
    """Cancellations from the period's first day up to the day the bulletin is drawn up: one decided
    after the quarter ended but before the bulletin is still news the bulletin must carry."""
    changes = (
        TierChange.objects.filter(
            enrolment__programme=reporting_period.programme,
            effective_on__gte=reporting_period.starts_on, effective_on__lte=today,
        )
        .select_related("enrolment__town", "programme_version")
        .order_by("effective_on", "pk")
    )
    out = []
    for change in changes:
        policy = change.programme_version.policy
        transition = next((t for t in policy.lifecycle.transitions if t.id == change.transition_id), None)
        if transition is None or transition.action != "cancel":
            continue
        town = change.enrolment.town
        out.append({
            "town": town.code, "name": town.name_zh, "name_en": town.name_en, "from_tier": change.from_tier,
            "to_tier": change.to_tier, "effective_on": change.effective_on.isoformat(), "reason": change.reason,
            "decision_ref": change.decision_ref, "clause": change.clause or transition.clause,
        })
    return out


def _progress(reporting_period: ReportingPeriod, reports: list[Report], expected: int) -> list[TownProgress]:
    """Each reporting town's ledger to date: counted plan (latest per project), completed to date and in period."""
    towns = [r.town_id for r in reports]
    projects = (
        LedgerProject.objects.filter(
            town_id__in=towns, reporting_period__programme=reporting_period.programme,
            reporting_period__ends_on__lte=reporting_period.ends_on, report__status__in=Report.SUBMITTED_STATES,
            counted=True,
        )
        .values("town_id", "name", "planned_investment", "completed_investment", "reporting_period_id",
                "reporting_period__ends_on")
        .order_by("reporting_period__ends_on")
    )
    plan: dict[int, dict[str, float]] = defaultdict(dict)
    to_date: dict[int, float] = defaultdict(float)
    in_period: dict[int, float] = defaultdict(float)
    for p in projects:
        if p["planned_investment"] is not None:
            plan[p["town_id"]][p["name"]] = p["planned_investment"]  # the latest period's plan wins
        to_date[p["town_id"]] += p["completed_investment"]
        if p["reporting_period_id"] == reporting_period.pk:
            in_period[p["town_id"]] += p["completed_investment"]
    return [
        TownProgress(
            town_id=r.town.code, name=r.town.name_zh,
            planned=sum(plan[r.town_id].values()) if plan[r.town_id] else None,
            completed_to_date=to_date[r.town_id], completed_in_period=in_period[r.town_id],
            given=len(r.values), expected=expected, late=r.status == Report.Status.LATE,
        )
        for r in reports
    ]


def compose_bulletin(reporting_period: ReportingPeriod, *, today: dt.date) -> dict[str, Any]:
    programme = reporting_period.programme
    policy = programme.policy
    measure = progress_measure(policy)
    reported = [i for i in policy.indicators if i.kind == "reported"]
    cancellations = _cancellations(reporting_period, today)
    # A cancelled town is announced as cancelled; it is neither ranked nor counted as owing a report.
    cancelled = {c["town"] for c in cancellations}
    enrolments = [e for e in expected_enrolments(reporting_period).select_related("town").order_by("town__code")
                  if e.town.code not in cancelled]
    reports = {
        r.town_id: r
        for r in Report.objects.filter(reporting_period=reporting_period).select_related("town")
    }
    submitted = [reports[e.town_id] for e in enrolments if e.town_id in reports and reports[e.town_id].is_submitted]
    ranking = rank_progress(_progress(reporting_period, submitted, len(reported)), measure.id)
    missing = [
        {"town": e.town.code, "name": e.town.name_zh, "name_en": e.town.name_en,
         "draft": e.town_id in reports}
        for e in enrolments if not (e.town_id in reports and reports[e.town_id].is_submitted)
    ]
    late_reports = [r for r in submitted if r.status == Report.Status.LATE]
    # Days late count from the first submission: a later correction does not make a report later.
    first = dict(ReportRevision.objects.filter(report__in=late_reports, kind=ReportRevision.Kind.SUBMIT)
                 .values("report_id").annotate(first=Min("at")).values_list("report_id", "first"))
    late = [
        {"town": r.town.code, "name": r.town.name_zh, "name_en": r.town.name_en,
         "submitted_at": first[r.pk].isoformat() if r.pk in first else None,
         "days_late": (timezone.localdate(first[r.pk]) - reporting_period.due_on).days if r.pk in first else None}
        for r in late_reports
    ]
    scope = policy.reporting.bulletin_scope
    return {
        "programme": programme.policy_id,
        "period": reporting_period.period,
        "due_on": reporting_period.due_on.isoformat(),
        "as_of": today.isoformat(),
        "scope": {"zh": scope.zh, "en": scope.en} if scope else None,
        "reporting_clause": policy.reporting.clause,
        "unit": ledger_unit(policy, ledger_link_for(policy)),
        "measure": {"id": measure.id, "zh": measure.label_zh, "en": measure.label_en, "clause": measure.clause},
        "ranking": [
            {"rank": t.rank, "town": t.town_id, "name": t.name, "score": t.score, "numbers": t.numbers, "late": t.late,
             "percent": round(t.score * 100, 1) if t.score is not None else None}
            for t in ranking
        ],
        "late": late,
        "missing": missing,
        "cancellations": cancellations,
        "counts": {"expected": len(enrolments), "submitted": len(submitted), "late": len(late),
                   "missing": len(missing)},
    }
