"""Demo data for the Guangdong demonstration specialised towns (004 §三5–7): for the towns in the
project tier, one contract in force (signed by all three, with milestones, progress reports and a
ledger whose local matching falls short of the ratio), one project that has applied for
acceptance (matched 1:1) and one contract awaiting the town's signature. Idempotent: a town that
already has a contract is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accounts.actions import create_organisation, create_user
from accounts.models import Organisation, Role, User
from demo.registry import DemoContext, demo_step
from projects import actions
from projects.models import Contract, Party
from projects.texts import LOCAL_DUTIES, PROVINCE_DUTIES, TOWN_DUTIES
from regions.models import Region

PROGRAMME = "guangdong-specialised-towns"
TODAY = dt.date.today()
TARGETS = {"platform_services": 1, "contract_obligations_met": 1, "funds_used_compliantly": 1,
           "implementation_under_way": 1, "local_matching_to_date": 300}
LOCAL_BODIES = {  # region code → (S&T department, English, organisation kind, role)
    "440100": ("广州市科学技术局", "Guangzhou Science and Technology Bureau", "city_bureau", Role.CITY_REVIEWER),
    "440300": ("深圳市科技创新局", "Shenzhen Science, Technology and Innovation Bureau", "city_bureau",
               Role.CITY_REVIEWER),
    "440115": ("广州市南沙区科学技术局", "Nansha District Science and Technology Bureau", "county_office",
               Role.COUNTY_OFFICE),
}


def _password(username: str) -> str:
    return f"demo-{username}"


def _user(ctx: DemoContext, username: str, role: str, full_name: str, description: str, *, region=None, town=None,
          organisation=None) -> User:
    user = User.objects.filter(username=username).first() or create_user(
        username=username, password=_password(username), role=role, region=region, town=town,
        organisation=organisation, full_name=full_name, check_password=False)
    ctx.users[username] = user
    ctx.add_login(username, _password(username), description)
    return user


def _local_officer(ctx: DemoContext, code: str) -> User:
    name_zh, name_en, kind, role = LOCAL_BODIES[code]
    region = Region.objects.get(code=code)
    org = Organisation.objects.filter(name_zh=name_zh, region=region).first() or create_organisation(
        name_zh=name_zh, name_en=name_en, kind=kind, region=region)
    prefix = "city" if role == Role.CITY_REVIEWER else "county"
    return _user(ctx, f"{prefix}-{region.name_en.lower().replace(' ', '')}", role, f"{name_zh} 演示账号",
                 f"{name_en} ({role}, signs and matches Guangdong projects)", region=region, organisation=org)


def _town_body(ctx: DemoContext, town) -> User:
    return _user(ctx, f"town-{town.code}", Role.TOWN_BODY, f"{town.name_zh}镇政府", f"Town government of {town.name_zh}"
                 f" ({town.code}, Guangdong project)", town=town, organisation=town.managing_body)


def _day(year: int, month: int, day: int) -> dt.date:
    return min(dt.date(year, month, day), TODAY)


def _draft(ctx, town, province, local_code: str, start: dt.date, amounts: tuple[int, int, int, int]) -> Contract:
    enrolment = town.enrolments.get(programme__policy_id=PROGRAMME, ended_on__isnull=True)
    prov, city, county, own = (Decimal(a) for a in amounts)
    return actions.draft_contract(
        enrolment=enrolment, by=province, local_party_region=Region.objects.get(code=local_code), term_start=start,
        provincial_amount=prov, city_amount=city, county_amount=county, town_amount=own,
        number=f"粤科专镇合〔{start.year}〕{town.region.code[2:]}号",
        province_duties=PROVINCE_DUTIES, local_duties=LOCAL_DUTIES, town_duties=TOWN_DUTIES, targets=TARGETS)


def _sign_all(contract: Contract, province: User, local: User, town_user: User, day: dt.date) -> None:
    actions.sign_contract(contract=contract, party=Party.PROVINCE, by=province, signed_on=day)
    actions.sign_contract(contract=contract, party=Party.LOCAL, by=local, signed_on=day + dt.timedelta(days=5))
    actions.sign_contract(contract=contract, party=Party.TOWN, by=town_user, signed_on=day + dt.timedelta(days=9))
    actions.bring_contract_into_force(contract=contract, by=province, on=contract.term_start)


def _ledger(contract: Contract, lines: list[tuple[str, str, str, int, User, str]]) -> None:
    for kind, source, on, amount, by, ref in lines:
        day = dt.date.fromisoformat(on)
        if day <= TODAY:
            actions.record_funding(contract=contract, kind=kind, source=source, amount=Decimal(amount), on=day,
                                   document_ref=ref, by=by)


def _milestones(contract: Contract, town_user: User, plan: list[tuple[int, str, str, bool]]) -> None:
    for year_no, title, planned, done in plan:
        planned_by = dt.date.fromisoformat(planned)
        milestone = actions.add_milestone(contract=contract, year_no=year_no, title=title, planned_by=planned_by,
                                          by=town_user)
        if done and planned_by <= TODAY:
            actions.complete_milestone(milestone=milestone, by=town_user, done_on=planned_by, note="按计划完成 / done as planned")


def _reports(contract: Contract, town_user: User, years: list[int]) -> None:
    for year in years:
        if year <= TODAY.year:
            actions.submit_progress_report(
                contract=contract, year=year, by=town_user,
                summary=f"{year}年：公共技术创新服务平台正常服务，按合同推进各项任务。/ {year}: the platform served "
                        "firms and the contract's tasks went ahead.",
                values={"platform_services": True, "contract_obligations_met": True, "funds_used_compliantly": True,
                        "implementation_under_way": True})


MILESTONES = [
    (1, "完成创新规划修编并通过专家工作组论证 / innovation plan revised and reviewed by the expert group", "03-31"),
    (1, "公共技术创新服务平台检测中心扩建 / testing centre of the innovation platform extended", "10-31"),
    (2, "组建行业产学研联盟 / industry–academia alliance formed", "06-30"),
    (2, "区域品牌集成与推广 / regional brand launched", "11-30"),
    (3, "知识产权服务站投入运行 / IP service desk running", "06-30"),
    (3, "项目总结与验收材料 / project summary and acceptance materials", "11-30"),
]


def _plan(start_year: int, done_until: dt.date) -> list[tuple[int, str, str, bool]]:
    out = []
    for year_no, title, md in MILESTONES:
        day = f"{start_year + year_no - 1}-{md}"
        out.append((year_no, title, day, dt.date.fromisoformat(day) <= done_until))
    return out


@demo_step(order=130, name="Guangdong project contracts, funding ledgers, milestones")
def guangdong_projects(ctx: DemoContext) -> None:
    if PROGRAMME not in ctx.programmes:
        return
    towns = ctx.towns_in_tier(PROGRAMME, "project")
    if len(towns) < 3:
        ctx.say(f"  ! {PROGRAMME}: fewer than three towns in the project tier, no contracts")
        return
    province = ctx.user("province-gd")
    in_force, accepted, awaiting = towns[:3]
    last = TODAY.year - 1

    # 1. In force since last year; the local matching lags the provincial money (flagged).
    if not Contract.objects.filter(town=in_force).exists():
        local, town_user = _local_officer(ctx, in_force.region.city_code), _town_body(ctx, in_force)
        start = dt.date(last, 1, 1)
        contract = _draft(ctx, in_force, province, in_force.region.city_code, start, (300, 150, 0, 150))
        _sign_all(contract, province, local, town_user, dt.date(last - 1, 12, 1))
        _ledger(contract, [
            ("allocation", "provincial", f"{last}-03-15", 200, province, f"粤科资字〔{last}〕18号"),
            ("allocation", "city", f"{last}-06-20", 60, local, f"穗科字〔{last}〕52号"),
            ("allocation", "town", f"{last}-09-01", 40, town_user, f"镇财〔{last}〕9号"),
            ("disbursement", "provincial", f"{last}-11-10", 120, town_user, f"凭证 {last}-0113"),
            ("disbursement", "city", f"{last}-12-05", 60, town_user, f"凭证 {last}-0127"),
            ("allocation", "provincial", f"{last + 1}-03-10", 100, province, f"粤科资字〔{last + 1}〕11号"),
            ("allocation", "town", f"{last + 1}-05-18", 30, town_user, f"镇财〔{last + 1}〕4号"),
        ])
        # A city allocation entered twice, and reversed (红字冲销) rather than edited or deleted.
        twice = actions.record_funding(contract=contract, kind="allocation", source="city", amount=Decimal(60),
                                       on=dt.date(last, 6, 20), document_ref=f"穗科字〔{last}〕52号", by=local)
        actions.reverse_funding(entry=twice, by=local, reason="重复登记 / entered twice",
                                document_ref=f"穗科字〔{last}〕52号 更正", on=dt.date(last, 7, 2))
        _milestones(contract, town_user, _plan(start.year, _day(last + 1, 6, 30)))
        _reports(contract, town_user, [last])
    # 2. The term is over; the town has applied for acceptance (matched 1:1).
    if not Contract.objects.filter(town=accepted).exists():
        local, town_user = _local_officer(ctx, accepted.region.code), _town_body(ctx, accepted)
        start = dt.date(last - 2, 1, 1)
        contract = _draft(ctx, accepted, province, accepted.region.code, start, (300, 0, 200, 100))
        _sign_all(contract, province, local, town_user, dt.date(last - 3, 12, 1))
        _ledger(contract, [
            ("allocation", "provincial", f"{last - 2}-03-01", 150, province, f"粤科资字〔{last - 2}〕7号"),
            ("allocation", "county", f"{last - 2}-05-01", 100, local, f"南科字〔{last - 2}〕15号"),
            ("allocation", "town", f"{last - 2}-07-01", 60, town_user, f"镇财〔{last - 2}〕3号"),
            ("allocation", "provincial", f"{last - 1}-03-01", 150, province, f"粤科资字〔{last - 1}〕9号"),
            ("allocation", "county", f"{last - 1}-06-01", 100, local, f"南科字〔{last - 1}〕21号"),
            ("allocation", "town", f"{last - 1}-08-01", 40, town_user, f"镇财〔{last - 1}〕6号"),
            ("disbursement", "provincial", f"{last}-06-30", 280, town_user, f"凭证 {last}-0208"),
            ("disbursement", "county", f"{last}-09-30", 190, town_user, f"凭证 {last}-0231"),
            ("disbursement", "town", f"{last}-10-31", 95, town_user, f"凭证 {last}-0245"),
        ])
        _milestones(contract, town_user, _plan(start.year, contract.term_end))
        _reports(contract, town_user, [last - 2, last - 1, last])
        actions.apply_for_acceptance(contract=contract, by=town_user, on=_day(last + 1, 1, 15),
                                     summary="实施期满，申请验收。/ The term is over; we apply for acceptance.")
    # 3. Drafted for next year: the province and the city have signed, the town has not yet.
    if not Contract.objects.filter(town=awaiting).exists():
        local, _ = _local_officer(ctx, awaiting.region.city_code), _town_body(ctx, awaiting)
        contract = _draft(ctx, awaiting, province, awaiting.region.city_code, dt.date(TODAY.year + 1, 1, 1),
                          (300, 200, 0, 100))
        actions.sign_contract(contract=contract, party=Party.PROVINCE, by=province, signed_on=TODAY)
        actions.sign_contract(contract=contract, party=Party.LOCAL, by=local, signed_on=TODAY)
    for contract in Contract.objects.filter(programme__policy_id=PROGRAMME).select_related("town"):
        ctx.say(f"  {contract.number} {contract.town.name_zh}: {contract.state}"
                + (" · acceptance applied" if contract.acceptance_applied_on else ""))
