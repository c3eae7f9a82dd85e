"""The base demo steps (order 10–90 and 900). See demo/registry.py for adding your own."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Q

from accounts.actions import create_organisation, create_user
from accounts.models import Organisation, Role, User
from programmes.actions import sync_programmes
from programmes.models import Programme
from programmes.permissions import deciding_roles
from regions.models import Region
from towns.actions import (
    assign_expert,
    change_tier,
    create_town,
    enrol_town,
    record_indicator_values,
    register_enterprise,
)
from towns.facts import facts_frame
from towns.models import Enrolment, Enterprise, ExpertAssignment, IndicatorValue, Town
from towns.workflow import paths_to_tiers
from xiaozhen.codes import CREDIT_CODE_ALPHABET, credit_code_check_char
from xiaozhen.engine import evaluate
from xiaozhen.policy import Policy, Transition, reported_inputs

from .registry import DemoContext, demo_step
from .values import StageSetting, Template, plausible_economy, search_template, town_values

LAST_YEAR = dt.date.today().year - 1  # the last year with complete actual figures
NEGATIVE = {"demote", "exit", "terminate", "eliminate", "cancel"}

# (key, username, role, region code, 中文姓名, description)
ACCOUNTS = [
    ("province", "province", Role.PROVINCIAL_OFFICER, "450000", "广西科技厅 韦处长", "Guangxi provincial officer"),
    ("province-zj", "province-zj", Role.PROVINCIAL_OFFICER, "330000", "浙江联席办 王处长", "Zhejiang provincial officer"),
    ("province-gd", "province-gd", Role.PROVINCIAL_OFFICER, "440000", "广东科技厅 陈处长", "Guangdong provincial officer"),
    ("province-js", "province-js", Role.PROVINCIAL_OFFICER, "320000", "江苏 张处长", "Jiangsu provincial officer"),
    ("city", "city", Role.CITY_REVIEWER, "450100", "南宁市科技局 黄科长", "Nanning city reviewer"),
    ("city-liuzhou", "city-liuzhou", Role.CITY_REVIEWER, "450200", "柳州市科技局 覃科长", "Liuzhou city reviewer"),
    ("county", "county", Role.COUNTY_OFFICE, "320612", "通州区特色小镇办 顾主任", "Tongzhou district office"),
    ("expert", "expert", Role.EXPERT, None, "评审专家 李教授", "Expert (sees assigned towns)"),
    ("auditor", "auditor", Role.AUDITOR, None, "审计员 周审计", "Nationwide auditor (read-only)"),
]

ORGANISATIONS = [
    ("广西壮族自治区科学技术厅", "Guangxi Department of Science and Technology", "provincial_office", "450000"),
    ("浙江省特色小镇规划建设工作联席会议办公室", "Zhejiang characteristic towns joint-conference office",
     "provincial_office", "330000"),
    ("广东省科学技术厅", "Guangdong Department of Science and Technology", "provincial_office", "440000"),
    ("江苏省发展和改革委员会", "Jiangsu Development and Reform Commission", "provincial_office", "320000"),
    ("南宁市科学技术局", "Nanning Science and Technology Bureau", "city_bureau", "450100"),
    ("柳州市科学技术局", "Liuzhou Science and Technology Bureau", "city_bureau", "450200"),
    ("通州区特色小镇培育创建联席会议办公室", "Tongzhou characteristic towns joint-meeting office", "county_office",
     "320612"),
    ("小镇评审专家库", "Town review expert pool", "expert_pool", None),
]
ORG_OF = {"province": "广西壮族自治区科学技术厅", "province-zj": "浙江省特色小镇规划建设工作联席会议办公室",
          "province-gd": "广东省科学技术厅", "province-js": "江苏省发展和改革委员会", "city": "南宁市科学技术局",
          "city-liuzhou": "柳州市科学技术局", "county": "通州区特色小镇培育创建联席会议办公室", "expert": "小镇评审专家库"}

# Real town names for the first demo town of some counties; the others are composed.
KNOWN_NAMES = {
    "330110": "梦想小镇", "330106": "云栖小镇", "330102": "玉皇山南基金小镇", "330681": "大唐袜艺小镇",
    "330602": "黄酒小镇", "331181": "龙泉青瓷小镇", "330421": "巧克力甜蜜小镇", "330113": "艺尚小镇",
    "330502": "丝绸小镇", "330523": "天使小镇", "440606": "北滘智造小镇", "440605": "西樵纺织小镇",
    "442000": "古镇灯饰小镇", "441900": "虎门服装小镇", "440783": "水口水暖卫浴小镇",
}

PROFILES = [("strong", 0.55), ("weak", 0.25), ("patchy", 0.20)]
PLAN_PROFILES = [("strong", 0.7), ("weak", 0.15), ("patchy", 0.15)]


def password_for(username: str) -> str:
    return f"demo-{username}"


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


def _org(name_zh: str) -> Organisation | None:
    return Organisation.objects.filter(name_zh=name_zh).first()


def _account(ctx: DemoContext, key: str, username: str, role: str, region_code: str | None, full_name: str,
             description: str, town: Town | None = None) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_user(
            username=username, password=password_for(username), role=role, full_name=full_name,
            region=_region(region_code) if region_code and role != Role.TOWN_BODY else None, town=town,
            organisation=_org(ORG_OF.get(key, "")), check_password=False,
        )
    ctx.users[key] = user
    ctx.add_login(username, password_for(username), description)
    return user


# ---------------------------------------------------------------------------------------------
@demo_step(order=10, name="programmes from policies/")
def programmes(ctx: DemoContext) -> None:
    report = sync_programmes()
    for problem in report.problems:
        ctx.say(f"  ! 政策文件有误，跳过 / policy file problem, skipped: {problem}")
    for programme in Programme.objects.filter(is_active=True, current_version__isnull=False):
        ctx.programmes[programme.policy_id] = programme
    ctx.say(f"  {len(ctx.programmes)} programmes: {', '.join(sorted(ctx.programmes))}")


@demo_step(order=20, name="organisations and one user per role")
def accounts(ctx: DemoContext) -> None:
    for name_zh, name_en, kind, code in ORGANISATIONS:
        region = _region(code) if code else None
        if not Organisation.objects.filter(name_zh=name_zh, region=region).exists():
            create_organisation(name_zh=name_zh, name_en=name_en, kind=kind, region=region)
    for account in ACCOUNTS:
        _account(ctx, *account)


def decider(ctx: DemoContext, programme: Programme, town: Town) -> User:
    """A user allowed by the programme's file to enrol the town and change its tier."""
    roles = deciding_roles(programme)
    if Role.PROVINCIAL_OFFICER in roles:
        role, code = Role.PROVINCIAL_OFFICER, town.region.province_code
    elif Role.CITY_REVIEWER in roles:
        role, code = Role.CITY_REVIEWER, town.region.city_code or town.region.code
    else:
        role, code = Role.COUNTY_OFFICE, town.region.code
    for user in ctx.users.values():
        if user.role == role and user.region and user.region.code == code:
            return user
    username = f"{role.split('_')[0]}-{code}"
    return _account(ctx, username, username, role, code, f"{_region(code).name_zh} 演示账号",
                    f"{role} of {_region(code).name_en}")


def province_officer(ctx: DemoContext, town: Town | Region) -> User:
    region = town.region if isinstance(town, Town) else town
    code = region.province_code
    for user in ctx.users.values():
        if user.role == Role.PROVINCIAL_OFFICER and user.region and user.region.code == code:
            return user
    username = f"provincial-{code}"
    return _account(ctx, username, username, Role.PROVINCIAL_OFFICER, code, f"{_region(code).name_zh} 演示账号",
                    f"provincial officer of {_region(code).name_en}")


def _town_regions(programme: Programme) -> list[Region]:
    regions = Region.objects.filter(level__in=[Region.Level.COUNTY, Region.Level.CITY])
    if programme.region_code:
        prefix = programme.region.scope_prefix if programme.region else programme.region_code
        regions = regions.filter(code__startswith=prefix)
    holders = [r for r in regions.order_by("code") if r.level == Region.Level.COUNTY or not r.children.exists()]
    if programme.region_code:
        return holders
    by_province: dict[str, list[Region]] = {}  # nationwide: take turns across provinces
    for r in holders:
        by_province.setdefault(r.province_code, []).append(r)
    lists = list(by_province.values())
    return [lst[i] for i in range(max(map(len, lists))) for lst in lists if i < len(lst)]


def _short(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "市区县" else name


def _town_plan(programme: Programme) -> list[dict[str, Any]]:
    """The demo towns of a programme: name, region, category and the tier it should reach."""
    policy = programme.policy
    paths = paths_to_tiers(policy)
    tiers = [t.id for t in policy.lifecycle.tiers if t.id in paths]
    regions = _town_regions(programme)
    count = max(10, 2 * len(tiers))
    unit = policy.identity.unit_kind
    used: set[str] = set()
    plan = []
    for i in range(count):
        region = regions[i % len(regions)]
        tier = tiers[i % len(tiers)]
        category = policy.categories[i % len(policy.categories)] if policy.categories else None
        category = next((c for c in policy.categories if c.id == tier), category)  # zones: category = level
        subs = category.sub_sectors if category else []
        sub = subs[(i // max(1, len(policy.categories))) % len(subs)] if subs else ""
        name = KNOWN_NAMES.get(region.code) if unit.zh == "小镇" else None
        what = sub or (category.label.zh if category else "")
        suffix = "" if what.endswith(unit.zh) else unit.zh  # 自治区级高新区, not 自治区级高新区高新区
        if not name or name in used:
            name = f"{_short(region.name_zh)}{what}{suffix}"
            n = 2
            while name in used:
                name, n = f"{_short(region.name_zh)}{what}{suffix}{n}", n + 1
        used.add(name)
        label_en = category.label.en if category else ""
        unit_en = "" if label_en.lower().endswith(unit.en.lower()) else unit.en
        plan.append({
            "name_zh": name, "name_en": " ".join(p for p in (region.name_en, label_en, unit_en) if p),
            "region": region, "category": category.id if category else "", "sub_sector": sub, "tier": tier,
        })
    return plan


def _start(policy: Policy, steps: int) -> dt.date:
    eff = policy.identity.effective_from
    year = max(eff.year, min(eff.year + 1, LAST_YEAR - steps))
    return max(eff, dt.date(year, 1, 1))


@demo_step(order=30, name="towns in every tier of every programme")
def towns(ctx: DemoContext) -> None:
    for pid, programme in sorted(ctx.programmes.items()):
        policy = programme.policy
        paths = paths_to_tiers(policy)
        ctx.towns[pid] = []
        for spec in _town_plan(programme):
            town = Town.objects.filter(name_zh=spec["name_zh"], region=spec["region"]).first()
            if town is None:
                town = create_town(
                    by=province_officer(ctx, spec["region"]), region=spec["region"], name_zh=spec["name_zh"],
                    name_en=spec["name_en"], category=spec["category"], sub_sector=spec["sub_sector"],
                    managing_body=_town_body(spec), contact_name="演示联系人", contact_phone="0771-0000000",
                )
            ctx.towns[pid].append(town)
            if Enrolment.objects.filter(town=town, programme=programme).exists():
                continue
            entry, steps = paths[spec["tier"]]
            started = _start(policy, len(steps))
            by = decider(ctx, programme, town)
            own = town.category == spec["category"]  # a town met again in another programme gets its class there
            enrolment = enrol_town(town=town, programme=programme, tier=entry, started_on=started, by=by,
                                   reason="演示数据 / demo data", category="" if own else spec["category"],
                                   sub_sector="" if own else spec["sub_sector"])
            for n, transition in enumerate(steps, start=1):
                assert transition.to is not None  # the demo walks transitions to a tier
                change_tier(enrolment=enrolment, to_tier=transition.to, by=by, transition_id=transition.id,
                            reason=f"{transition.label.zh}（演示）", decision_ref=f"演示〔{started.year + n}〕{n}号",
                            effective_on=dt.date(started.year + n, 1, 1))
        tiers = Counter(e.tier for e in Enrolment.objects.filter(programme=programme, town__in=ctx.towns[pid]))
        ctx.say(f"  {pid}: {len(ctx.towns[pid])} towns; " + ", ".join(f"{t} {n}" for t, n in sorted(tiers.items())))


def _town_body(spec: dict[str, Any]) -> Organisation:
    name = f"{spec['name_zh']}建设管理办公室"
    existing = Organisation.objects.filter(name_zh=name, region=spec["region"]).first()
    return existing or create_organisation(name_zh=name, name_en=f"{spec['name_en']} management office",
                                           kind="town_body", region=spec["region"])


@demo_step(order=35, name="town body accounts")
def town_accounts(ctx: DemoContext) -> None:
    # A town that reports every year (its tier is assessed), so its clerk has figures to see.
    candidates = [(p, t) for p in ("tongzhou-towns", *sorted(ctx.towns)) for t in ctx.towns.get(p, [])]
    first = next((t for p, t in candidates if _assessed(ctx.programmes[p], t)), candidates[0][1] if candidates else None)
    if first is not None:
        _account(ctx, "town", "town", Role.TOWN_BODY, None, f"{first.name_zh} 办公室",
                 f"Town body of {first.name_zh} ({first.code})", town=first)


def _assessed(programme: Programme, town: Town) -> bool:
    enrolment = town.enrolments.filter(programme=programme, ended_on__isnull=True).first()
    return bool(enrolment and programme.policy.tier(enrolment.tier).stage)


class Templates:
    """Search each (programme, stage, category) template once."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, str | None], Template] = {}

    def get(self, policy: Policy, stage: str, category: str | None, start: dt.date) -> Template:
        key = (policy.id, stage, category)
        if key not in self._cache:
            tier = next((t.id for t in policy.lifecycle.tiers if t.stage == stage), None)
            setting = StageSetting(policy, stage, category or None, start,
                                   [start.year + i for i in range(3)], tier)
            like = next((t for (p, s, _), t in self._cache.items() if (p, s) == (policy.id, stage)), None)
            self._cache[key] = search_template(setting, like=like)
        return self._cache[key]


def _pick(rng, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([p for p, _ in weighted], weights=[w for _, w in weighted])[0]


def _actual_stage(policy: Policy, tier: str) -> str | None:
    stage = policy.tier(tier).stage
    if stage:
        return stage
    if policy.tier(tier).terminal:
        return None
    return "annual" if policy.criteria_for("annual") else None


def _flags_for(policy: Policy, transition: Transition) -> dict[str, bool]:
    """Yes/no inputs that trigger a misconduct-style transition (e.g. fraud_found)."""
    if transition.when is None:  # an officer decides
        return {}
    return {i: True for i in reported_inputs(policy, transition.when) if policy.indicator(i).type == "boolean"}


@demo_step(order=40, name="indicator values (plans and actuals)")
def indicator_values(ctx: DemoContext) -> None:
    templates = Templates()
    for pid, programme in sorted(ctx.programmes.items()):
        policy = programme.policy
        for town in ctx.towns.get(pid, []):
            enrolment = town.enrolments.filter(programme=programme).order_by("-started_on").first()
            if enrolment is None:
                continue
            if IndicatorValue.objects.filter(town=town, programme=programme).exists():
                # Written once: later steps' decisions (e.g. a published assessment) must not make a
                # second load_demo rewrite the figures those decisions were taken on.
                continue
            rng = ctx.rng(f"values:{pid}:{town.name_zh}")
            rows: list[dict[str, Any]] = []
            start = enrolment.started_on
            plan = templates.get(policy, "application", town.category, start)
            plan_values = town_values(plan, rng, _pick(rng, PLAN_PROFILES))
            for year in range(start.year, start.year + 3):
                rows += [{"indicator": i, "period": str(year), "basis": "plan", "value": v}
                         for i, v in plan_values.items()]
            rows += _actual_rows(ctx, policy, enrolment, templates, rng)
            # Output, tax, value added … as one coherent growing series (own random streams, so the
            # verdicts' random choices above stay as they were).
            rows = _with_economy(policy, rows, {b: ctx.rng(f"economy:{b}:{pid}:{town.name_zh}") for b in ("plan", "actual")})
            # Figures an app recorded (a funding ledger, a progress report …) are never overwritten
            # by made-up ones, so a second load_demo leaves them as they are.
            recorded = set(IndicatorValue.objects.filter(town=town, programme=programme).exclude(source="demo")
                           .values_list("indicator_id", "period", "basis"))
            rows = [r for r in rows if (r["indicator"], r["period"], r["basis"]) not in recorded]
            record_indicator_values(town=town, programme=programme, values=rows, by=province_officer(ctx, town),
                                    source="demo", source_ref="演示数据 demo data")


def _actual_rows(ctx, policy: Policy, enrolment: Enrolment, templates: Templates, rng) -> list[dict[str, Any]]:
    changes = sorted(enrolment.tier_changes.all(), key=lambda c: c.effective_on)
    transitions = {t.id: t for t in policy.lifecycle.transitions}
    base = _pick(rng, PROFILES)
    rows: list[dict[str, Any]] = []
    for year in range(enrolment.started_on.year, LAST_YEAR + 1):
        tier = enrolment.tier_at(dt.date(year, 12, 31)) or enrolment.initial_tier
        if enrolment.ended_on and enrolment.ended_on.year <= year:
            break  # it left the list: no more reports
        stage = _actual_stage(policy, tier)
        if stage is None:
            continue
        following = next((c for c in changes if c.effective_on.year == year + 1), None)
        extra: dict[str, Any] = {}
        if following is not None:
            action = transitions[following.transition_id].action if following.transition_id in transitions else ""
            profile = "weak" if action in NEGATIVE else "strong"
            if action == "cancel":
                extra = _flags_for(policy, transitions[following.transition_id])
        else:
            profile = base if year == LAST_YEAR else _pick(rng, PROFILES[:2])
        template = templates.get(policy, stage, enrolment.town.category, enrolment.started_on)
        values = {**town_values(template, rng, profile), **extra}
        rows += [{"indicator": i, "period": str(year), "basis": "actual", "value": v} for i, v in values.items()]
    return rows


def _with_economy(policy: Policy, rows: list[dict[str, Any]], rngs: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for basis, rng in rngs.items():
        by_year: dict[int, dict[str, Any]] = {}
        for r in rows:
            if r["basis"] == basis:
                by_year.setdefault(int(r["period"]), {})[r["indicator"]] = r["value"]
        plausible_economy(policy, by_year, rng)
        out += [{"indicator": i, "period": str(y), "basis": basis, "value": v}
                for y, values in sorted(by_year.items()) for i, v in values.items()]
    return out


def _credit_code(rng, region_code: str) -> str:
    body = "91" + region_code + "".join(rng.choice(CREDIT_CODE_ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    return body + credit_code_check_char(body)


@demo_step(order=50, name="enterprises")
def enterprises(ctx: DemoContext) -> None:
    kinds = ["科技有限公司", "智能装备有限公司", "新材料股份有限公司", "文化发展有限公司"]
    for pid in sorted(ctx.towns):
        for town in ctx.towns[pid]:
            if town.enterprises.exists():
                continue
            rng = ctx.rng(f"enterprises:{town.name_zh}")
            for n in range(rng.randint(2, 4)):
                code = _credit_code(rng, town.region.code)
                if Enterprise.objects.filter(credit_code=code).exists():
                    continue
                register_enterprise(
                    town=town, credit_code=code, name_zh=f"{_short(town.region.name_zh)}{town.name_zh[:2]}{kinds[n]}",
                    by=province_officer(ctx, town), industry=town.sub_sector or town.category,
                    is_above_scale=rng.random() < 0.6, is_high_tech=rng.random() < 0.4,
                    has_rd_institution=rng.random() < 0.3,
                )


@demo_step(order=60, name="expert assignments")
def expert_assignments(ctx: DemoContext) -> None:
    expert = ctx.users.get("expert")
    if expert is None:
        return
    for pid in sorted(ctx.towns)[:4]:
        for town in ctx.towns[pid][:2]:
            if not ExpertAssignment.objects.filter(expert=expert, town=town, active=True).exists():
                assign_expert(expert=expert, town=town, by=province_officer(ctx, town), purpose="field_visit",
                              programme=ctx.programmes[pid])


@demo_step(order=900, name="what the engine says about the demo towns")
def summary(ctx: DemoContext) -> None:
    for pid, programme in sorted(ctx.programmes.items()):
        policy = programme.policy
        towns = Town.objects.filter(Q(pk__in=[t.pk for t in ctx.towns.get(pid, [])]))
        parts = []
        for stage, basis in (("application", "plan"), ("annual", "actual")):
            if not policy.criteria_for(stage):
                continue
            frame = facts_frame(programme=programme, towns=towns, basis=basis)
            if frame is None:
                continue
            at = max(policy.identity.effective_from, dt.date(policy.identity.effective_from.year + 1, 1, 1))
            verdicts = Counter(evaluate(policy, frame, stage, at if stage == "application" else None)
                               .verdicts()["verdict"].to_list())
            parts.append(f"{stage}: " + ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
        ctx.say(f"  {pid}: " + "; ".join(parts))
