"""Demo data for enterprises and the per-mu evaluation: 诸暨市 (330681), three years of firms in two
towns, one evaluation published and the latest on public notice with an objection.

The figures are built to look like a county statistics bureau's: each firm's output grows or
shrinks a few per cent a year; value added is 18–30 % of output and tax 10–25 % of value added
(so tax < value added < output); R&D is 1–5 % of revenue; employees follow output. Each firm keeps
its own shares, drifting by at most 3 % a year, so its tax moves with its output rather than jumping. The firms'
land adds up to about 1,000 亩 in 大唐袜艺小镇 and 780 亩 in 店口五金小镇 — within the 0.5–1 km² of
construction land a characteristic town holds (750–1,500 亩). One firm in 大唐 replaced its
looms in the last year (机器换人): its output per mu rises by a third and it moves up a class,
which is the story the demo prints.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.actions import create_user
from accounts.models import Role, User
from demo.registry import DemoContext, demo_step
from enterprises import actions
from enterprises.models import CultivationEntry, EnterpriseYear, PerMuRun
from regions.models import Region
from towns.actions import create_town
from towns.models import Town
from xiaozhen.codes import credit_code_check_char
from xiaozhen.tabular import Table, csv_bytes

COUNTY = "330681"
LAST_YEAR = dt.date.today().year - 1
YEARS = (LAST_YEAR - 2, LAST_YEAR - 1, LAST_YEAR)
# (town name, industry, GB/T 4754 code, firms, mean land in 亩)
TOWNS = [("大唐袜艺小镇", "针纺", "1763", 46, 30.0), ("店口五金小镇", "五金", "3389", 30, 38.0)]
PREFIX = "金银恒丰盛华宇永鑫达海泰利源通隆昌祥兴宏"
STORY_NAME = "诸暨市织梦针纺有限公司"


def _code(n: int) -> str:
    first = f"91{COUNTY}MA2{n:06d}"
    return first + credit_code_check_char(first)


def _county_office(ctx: DemoContext) -> User:
    user = User.objects.filter(username="county-zhuji").first()
    if user is None:
        user = create_user(username="county-zhuji", password="demo-county-zhuji", role=Role.COUNTY_OFFICE,
                           region=Region.objects.get(code=COUNTY), full_name="诸暨市经信局 亩均办 楼科长",
                           check_password=False)
    ctx.add_login("county-zhuji", "demo-county-zhuji", "诸暨市 county office: per-mu evaluation (亩均评价)")
    return user


def _towns(ctx: DemoContext) -> list[Town]:
    county = Region.objects.get(code=COUNTY)
    officer = User.objects.filter(role=Role.PROVINCIAL_OFFICER, region__code="330000").first()
    found = []
    for name, *_ in TOWNS:
        town = Town.objects.filter(region=county, name_zh=name).first()
        if town is None and officer is not None:
            town = create_town(by=officer, region=county, name_zh=name, category="manufacturing")
        if town is not None:
            found.append(town)
    return found


def _rows(ctx: DemoContext, towns: list[Town]) -> list[dict[str, Any]]:
    rng = ctx.rng("enterprises:zhuji")
    rows: list[dict[str, Any]] = []
    n = 0
    for town, (_, industry, code, firms, land_mean) in zip(towns, TOWNS, strict=False):
        for k in range(firms):
            n += 1
            story = town.name_zh == "大唐袜艺小镇" and k == 5
            name = STORY_NAME if story else f"诸暨市{rng.choice(PREFIX)}{rng.choice(PREFIX)}{industry}有限公司"
            above = rng.random() < 0.72
            land = round(max(3.5, rng.lognormvariate(3.2, 0.55)) if above else rng.uniform(2.0, 14.0), 1)
            land = round(land * land_mean / 30.0, 1)
            leased = round(rng.choice([0.0, 0.0, 0.0, rng.uniform(1, 6)]), 1)
            founded = rng.choice([1995, 1999, 2003, 2006, 2010, 2013, 2016, 2019, LAST_YEAR])
            founded = min(founded, 2010) if story else founded  # the story needs its firm before and after
            output = (land + leased) * rng.uniform(120, 380) * (1.0 if above else 0.6)
            output *= 0.8 if story else 1.0  # old looms: a middling firm before its upgrade
            has_rd = rng.random() < 0.4
            # A firm's shares are its own and drift a little a year, as a statistics bureau's series do:
            # value added 18–30 % of output, tax 10–25 % of value added, output per employee 55–95 万元.
            share = {"va": rng.uniform(0.18, 0.30), "tax": rng.uniform(0.10, 0.25), "revenue": rng.uniform(0.95, 1.04),
                     "energy": rng.uniform(0.015, 0.05), "emissions": rng.uniform(0.0004, 0.002),
                     "per_head": rng.uniform(55, 95), "rd": rng.uniform(0.01, 0.05)}
            reports_emissions = rng.random() < 0.7
            reports_rd = has_rd or rng.random() < 0.3
            high_tech = has_rd and rng.random() < 0.5  # a certificate runs three years (GB: 高企认定)
            for year in YEARS:
                if founded > year:
                    continue
                if year > YEARS[0]:
                    growth = 1.36 if story and year == LAST_YEAR else rng.uniform(0.96, 1.10)
                    output *= growth
                    share = {k: v * rng.uniform(0.97, 1.03) for k, v in share.items()}
                va = output * min(share["va"], 0.30)
                tax = va * min(share["tax"], 0.25)
                if story and year == LAST_YEAR:  # new looms: more value added and tax per unit of output
                    va, tax = output * 0.31, output * 0.31 * 0.25
                revenue = output * share["revenue"]
                rows.append({
                    "credit_code": _code(n), "name": name, "town_id": town.code, "year": year,
                    "industry_code": code, "above_scale": "是" if above else "否", "founded_year": founded,
                    "in_construction": "否", "land_owned_mu": land, "land_leased_mu": leased,
                    "tax": round(tax, 1), "value_added": round(va, 1), "revenue": round(revenue, 1),
                    "output": round(output, 1), "energy": round(output * share["energy"], 1),
                    "emissions": round(output * share["emissions"], 3) if reports_emissions else 0,
                    "employees": max(8, round(output / share["per_head"])),
                    "rd_spend": round(revenue * min(share["rd"], 0.05), 1) if reports_rd else "",
                    "high_tech": "是" if high_tech else "否",
                    "rd_institution": "是" if has_rd else "否",
                })
    return rows


def _csv(rows: list[dict[str, Any]]) -> bytes:
    """The county's upload file, written by the one safe writer (xiaozhen.tabular)."""
    return csv_bytes(Table("enterprises", list(rows[0]), rows), bom=False)


@demo_step(order=130, name="enterprises and per-mu evaluations in 诸暨市")
def enterprises(ctx: DemoContext) -> None:
    office = _county_office(ctx)
    towns = _towns(ctx)
    county = Region.objects.get(code=COUNTY)
    if not towns:
        return
    if not EnterpriseYear.objects.filter(town__in=towns).exists():
        actions.import_enterprises(by=office, county=county, file_name=f"诸暨市工业企业{YEARS[0]}-{LAST_YEAR}.csv",
                                   content=_csv(_rows(ctx, towns)))
    today = timezone.localdate()
    if not PerMuRun.objects.filter(county=county, year=LAST_YEAR - 1).exists():
        run = actions.run_per_mu(by=office, county=county, year=LAST_YEAR - 1)
        opens = today - dt.timedelta(days=40)
        actions.open_per_mu_notice(run=run, by=office, opens_on=opens, closes_on=opens + dt.timedelta(days=6))
        graded = run.results.filter(klass="D").first() or run.results.exclude(klass="").last()
        if graded is not None:
            objection = actions.submit_per_mu_objection(
                result=graded, name=graded.name, contact="0575-8700 1234", today=opens + dt.timedelta(days=2),
                grounds="租赁厂房面积重复计入用地，请核减 / leased floor space was counted as land twice")
            actions.decide_per_mu_objection(objection=objection, by=office, upheld=False,
                                            reason="租赁用地以租赁合同和不动产登记为准，未重复计算 / checked against the lease and the land register")
        actions.publish_per_mu(run=run, by=office, today=opens + dt.timedelta(days=7))
    if not PerMuRun.objects.filter(county=county, year=LAST_YEAR).exists():
        run = actions.run_per_mu(by=office, county=county, year=LAST_YEAR)
        actions.open_per_mu_notice(run=run, by=office, opens_on=today - dt.timedelta(days=2),
                                   closes_on=today + dt.timedelta(days=5))
        last = run.results.exclude(klass="").order_by("-rank").first()
        if last is not None:
            actions.submit_per_mu_objection(result=last, name="诸暨市大唐街道经发办", contact="0575-8711 0000",
                                            grounds="该企业当年技改停产三个月，申请按在建项目参评不分类",
                                            today=today)
    story = list(EnterpriseYear.objects.filter(name=STORY_NAME).order_by("year"))
    runs = {r.year: r for r in PerMuRun.objects.filter(county=county)}
    if story and LAST_YEAR - 1 in runs and LAST_YEAR in runs:
        before = runs[LAST_YEAR - 1].results.filter(name=STORY_NAME).first()
        after = runs[LAST_YEAR].results.filter(name=STORY_NAME).first()
        first, last_year = story[-2], story[-1]
        land = float(first.land_owned_mu + first.land_leased_mu)
        if before and after:
            ctx.write(
                f"亩均故事 per-mu story: {STORY_NAME} ({towns[0].name_zh}) replaced its looms in {LAST_YEAR}: output per mu "
                f"{float(first.output or 0) / land:,.0f} → {float(last_year.output or 0) / land:,.0f} 万元/亩, "
                f"class {before.klass or '—'} → {after.klass or '—'} (rank {before.rank} → {after.rank}); "
                f"see /enterprises/ as county-zhuji")


@demo_step(order=131, name="a high-tech zone's cultivation pool and rewards (001 §三(四)2)")
def zone_pools(ctx: DemoContext) -> None:
    """One Guangxi high-tech zone: four firms in its cultivation pool (one certified and left), and
    three rewards, one of them 8万元 for a first certification — under the per-firm floor of 10万元."""
    zones = ctx.towns.get("guangxi-hitech-zones", [])
    officer = ctx.users.get("province")
    if not zones or officer is None:
        return
    zone = zones[0]
    if CultivationEntry.objects.filter(town=zone).exists():
        return
    today = timezone.localdate()
    firms = [("广西{}新材料科技有限公司", 1), ("广西{}智能装备有限公司", 2), ("广西{}生物医药有限公司", 3),
             ("广西{}电子信息有限公司", 4)]
    region = zone.region.code
    for (pattern, n), word in zip(firms, ("桂鑫", "南博", "华康", "柳芯"), strict=True):
        first = f"91{region}MA5{900 + n:06d}"
        code = first + credit_code_check_char(first)
        entry = actions.enter_cultivation_pool(by=officer, town=zone, credit_code=code, name=pattern.format(word),
                                               entered_on=dt.date(today.year - 2, 3, 15))
        if n == 1:
            actions.exit_cultivation_pool(by=officer, entry=entry, exited_on=dt.date(today.year - 1, 12, 20),
                                          reason="已通过高新技术企业认定 / certified as a high-tech enterprise")
        if n <= 3:
            actions.record_high_tech_reward(
                by=officer, town=zone, credit_code=code, name=pattern.format(word),
                kind="first" if n != 3 else "renewal", certificate_number=f"GR{today.year - 1}4500{n:05d}",
                certified_on=dt.date(today.year - 1, 12, 20),
                amount_wan=Decimal({1: "15", 2: "8", 3: "5"}[n]))
    ctx.write(f"  {zone.name_zh}: 培育库 4 家 (1 家已认定出库); 奖励 3 笔, 1 笔 8万元低于首次认定每家 10万元下限 — "
              f"/enterprises/towns/{zone.pk}/pools/")
