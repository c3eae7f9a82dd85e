"""Demo quarterly reports: the last three quarters and the current one for Tongzhou's and Guangxi's
quarterly programmes — reports on time, late and missing, a corrected report (two revisions), a
draft with errors, ledgers, reminders, a published bulletin and one under review. The demo
``town`` login has last quarter's draft to fix and this quarter's report to file.

Every step is idempotent: periods, reports and bulletins that exist are left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import Role
from demo.registry import DemoContext, demo_step
from demo.steps import _account
from programmes.models import Programme
from reports.actions import (
    ReportRejected,
    generate_bulletin,
    open_reporting_period,
    publish_bulletin,
    save_report_draft,
    send_report_reminders,
    submit_report_values,
)
from reports.models import Bulletin, Report, ReportingPeriod
from reports.permissions import can_manage_reporting
from towns.models import Town
from xiaozhen.periods import Period
from xiaozhen.reports import PROJECT_TYPES, ledger_link_for

PROGRAMMES = ("tongzhou-towns", "guangxi-innovation-towns")
_PROJECT_NAMES = {
    "feature_industry": "特色产业园项目",
    "residential": "人才公寓项目",
    "commercial_complex": "商业综合体项目",
    "other": "配套道路及管网工程",
}


def _manager(ctx: DemoContext, programme: Programme):
    for user in ctx.users.values():
        if can_manage_reporting(user, programme):
            return user
    return None


def _county_office(ctx: DemoContext, town: Town):
    """The county office that files for ``town`` (the demo ``county`` login for Tongzhou's towns)."""
    for user in ctx.users.values():
        if user.role == Role.COUNTY_OFFICE and user.region_id and town.region.code.startswith(user.region.scope_prefix):
            return user
    code = town.region.code
    return _account(ctx, f"county-{code}", f"county-{code}", Role.COUNTY_OFFICE, code,
                    f"{town.region.name_zh}办公室", f"county office of {town.region.name_en}")


def _filer(ctx: DemoContext, town: Town):
    clerk = ctx.users.get("town")
    if clerk is not None and clerk.town_id == town.pk:
        return clerk
    return _county_office(ctx, town)


def _figures(programme: Programme, town: Town, period: str, rng) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Values and ledger rows that agree with each other under the programme's ledger link."""
    link = ledger_link_for(programme.policy)
    if link.total is None:
        return {}, []
    short = town.name_zh.removesuffix("小镇")
    rows: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    covered: set[str] = set()
    for ident, types in link.parts.items():
        kind = types[0]
        amount = round(rng.uniform(0.4, 2.5) if kind == "feature_industry" else rng.uniform(0.05, 0.6), 2)
        rows.append({"project_name": f"{short}{_PROJECT_NAMES[kind]}", "project_type": kind,
                     "planned_investment": 24.0 if kind == "feature_industry" else 4.0, "completed_investment": amount})
        values[ident] = amount
        covered.update(types)
    if "other" not in covered:
        amount = round(rng.uniform(0.05, 0.4), 2)
        rows.append({"project_name": f"{short}{_PROJECT_NAMES['other']}", "project_type": "other",
                     "planned_investment": 3.0, "completed_investment": amount})
    values[link.total] = round(sum(r["completed_investment"] for r in rows), 2)
    return values, rows


def _received(rp: ReportingPeriod, days: int) -> dt.datetime:
    """A time ``days`` after the due date (negative: before it), in working hours."""
    day = rp.due_on + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def _submit(ctx, programme, rp, town, rng, *, days: int, key: str = "") -> Report | None:
    values, ledger = _figures(programme, town, rp.period, rng)
    if not values:
        return None
    try:
        return submit_report_values(town=town, programme=programme, period=rp.period, values=values, ledger=ledger,
                                    by=_filer(ctx, town), source="online", key=key or f"demo-{rp.period}",
                                    received_at=min(_received(rp, days), timezone.now()))
    except ReportRejected as exc:  # a demo figure the checks refuse is a bug in this file
        ctx.say(f"  ! {town.code} {rp.period}: {exc}")
        return None


@demo_step(order=120, name="quarterly reports, ledgers, reminders and bulletins")
def quarterly_reports(ctx: DemoContext) -> None:
    today = timezone.localdate()
    clerk = ctx.users.get("town")
    for policy_id in PROGRAMMES:
        programme = ctx.programmes.get(policy_id) or Programme.objects.filter(policy_id=policy_id).first()
        if programme is None or programme.policy.reporting.frequency != "quarter":
            continue
        manager = _manager(ctx, programme)
        if manager is None:
            continue
        current = Period.for_date(today, "quarter")
        last = str(current.previous())
        periods = [str(current.previous().previous().previous()), str(current.previous().previous()), last,
                   str(current)]
        towns = [t for t in ctx.towns.get(policy_id, []) if t.enrolments.filter(programme=programme,
                                                                                   ended_on__isnull=True).exists()]
        rng = ctx.rng(f"reports:{policy_id}")
        for index, period in enumerate(periods):
            rp = ReportingPeriod.objects.filter(programme=programme, period=period).first()
            if rp is None:
                rp = open_reporting_period(programme=programme, period=period, by=manager)
            elif Report.objects.filter(reporting_period=rp).exists():
                continue  # loaded before
            for n, town in enumerate(towns):
                is_clerk = clerk is not None and clerk.town_id == town.pk
                if period == str(current):  # periods are strings here; a Period never equals one
                    if n % 3 == 1 and not is_clerk:  # a few file early; the clerk still has it to do
                        _submit(ctx, programme, rp, town, rng, days=-40)
                    continue
                if is_clerk and clerk is not None and period == last:
                    values, ledger = _figures(programme, town, period, rng)
                    link = ledger_link_for(programme.policy)
                    if link.total:
                        values[link.total] = "约2亿"  # not a figure: the draft keeps it, submitting refuses it
                    save_report_draft(town=town, reporting_period=rp, values=values, ledger=ledger, by=clerk)
                    continue
                if n % 5 == 4:
                    continue  # missing
                late = n % 5 == 3
                report = _submit(ctx, programme, rp, town, rng, days=4 + n % 7 if late else -(1 + n % 6))
                if report is not None and index == 2 and n % 5 == 0:
                    # a correction after submitting: a second revision with a changed feature figure
                    values, ledger = dict(report.values), [dict(r) for r in report.ledger]
                    link = ledger_link_for(programme.policy)
                    feature = next((i for i, t in link.parts.items() if "feature_industry" in t), None)
                    if feature and link.total:
                        extra = 0.3
                        values[feature] = round(values[feature] + extra, 2)
                        values[link.total] = round(values[link.total] + extra, 2)
                        for row in ledger:
                            if row["project_type"] == "feature_industry":
                                row["completed_investment"] = round(row["completed_investment"] + extra, 2)
                        submit_report_values(town=town, programme=programme, period=period, values=values,
                                             ledger=ledger, by=_filer(ctx, town), source="online",
                                             key=f"demo-{period}-correction",
                                             received_at=min(_received(rp, 1), timezone.now()))
        for index, period in enumerate(periods[1:3]):
            rp = ReportingPeriod.objects.get(programme=programme, period=period)
            if today <= rp.due_on or Bulletin.objects.filter(reporting_period=rp).exists():
                continue
            bulletin = generate_bulletin(reporting_period=rp, by=manager,
                                         note="请排名靠后及逾期未报的小镇抓紧整改。" if index == 0 else "")
            if index == 0:  # the older one is published; the last quarter's waits for review
                publish_bulletin(bulletin=bulletin, by=manager)
        ctx.say(f"  {policy_id}: {len(periods)} reporting periods, {Report.objects.filter(reporting_period__programme=programme).count()} reports")
    created = send_report_reminders(today=today)
    ctx.say(f"  reminders created: {created}; project types: {', '.join(zh for zh, _ in PROJECT_TYPES.values())}")
