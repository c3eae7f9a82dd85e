"""Demo: one planted case per data-signal kind, enterprise claims, and a finished uncertainty run.

Every figure is changed through ``record_indicator_values`` (source "manual", with a reason), as an officer
correcting a figure would; the signals page then shows what the checks make of them. Idempotent: a second
``load_demo`` finds the planted claim and the finished run and does nothing.
"""

from __future__ import annotations

import math
from typing import Any

from demo.registry import DemoContext, demo_step
from demo.steps import province_officer
from reports.models import LedgerProject
from towns.actions import record_indicator_values
from towns.models import Enterprise, IndicatorValue, Town
from vitality.actions import start_uncertainty_run
from vitality.models import EnterpriseClaim, IndexRun
from vitality.tasks import compute_run

REASON = "演示：植入的数据线索 / demo: a planted data signal"


def _value(town: Town, programme: Any, indicator: str, period: str) -> float | None:
    row = IndicatorValue.objects.filter(town=town, programme=programme, indicator_id=indicator, period=period,
                                        basis="actual").values_list("number", flat=True).first()
    return None if row is None else float(row)


def _record(ctx: DemoContext, town: Town, programme: Any, rows: list[dict[str, Any]]) -> None:
    record_indicator_values(town=town, programme=programme, by=province_officer(ctx, town), source="manual",
                            source_ref="演示数据 demo data", reason=REASON,
                            values=[{**r, "basis": "actual"} for r in rows])


def _round(v: float) -> float:
    step = 0.5 * 10 ** math.floor(math.log10(abs(v))) if v else 1.0
    return round(v / step) * step


def _plant_zhejiang(ctx: DemoContext) -> None:
    programme = ctx.programmes["zhejiang-towns"]
    # towns with several years of actual figures, most figures first
    counts = {t.pk: IndicatorValue.objects.filter(town=t, programme=programme, basis="actual").count()
              for t in ctx.towns.get("zhejiang-towns", [])}
    towns = sorted((t for t in ctx.towns.get("zhejiang-towns", []) if counts[t.pk] >= 20),
                   key=lambda t: (-counts[t.pk], t.code))
    if len(towns) < 7:
        return
    policy = programme.policy
    amounts = [i.id for i in policy.indicators if i.kind == "reported" and i.type in ("amount", "number")
               and not i.part_of]
    # spike: main-business revenue six times the year before, then back
    base = _value(towns[0], programme, "main_revenue", "2024")
    if base:
        _record(ctx, towns[0], programme, [{"indicator": "main_revenue", "period": "2024", "value": round(base * 6, 2)}])
    # repeated figures: tax copied forward four years
    tax = _value(towns[1], programme, "tax", "2022")
    if tax:
        _record(ctx, towns[1], programme, [{"indicator": "tax", "period": str(y), "value": tax} for y in range(2023, 2026)])
    # round-number heaping: every figure of a town rounded
    rows = [{"indicator": i, "period": p, "value": _round(float(n))} for i, p, n in
            IndicatorValue.objects.filter(town=towns[2], programme=programme, basis="actual", indicator_id__in=amounts,
                                          number__gt=0).values_list("indicator_id", "period", "number") if n is not None]
    if rows:
        _record(ctx, towns[2], programme, rows)
    # Benford: a town whose figures all start with 5–9 (made up within a narrow band)
    rng = ctx.rng("vitality:benford")
    rows = [{"indicator": i, "period": p, "value": round(rng.uniform(5, 9.9) * 10 ** math.floor(
        math.log10(float(n))), 4)} for i, p, n in
            IndicatorValue.objects.filter(town=towns[3], programme=programme, basis="actual", indicator_id__in=amounts,
                                          number__gt=0).values_list("indicator_id", "period", "number") if n is not None]
    if rows:
        _record(ctx, towns[3], programme, rows)
    # part larger than its whole, in a fourth-quarter report that the annual figures superseded (the engine
    # reads the whole-year row, so assessments are unaffected; the signal reads every figure as reported).
    # Whole and part are recorded separately, as two corrections would be.
    whole = _value(towns[6], programme, "investment", "2025")
    if whole and _value(towns[6], programme, "excluded_investment", "2025") is not None:
        _record(ctx, towns[6], programme, [{"indicator": "investment", "period": "2025Q4", "value": round(whole / 4, 2)}])
        _record(ctx, towns[6], programme, [{"indicator": "excluded_investment", "period": "2025Q4",
                                            "value": round(whole / 4 * 1.3, 2)}])
    # enterprise claims: each town lists its registry enterprises; towns[4] also claims one of towns[5]'s
    for town in towns:
        for enterprise in Enterprise.objects.filter(town=town):
            for year in (2024, 2025):
                EnterpriseClaim.objects.get_or_create(credit_code=enterprise.credit_code, town=town, year=year,
                                                      defaults={"name": enterprise.name_zh})
    other = Enterprise.objects.filter(town=towns[5]).first()
    if other is not None:
        EnterpriseClaim.objects.get_or_create(credit_code=other.credit_code, town=towns[4], year=2025,
                                              defaults={"name": other.name_zh})


def _plant_ledger_mismatch(ctx: DemoContext) -> None:
    """A reported investment corrected by hand after the report, no longer matching its project ledger."""
    line = LedgerProject.objects.select_related("town", "reporting_period__programme").order_by("pk").first()
    if line is None:
        return
    programme = line.reporting_period.programme
    total = sum(LedgerProject.objects.filter(town=line.town, reporting_period=line.reporting_period)
                .values_list("completed_investment", flat=True))
    from xiaozhen.reports import ledger_link_for

    link = ledger_link_for(programme.policy)
    if link.total and total:
        _record(ctx, line.town, programme, [{"indicator": link.total, "period": line.reporting_period.period,
                                             "value": round(total * 1.4, 2)}])


def _plant_cumulative(ctx: DemoContext) -> None:
    """A to-date (cumulative) figure that goes down."""
    row = (IndicatorValue.objects.filter(indicator_id__endswith="_to_date", basis="actual", number__gt=0)
           .exclude(period__contains="Q").select_related("town", "programme").order_by("town__code", "-period").first())
    if row is None:
        return
    _record(ctx, row.town, row.programme, [{"indicator": row.indicator_id, "period": str(int(row.period) + 1),
                                            "value": round(float(row.number or 0) * 0.7, 2)}])


@demo_step(order=160, name="vitality: planted data signals and a finished uncertainty run")
def vitality_demo(ctx: DemoContext) -> None:
    if "zhejiang-towns" not in ctx.programmes:
        return
    if not EnterpriseClaim.objects.exists():
        _plant_zhejiang(ctx)
        _plant_ledger_mismatch(ctx)
        _plant_cumulative(ctx)
    programme = ctx.programmes["zhejiang-towns"]
    if not IndexRun.objects.filter(programme=programme, status=IndexRun.Status.DONE).exists():
        towns = ctx.towns.get("zhejiang-towns", [])
        if not towns:
            return
        run = start_uncertainty_run(programme=programme, by=province_officer(ctx, towns[0]), runs=2000, seed=1)
        compute_run(run.pk)  # the demo shows a finished run without waiting for the worker
        ctx.say(f"  vitality: uncertainty run #{run.pk} for zhejiang-towns ({run.runs} runs)")
