"""Read-only queries over enterprises and per-mu results, for pages and for other apps.

    latest_town_classes(town)        the town's class counts in the latest published run (issue 13
                                     colours towns by these)
    town_per_mu_aggregates(year)     per town: firms, land, tax and value added per mu, class
                                     counts (issue 14, the vitality index, reads these)
    town_leaderboard(town)           the town's firms in the latest published run, best first
    per_mu_leading_towns(year, n)    002 §三(三) 亩均效益领跑者, computed from enterprise results:
                                     towns ranked by their firms' in-scope tax per mu
    registry_indicators(town, year)  town indicators that are counts or sums over its firms
                                     (000 第二部分(六) R&D-institution share, 001 high-tech count …),
                                     each with its source, when the registry has data
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast

from .models import EnterpriseYear, PerMuResult, PerMuRun

CLASSES = ("A", "B", "C", "D")


def _latest_published(county_code: str, year: int | None = None) -> PerMuRun | None:
    runs = PerMuRun.objects.filter(county__code=county_code, status=PerMuRun.Status.PUBLISHED)
    if year is not None:
        runs = runs.filter(year=year)
    return runs.order_by("-year", "-published_at").first()


def latest_town_classes(town: Any) -> dict[str, Any] | None:
    """{"year", "run", "A": n, "B": n, "C": n, "D": n} for the town's latest published run, or None."""
    run = _latest_published(town.region.code)
    if run is None:
        return None
    counts = dict(run.results.filter(town=town).exclude(klass="").values_list("klass").annotate(n=Count("pk")))
    return {"year": run.year, "run": run, **{c: counts.get(c, 0) for c in CLASSES}}


def town_per_mu_aggregates(year: int) -> list[dict[str, Any]]:
    """Per town, over the published runs of ``year``: firms graded, land, tax per mu and class counts."""
    rows = (
        PerMuResult.objects.filter(run__year=year, run__status=PerMuRun.Status.PUBLISHED)
        .exclude(status=PerMuResult.Status.OUT_OF_SCOPE)
        .values("town_id", "town__code", "town__name_zh")
        .annotate(firms=Count("pk"), land_mu=Sum("land_mu"), tax=Sum("tax"),
                  **{f"class_{c}": Count("pk", filter=Q(klass=c)) for c in CLASSES})
        .order_by("town__code")
    )
    return [{**r, "tax_per_mu": (r["tax"] or 0) / r["land_mu"] if r["land_mu"] else None} for r in rows]


def town_leaderboard(town: Any, run: PerMuRun | None = None) -> tuple[PerMuRun | None, QuerySet[PerMuResult]]:
    run = run or _latest_published(town.region.code)
    if run is None:
        return None, PerMuResult.objects.none()
    return run, run.results.filter(town=town, status=PerMuResult.Status.GRADED).order_by("rank", "credit_code")


def per_mu_leading_towns(year: int, top: int = 10) -> list[dict[str, Any]]:
    """002 §三(三) 亩均效益领跑者 from enterprise results: towns by in-scope tax per mu, best first.

    Only towns with at least one graded firm in a published run count; ties are broken by the
    share of A-class firms, then by town code.
    """
    rows = [r for r in town_per_mu_aggregates(year) if r["tax_per_mu"] is not None and r["firms"]]
    for r in rows:
        graded = sum(r[f"class_{c}"] for c in CLASSES)
        r["a_share"] = r["class_A"] / graded if graded else 0.0
    rows.sort(key=lambda r: (-r["tax_per_mu"], -r["a_share"], r["town__code"]))
    return rows[:top]


def registry_indicators(town: Any, year: int) -> dict[str, dict[str, Any]]:
    """Town indicators counted from its firms for ``year``, each {"value", "source", "basis"}; {} without data.

    - rd_institution_share: above-scale firms with an R&D institution ÷ above-scale firms
      (000 第二部分(六): ≥ 20 %);
    - high_tech_enterprises: firms holding a high-tech certificate (001 §三(四));
    - above_scale_enterprises, per_mu_tax (Σ tax ÷ Σ land), rd_intensity (Σ R&D ÷ Σ revenue).
    """
    firms = EnterpriseYear.objects.filter(town=town, year=year)
    totals = firms.aggregate(
        n=Count("pk"),
        above=Count("pk", filter=Q(above_scale=True)),
        above_rd=Count("pk", filter=Q(above_scale=True, rd_institution=True)),
        above_rd_known=Count("pk", filter=Q(above_scale=True, rd_institution__isnull=False)),
        high_tech=Count("pk", filter=Q(high_tech=True)),
        tax=Sum(Cast("tax", FloatField())),
        land=Sum(Cast(F("land_owned_mu") + F("land_leased_mu"), FloatField())),
        rd=Sum(Cast("rd_spend", FloatField())),
        revenue=Sum(Cast("revenue", FloatField())),
    )
    if not totals["n"]:
        return {}
    source = f"企业库 {year} 年 {totals['n']} 家企业 / enterprise registry, {totals['n']} firms in {year}"
    out: dict[str, dict[str, Any]] = {
        "above_scale_enterprises": {"value": totals["above"], "source": source, "basis": "count"},
        "high_tech_enterprises": {"value": totals["high_tech"], "source": source, "basis": "count"},
    }
    if totals["above"] and totals["above_rd_known"] == totals["above"]:
        out["rd_institution_share"] = {"value": totals["above_rd"] / totals["above"], "source": source,
                                       "basis": f"{totals['above_rd']} ÷ {totals['above']}"}
    if totals["land"]:
        out["per_mu_tax"] = {"value": (totals["tax"] or 0) / totals["land"], "source": source, "basis": "Σ tax ÷ Σ land"}
    if totals["revenue"]:
        out["rd_intensity"] = {"value": (totals["rd"] or 0) / totals["revenue"], "source": source,
                               "basis": "Σ R&D ÷ Σ revenue"}
    return out


def zone_pools(town: Any, year: int) -> dict[str, Any]:
    """001 §三(四)2–3 for one zone: the cultivation pool, rewards with per-firm floor findings,
    gazelles and 十亿级/百亿级 leaders from the registry."""
    from xiaozhen.enterprises import Reward, check_rewards, gazelles, leaders

    from .actions import county_facts
    from .models import CultivationEntry, HighTechReward

    rewards = list(HighTechReward.objects.filter(town=town).order_by("-year", "credit_code"))
    findings = {f.reward.credit_code + f.reward.kind + str(f.reward.amount): f for f in check_rewards([
        Reward(credit_code=r.credit_code, name=r.name, kind="first" if r.kind == "first" else "renewal",
               amount=r.amount_wan, year=r.year)
        for r in rewards])}
    facts = county_facts(town.region)
    facts = facts.filter(facts["town_id"] == town.code) if not facts.is_empty() else facts
    return {
        "pool": list(CultivationEntry.objects.filter(town=town)),
        "rewards": [(r, findings.get(r.credit_code + r.kind + str(r.amount_wan))) for r in rewards],
        "gazelles": gazelles(facts, year).to_dicts() if not facts.is_empty() else [],
        "leaders": leaders(facts, year).to_dicts() if not facts.is_empty() else [],
    }


def run_class_shares(run: PerMuRun, bands: Any) -> tuple[list[tuple[Any, str]], str]:
    """Each class with its share of graded firms as the run used it (an office may have set its own, recorded on
    the run's audit row), as (band, "20%"), and where the shares come from."""
    from decimal import Decimal

    from audit.models import AuditEntry

    entry = AuditEntry.objects.filter(verb="run_per_mu", object_id=str(run.pk)).only("data").first()
    data = entry.data if entry is not None else {}
    recorded = data.get("class_shares") or {b.id: str(b.up_to) for b in bands}
    out, previous = [], Decimal(0)
    for band in bands:
        up_to = Decimal(recorded.get(band.id, str(band.up_to)))
        out.append((band, f"{float((up_to - previous) * 100):g}%"))
        previous = up_to
    return out, data.get("class_shares_source", "")
