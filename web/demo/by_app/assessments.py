"""Demo data: a published assessment of the last year for Tongzhou and Zhejiang (exits,
demotion, promotion, excellent towns, star ratings, a five-year risk review), one fraud finding
with its cancellation, and a draft run for the current year. Idempotent: a programme-year
that already has a run is left alone."""

from __future__ import annotations

import datetime as dt

from assessments import actions
from assessments.models import AssessmentRun, FraudFinding
from demo.registry import DemoContext, demo_step
from demo.steps import LAST_YEAR, decider
from regions.models import Region
from towns.actions import create_town, enrol_town, record_indicator_values
from towns.models import Enrolment, IndicatorValue, Town

PUBLISHED = ("tongzhou-towns", "zhejiang-towns")
DOCUMENT = {"tongzhou-towns": "通特办〔{y}〕{n}号", "zhejiang-towns": "浙特镇办〔{y}〕{n}号"}
RISK_TOWN = ("330110", "余杭未来科技小镇", "Yuhang Future Tech Town")


def _doc(pid: str, year: int, n: int) -> str:
    return DOCUMENT.get(pid, "考核〔{y}〕{n}号").format(y=year, n=n)


def _veteran_creation_town(ctx: DemoContext, programme) -> None:
    """A Zhejiang creation town since 2020, five years in without naming: due for the risk review."""
    region = Region.objects.get(code=RISK_TOWN[0])
    town = Town.objects.filter(name_zh=RISK_TOWN[1], region=region).first()
    model = next((t for t in ctx.towns_in_tier(programme.policy_id, "creation")), None)
    if model is None:
        return
    by = decider(ctx, programme, model)
    if town is None:
        town = create_town(by=by, region=region, name_zh=RISK_TOWN[1], name_en=RISK_TOWN[2], category=model.category,
                           sub_sector=model.sub_sector, contact_name="演示联系人")
    if not Enrolment.objects.filter(town=town, programme=programme).exists():
        enrol_town(town=town, programme=programme, tier="creation", started_on=dt.date(2020, 1, 1), by=by,
                   reason="演示数据 / demo data")
        template = IndicatorValue.objects.filter(town=model, programme=programme, basis="actual", period=str(LAST_YEAR))
        rows = [{"indicator": v.indicator_id, "period": str(year), "basis": "actual",
                 "value": v.typed_value(programme.policy.indicator(v.indicator_id).type)}
                for year in range(2020, LAST_YEAR + 1) for v in template]
        record_indicator_values(town=town, programme=programme, values=rows, by=by, source="demo", source_ref="演示数据 demo data")
    ctx.towns.setdefault(programme.policy_id, []).append(town)


@demo_step(order=120, name="annual assessments of the last year, published")
def published_assessments(ctx: DemoContext) -> None:
    for pid in PUBLISHED:
        programme = ctx.programmes.get(pid)
        if programme is None or AssessmentRun.objects.filter(programme=programme, year=LAST_YEAR).exists():
            continue
        if pid == "zhejiang-towns":
            _veteran_creation_town(ctx, programme)
        first = next(iter(ctx.towns.get(pid, [])), None)
        if first is None:
            continue
        by = decider(ctx, programme, first)
        run = actions.start_assessment(programme=programme, year=LAST_YEAR, by=by,
                                       document_number=_doc(pid, LAST_YEAR + 1, 1))
        # The office keeps the demo town body's own town on the list for a year (an override with
        # its reason), so its clerk still reports; the other towns get what the engine proposed.
        clerk_town = getattr(ctx.users.get("town"), "town_id", None)
        kept = run.proposals.filter(town_id=clerk_town) if clerk_town is not None else run.proposals.none()
        for proposal in kept.exclude(action="stay"):
            actions.override_proposal(proposal=proposal, by=by, next_tier=proposal.tier,
                                      reason="限期整改，保留一年观察（演示） / one more year to put things right (demo)")
        for proposal in run.proposals.filter(risk_review_due=True).select_related("town"):
            actions.record_risk_review(proposal=proposal, risk_grade="中", by=by,
                                       reason="评估：投资完成率尚可，主导产业集聚度偏低，建议延长创建期限（演示）")
        actions.publish_assessment(run=run, by=by)
        run.refresh_from_db()
        counts = ", ".join(f"{a} {n}" for a, n in sorted(
            {p.action: run.proposals.filter(action=p.action).count() for p in run.proposals.all()}.items()))
        ctx.say(f"  {pid} {LAST_YEAR}: published {run.document_number}: {counts}; "
                f"excellent {run.proposals.filter(excellent=True).count()}, "
                f"stars {run.proposals.filter(star_rating__isnull=False).count()}")


@demo_step(order=130, name="a fraud finding and its cancellation")
def fraud_finding(ctx: DemoContext) -> None:
    programme = ctx.programmes.get("tongzhou-towns")
    if programme is None or FraudFinding.objects.filter(enrolment__programme=programme).exists():
        return
    candidates = [e for t in ctx.towns.get("tongzhou-towns", [])
                  for e in t.enrolments.filter(programme=programme, ended_on__isnull=True, tier="creation")]
    if not candidates:
        return
    enrolment = candidates[-1]
    by = decider(ctx, programme, enrolment.town)
    finding = actions.record_fraud_finding(
        enrolment=enrolment, by=by, found_on=dt.date(LAST_YEAR + 1, 3, 10), source="群众举报，区审计局核查",
        description="季度报表虚报特色产业投资 2.3 亿元（演示）", decision_ref=_doc("tongzhou-towns", LAST_YEAR + 1, 7),
        documents=[actions.Document("核查报告.txt", "text/plain",
                                    "区审计局核查报告（演示）\n虚报特色产业投资 2.3 亿元。\n".encode())],
    )
    ctx.say(f"  {enrolment.town.name_zh}: {finding.tier_change.from_tier} → {finding.tier_change.to_tier}")


@demo_step(order=800, name="a draft annual assessment for the current year")
def draft_assessment(ctx: DemoContext) -> None:
    programme = ctx.programmes.get("tongzhou-towns")
    year = LAST_YEAR + 1
    if programme is None or AssessmentRun.objects.filter(programme=programme, year=year).exists():
        return
    first = next(iter(ctx.towns.get("tongzhou-towns", [])), None)
    if first is None:
        return
    run = actions.start_assessment(programme=programme, year=year, by=decider(ctx, programme, first),
                                   document_number=_doc("tongzhou-towns", year + 1, 1))
    ctx.say(f"  tongzhou-towns {year}: draft with {run.proposals.count()} towns")
