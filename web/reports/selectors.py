"""Read-only queries of the reports app: previous values, who is late, period overviews."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from programmes.models import Programme, deferred_document
from programmes.selectors import programmes_in_force
from towns.models import Enrolment, IndicatorValue, Town
from xiaozhen.periods import Period
from xiaozhen.reports import PROJECT_TYPES, ledger_link_for, ledger_unit

from .models import LedgerProject, Report, ReportingPeriod

if TYPE_CHECKING:
    from accounts.models import User


def previous_values(programme: Programme, period: str, towns: Iterable[Town]) -> dict[str, dict[str, Any]]:
    """town code → {indicator: value} actually reported for the period before ``period``.

    For the first quarter of a year the previous year's fourth quarter is used, and where a
    figure is missing there, that year's whole-year figure. These pre-fill the levels in the
    template and the form, and are the floor of running totals.
    """
    towns = list(towns)
    before = str(Period.parse(period).previous())
    wanted = [before] + ([before[:4]] if len(before) == 6 and before.endswith("Q4") else [])
    policy = programme.policy
    types = {i.id: i.type for i in policy.indicators if i.kind == "reported"}
    rows = (
        IndicatorValue.objects.filter(
            programme=programme, town__in=towns, period__in=wanted, basis=IndicatorValue.Basis.ACTUAL,
            indicator_id__in=list(types),
        )
        .select_related("town")
        .order_by("period")  # "2024" before "2024Q4": the quarter wins
    )
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for value in rows:
        typed = value.typed_value(types[value.indicator_id])
        if typed is not None:
            out[value.town.code][value.indicator_id] = typed
    return dict(out)


def expected_enrolments(reporting_period: ReportingPeriod) -> QuerySet[Enrolment]:
    """Enrolments that owe a report for the period: begun by its end, not ended before it began."""
    return Enrolment.objects.filter(
        programme=reporting_period.programme, started_on__lte=reporting_period.ends_on,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=reporting_period.starts_on))


def period_overview(reporting_period: ReportingPeriod, towns: QuerySet[Town], today: dt.date) -> dict[str, Any]:
    """Every expected town (of ``towns``) with its report status: submitted, late, draft or missing.

    Two queries whatever the number of towns.
    """
    enrolments = (
        expected_enrolments(reporting_period).filter(town__in=towns)
        .select_related("town__region").order_by("town__region__code", "town__code")
    )
    reports = {
        r.town_id: r
        for r in Report.objects.filter(reporting_period=reporting_period, town__in=towns).select_related("submitted_by")
    }
    overdue = today > reporting_period.due_on
    rows, counts = [], {"submitted": 0, "late": 0, "draft": 0, "missing": 0}
    seen: set[int] = set()
    for enrolment in enrolments:
        town = enrolment.town
        if town.pk in seen:
            continue
        seen.add(town.pk)
        report = reports.get(town.pk)
        if report is None:
            state = "missing"
        elif report.status == Report.Status.DRAFT:
            state = "draft"
        else:
            state = report.status
        counts[state] += 1
        rows.append({"town": town, "report": report, "state": state,
                     "is_late": state == "late" or (overdue and state in ("missing", "draft"))})
    late_list = [row for row in rows if row["is_late"]]
    return {"rows": rows, "counts": counts, "late_list": late_list, "overdue": overdue, "total": len(rows)}


def town_ledger(town: Town) -> list[dict[str, Any]]:
    """The town's ledger per programme, newest period first, with the counted total of each period."""
    projects = (
        LedgerProject.objects.filter(town=town, report__status__in=Report.SUBMITTED_STATES)
        .select_related("reporting_period__programme__current_version")
        .defer(*deferred_document("reporting_period__programme__current_version"))
        .order_by("reporting_period__programme__policy_id", "-reporting_period__ends_on", "name")
    )
    groups: dict[tuple[int, int], dict[str, Any]] = {}
    for project in projects:
        period = project.reporting_period
        key = (period.programme_id, period.pk)
        if key not in groups:
            link = ledger_link_for(period.programme.policy)
            groups[key] = {
                "programme": period.programme, "period": period, "projects": [], "counted": 0.0, "total": 0.0,
                "excluded": [PROJECT_TYPES[t] for t in link.excluded_types], "clause": link.clause,
                "unit": ledger_unit(period.programme.policy, link),
            }
        group = groups[key]
        group["projects"].append(project)
        group["total"] += project.completed_investment
        if project.counted:
            group["counted"] += project.completed_investment
    out = list(groups.values())
    # Running total of the counted investment, per programme, up to each period (oldest first).
    to_date: dict[int, float] = defaultdict(float)
    for group in reversed(out):
        to_date[group["programme"].pk] += group["counted"]
        group["counted_to_date"] = to_date[group["programme"].pk]
    return out


def _expected_count(enrolments: Sequence[Mapping[str, Any]], reporting_period: ReportingPeriod) -> int:
    towns = {
        e["town_id"] for e in enrolments
        if e["programme_id"] == reporting_period.programme_id and e["started_on"] <= reporting_period.ends_on
        and (e["ended_on"] is None or e["ended_on"] >= reporting_period.starts_on)
    }
    return len(towns)


def index_context(user: User, today: dt.date, *, with_bulletins: bool = True) -> dict[str, Any]:
    """The reports home page: periods with their counts (officers), or the user's own reports (town bodies).

    A fixed number of queries whatever the number of towns and periods. The dashboard's panels show no
    bulletins and ask for none (``with_bulletins=False``): two queries fewer on every role's home page.
    """
    from accounts.models import Role
    from towns.permissions import visible_towns

    from .models import Reminder
    from .permissions import can_manage_reporting, visible_bulletins

    towns = visible_towns(user)
    enrolments = list(Enrolment.objects.filter(town__in=towns).values("town_id", "programme_id", "started_on", "ended_on"))
    programme_ids = {e["programme_id"] for e in enrolments}
    programmes = programmes_in_force()
    managed = [p for p in programmes if can_manage_reporting(user, p)]
    programme_ids |= {p.pk for p in managed}
    periods = list(ReportingPeriod.objects.filter(programme_id__in=programme_ids).select_related("programme")
                   .order_by("programme__policy_id", "-ends_on"))
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for count in Report.objects.filter(reporting_period__in=periods, town__in=towns).values("reporting_period_id", "status"):
        counts[(count["reporting_period_id"], count["status"])] += 1
    rows: list[dict[str, Any]] = []
    for rp in periods:
        expected = _expected_count(enrolments, rp)
        submitted = counts[(rp.pk, Report.Status.SUBMITTED)] + counts[(rp.pk, Report.Status.LATE)]
        rows.append({"rp": rp, "expected": expected, "submitted": submitted, "late": counts[(rp.pk, Report.Status.LATE)],
                     "missing": max(expected - submitted, 0), "overdue": today > rp.due_on})
    own: list[dict[str, Any]] = []
    reminders: list[Any] = []
    if user.is_authenticated and user.role == Role.TOWN_BODY and user.town_id:
        mine = {r.reporting_period_id: r for r in Report.objects.filter(town_id=user.town_id, reporting_period__in=periods)}
        for row in rows:
            rp = row["rp"]
            if _expected_count([e for e in enrolments if e["town_id"] == user.town_id], rp):
                report = mine.get(rp.pk)
                own.append({"rp": rp, "report": report, "town": user.town,
                            "is_late": today > rp.due_on and not (report and report.is_submitted)})
        # A reminder stands only while the report is still owed: once it is in (late or not) it goes.
        filed = Report.objects.filter(town_id=OuterRef("town_id"), reporting_period_id=OuterRef("reporting_period_id"),
                                      status__in=Report.SUBMITTED_STATES)
        reminders = list(Reminder.objects.filter(town_id=user.town_id).exclude(Exists(filed))
                         .select_related("reporting_period__programme", "town")[:10])
    # The list shows period, programme and status: the ranking itself (``content``) stays in the database.
    bulletins = list(visible_bulletins(user).defer("content").order_by(
        "-reporting_period__ends_on", "reporting_period__programme__policy_id")[:20]) if with_bulletins else []
    return {"rows": rows, "managed": managed, "own": own, "reminders": reminders, "today": today, "bulletins": bulletins,
            "is_town_body": bool(own) or (user.is_authenticated and user.role == Role.TOWN_BODY)}


def draft_problems(report: Report) -> tuple[Any, ...]:
    """What submitting this draft would refuse (checked, nothing saved), to show beside it."""
    from xiaozhen.reports import check_values

    rp = report.reporting_period
    code = report.town.code
    upload = check_values(
        {code: report.values}, rp.programme.policy, rp.period, previous_values(rp.programme, rp.period, [report.town]),
        ledger_rows=[{"town_id": code, **row} for row in report.ledger], towns={code},
    )
    return upload.problems
