"""Demo applications: an open call per programme and applications in every review state.

For each programme: a call open now, and applicant towns (new towns in the call's region,
each with its own town-body account) whose applications are a draft, submitted, waiting
at each step of the programme's chain, returned with a reason, returned and resubmitted,
rejected, and listed (enrolled). A joint review step (``department_opinions``, Tongzhou's 联审,
003 §四(二)) is passed once four district departments have given their opinions; the application
waiting at it has three in and 区服务业发展局's still missing. Facts come from the engine-searched demo templates
(demo/values.py), so the verdicts are real. The demo town login (``town``) gets a draft
nearly filled in, with one material left to upload, that it can finish and submit.

Idempotent: a call is found by its title, a town by name and region, an application by
call and town; an existing application is left where it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.actions import create_organisation, create_user
from accounts.models import Organisation, Role, User
from applications.actions import (
    decide_step,
    name_review_departments,
    open_call,
    record_department_opinion,
    save_draft,
    start_application,
    submit_application,
    upload_material,
)
from applications.facts import fact_fields
from applications.models import Application, Call
from applications.uploads import demo_pdf
from demo.registry import DemoContext, demo_step
from demo.steps import Templates, decider, password_for, province_officer
from demo.values import town_values
from portal.errors import ActionError
from programmes.models import Programme
from regions.models import Region
from towns.actions import create_town
from towns.models import Enrolment, Town

NAMES = ["智造", "数字", "康养", "文旅", "科创", "农旅", "新材料", "生物医药", "电子信息", "绿色能源", "跨境电商",
         "航空", "海洋", "种业"]
#: Guangxi applicants sit in the cities that have demo reviewer logins (city: Nanning, city-liuzhou).
PREFERRED_CITIES = {"450000": ["4501", "4502"]}


def _officer(ctx: DemoContext, role: str, region: Region) -> User:
    for user in ctx.users.values():
        if user.role == role and user.region_id == region.pk:
            return user
    username = f"{role.split('_')[0]}-{region.code}"
    user = User.objects.filter(username=username).first() or create_user(
        username=username, password=password_for(username), role=role, region=region,
        full_name=f"{region.name_zh} 演示账号", check_password=False,
    )
    ctx.users[username] = user
    return user


def _step_user(ctx: DemoContext, step, town: Town) -> User:
    region = town.region
    if step.role == Role.COUNTY_OFFICE:
        return _officer(ctx, Role.COUNTY_OFFICE, region)
    if step.role == Role.CITY_REVIEWER:
        city = Region.objects.get(code=region.city_code) if region.city_code else region
        return _officer(ctx, Role.CITY_REVIEWER, city)
    return province_officer(ctx, town)  # provincial steps, and the expert group's conclusion


def _call(ctx: DemoContext, programme: Programme) -> Call | None:
    policy = programme.policy
    if not policy.review_steps("application"):
        return None
    today = timezone.localdate()
    title = f"{today.year}年{policy.identity.short_name.zh}申报通知"
    existing = Call.objects.filter(programme=programme, title=title).first()
    if existing:
        return existing
    if programme.region is None:
        by = ctx.user("province-js")  # a nationwide programme: Jiangsu opens its call
    else:
        first = next(iter(ctx.towns.get(programme.policy_id, [])), None)
        by = decider(ctx, programme, first) if first else province_officer(ctx, programme.region)
    return open_call(programme=programme, title=title, by=by, opens_on=today - dt.timedelta(days=10),
                     closes_on=today + dt.timedelta(days=60), first_plan_year=today.year,
                     note="演示数据：在线填报核心数据并上传材料 / demo call")


def _regions(call: Call) -> list[Region]:
    prefixes = PREFERRED_CITIES.get(call.region.code, [call.region.scope_prefix])
    out: list[Region] = []
    for prefix in prefixes:
        out += [r for r in Region.objects.filter(code__startswith=prefix, level__in=["county", "city"]).order_by("code")
                if r.can_hold_towns()]
    return out


#: What each applicant login shows (printed with the login by `make demo`).
SCENARIO_LABELS = {"draft": "a draft to finish", "at_step": "waiting at a review step", "returned": "returned",
                   "resubmitted": "resubmitted", "rejected": "rejected", "listed": "listed"}


def _applicant(ctx: DemoContext, call: Call, n: int) -> tuple[Town, User]:
    regions = _regions(call)
    region = regions[n % len(regions)]
    unit = call.programme.policy.identity.unit_kind.zh
    base = region.name_zh[:-1] if len(region.name_zh) > 2 and region.name_zh[-1] in "市区县" else region.name_zh
    name = f"{base}{NAMES[n % len(NAMES)]}{unit}"
    # A base demo town of the same name already on this programme's list is not an applicant.
    suffix = 2
    while Enrolment.objects.filter(town__name_zh=name, town__region=region, programme=call.programme).exclude(
            town__applications__call=call).exists():
        name, suffix = f"{base}{NAMES[n % len(NAMES)]}{unit}{suffix}", suffix + 1
    town = Town.objects.filter(name_zh=name, region=region).first() or create_town(
        by=province_officer(ctx, region), region=region, name_zh=name, name_en=f"{region.name_en} applicant {n + 1}",
        contact_name="演示联系人", contact_phone="0771-0000000",
    )
    username = f"applicant-{town.code}"
    clerk = User.objects.filter(username=username).first() or create_user(
        username=username, password=password_for(username), role=Role.TOWN_BODY, town=town,
        full_name=f"{name} 办公室", check_password=False,
    )
    return town, clerk


def _form_data(call: Call, values: dict[str, Any], category: str) -> dict[str, str]:
    data: dict[str, str] = {"category": category}
    for f in fact_fields(call.programme.policy):
        value = values.get(f.id)
        if value is None:
            continue
        text = ("是" if value else "否") if isinstance(value, bool) else (
            str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
        for period in call.plan_periods if f.yearly else call.plan_periods[:1]:
            data[f.key(period)] = text
    return data


def _fill(application: Application, clerk: User, templates: Templates, ctx: DemoContext, *, leave_out: int = 0,
          materials_left: int = 0) -> None:
    call = application.call
    policy = call.programme.policy
    category = policy.categories[application.pk % len(policy.categories)].id if policy.categories else ""
    template = templates.get(policy, "application", category or None, call.opens_on)
    values = town_values(template, ctx.rng(f"application:{application.pk}"), "strong")
    data = _form_data(call, values, category)
    for key in [k for k in data if k != "category"][:leave_out]:
        data.pop(key)
    save_draft(application=application, data=data, by=clerk, category=category)
    items = policy.materials[: len(policy.materials) - materials_left]
    for item in items:
        upload_material(application=application, material_id=item.id, by=clerk,
                        upload=demo_pdf(f"{item.label.zh}.pdf", f"{application.town.name_zh} {item.label.zh}"))


#: The district departments of a joint review (003 §四(二)) and the opinion each gives in the demo.
DEPARTMENTS = [
    ("区发展改革委", "District Development and Reform Commission", "agree", "符合全区产业布局，同意列入创建名单"),
    ("区规划和自然资源分局", "District Planning and Natural Resources Branch", "conditional",
     "原则同意；规划范围须避让永久基本农田，建设用地按年度计划报批"),
    ("区生态环境局", "District Ecology and Environment Bureau", "agree", "同意，入驻项目须依法办理环评手续"),
    ("区服务业发展局", "District Services Development Bureau", "agree", "同意，建议完善小镇客厅等服务功能"),
]


def _joint_review(application: Application, step, by: User, *, leave_last: bool = False) -> None:
    """Name the district's departments and record their opinions (the last one left out if asked)."""
    region = by.region
    assert region is not None  # the deciding office has a district
    departments = []
    for name_zh, name_en, _, _ in DEPARTMENTS:
        departments.append(Organisation.objects.filter(name_zh=name_zh, region=region).first() or create_organisation(
            name_zh=name_zh, name_en=name_en, kind=Organisation.Kind.DEPARTMENT, region=region))
    name_review_departments(application=application, step_id=step.id, by=by, departments=departments)
    given = DEPARTMENTS[:-1] if leave_last else DEPARTMENTS
    for department, (_, _, opinion, text) in zip(departments, given, strict=False):
        record_department_opinion(application=application, department=department, opinion=opinion, text=text, by=by)


def _advance(ctx: DemoContext, application: Application, steps_to_pass: int, ranks: dict) -> None:
    chain = application.programme.policy.review_steps("application")
    for step in chain[:steps_to_pass]:
        by = _step_user(ctx, step, application.town)
        rank = None
        if step.action == "recommend":
            assert by.region is not None  # the recommending office has a region
            key = (application.call_id, by.pk)
            ranks[key] = ranks.get(key, Application.objects.filter(call=application.call, rank__isnull=False,
                                                                   town__region__code__startswith=by.region.scope_prefix)
                                    .count()) + 1
            rank = ranks[key]
        reason = "专家组评审意见：基础较好，同意通过" if step.action == "expert_review" else f"{step.label.zh}：符合要求"
        tier = application.programme.policy.lifecycle.entry_tiers[0] if step is chain[-1] else None
        if step.department_opinions:
            _joint_review(application, step, by)
        decide_step(application=application, step_id=step.id, outcome="pass", reason=reason, by=by, rank=rank,
                    tier=tier)
        application.refresh_from_db()


@demo_step(order=110, name="calls and applications in every review state")
def applications(ctx: DemoContext) -> None:
    templates = Templates()
    for pid, programme in sorted(ctx.programmes.items()):
        call = _call(ctx, programme)
        if call is None:
            continue
        chain = programme.policy.review_steps("application")
        # (what, steps passed): a draft, waiting at each step, returned, resubmitted, rejected, listed.
        scenarios = [("draft", 0)] + [("at_step", i) for i in range(len(chain))] + [
            ("returned", 1), ("resubmitted", 1), ("rejected", 0), ("listed", len(chain))]
        ranks: dict = {}
        counts: dict[str, int] = {}
        for n, (what, passed) in enumerate(scenarios):
            town, clerk = _applicant(ctx, call, n)
            ctx.add_login(clerk.username, password_for(clerk.username),
                          f"applicant {town.name_zh} ({programme.policy_id}: {SCENARIO_LABELS.get(what, what)})")
            if Application.objects.filter(call=call, town=town).exists() or Enrolment.objects.filter(
                    town=town, programme=programme).exists():
                continue
            application = start_application(call=call, town=town, by=clerk)
            _fill(application, clerk, templates, ctx, leave_out=2 if what == "draft" else 0)
            try:
                if what != "draft":
                    submit_application(application=application, by=clerk)
                    _advance(ctx, application, passed, ranks)
                if what == "at_step" and chain[passed].department_opinions:
                    _joint_review(application, chain[passed], _step_user(ctx, chain[passed], town), leave_last=True)
                if what in ("returned", "resubmitted"):
                    step = chain[passed] if passed < len(chain) else chain[0]
                    if step.department_opinions:  # the departments' opinions are in before the office decides
                        _joint_review(application, step, _step_user(ctx, step, town))
                    decide_step(application=application, step_id=step.id, outcome="return",
                                reason="投资计划分年度数据与建设计划不一致，请核对后重新提交", by=_step_user(ctx, step, town))
                if what == "resubmitted":
                    submit_application(application=application, by=clerk)
                if what == "rejected":
                    decide_step(application=application, step_id=chain[0].id, outcome="reject",
                                reason="选址不符合土地利用总体规划", by=_step_user(ctx, chain[0], town))
            except ActionError as exc:
                ctx.say(f"  ! {pid} {town.name_zh}: {exc}")
            application.refresh_from_db()
            counts[application.state] = counts.get(application.state, 0) + 1
        if counts:
            ctx.say(f"  {pid}: " + ", ".join(f"{state} {n}" for state, n in sorted(counts.items())))
