"""Demo data for expert panels and acceptance (idempotent; run by ``manage.py load_demo``).

Guangxi innovation towns (000), whose rubric the experts score against:

* four assessment panels, one in each state — open (one expert declared a conflict, the demo
  ``expert`` has still to declare), scoring (``expert`` has declared and has to score),
  complete (four experts, one of them divergent and flagged), decided (passed);
* an acceptance application waiting for its expert field assessment;
* a town named through acceptance (field assessment passed → named, 000 第四部分(五)).

Extra expert logins: ``expert2`` … ``expert4`` (password ``demo-<username>``).
"""

from __future__ import annotations

from accounts.actions import create_user
from accounts.models import Role, User
from demo.registry import DemoContext, demo_step
from reviews import actions
from reviews.models import Acceptance, Panel, PanelMember
from reviews.workflow import naming_transition
from towns.models import Enrolment

PROGRAMME = "guangxi-innovation-towns"
EXPERTS = [("expert2", "评审专家 王研究员"), ("expert3", "评审专家 陈高工"), ("expert4", "评审专家 赵教授")]

# Shares of each item's maximum the demo experts give (≥ 0.6, so no comment is required);
# expert4's low marks on the complete panel make it the divergent one.
PROFILES = {"expert": 0.82, "expert2": 0.8, "expert3": 0.86, "expert4": 0.6}


def _experts(ctx: DemoContext) -> dict[str, User]:
    out = {"expert": ctx.user("expert")}
    for username, full_name in EXPERTS:
        user = User.objects.filter(username=username).first() or create_user(
            username=username, password=f"demo-{username}", role=Role.EXPERT, full_name=full_name, check_password=False,
        )
        out[username] = user
        ctx.add_login(username, f"demo-{username}", "Expert (panels only)")
    return out


def _panel(ctx, town, subject_ref: str, title: str, purpose: str = "annual_assessment") -> tuple[Panel, bool]:
    existing = Panel.objects.filter(subject_ref=subject_ref).first()
    if existing:
        return existing, False
    programme = ctx.programmes[PROGRAMME]
    return actions.create_panel(by=ctx.user("province"), programme=programme, town=town, purpose=purpose,
                                subject_ref=subject_ref, title=title), True


def _join(panel: Panel, by, experts: list[User]) -> list[PanelMember]:
    return [actions.add_panel_member(panel=panel, expert=e, by=by) for e in experts]


def _score(member: PanelMember, share: float) -> None:
    actions.declare_conflict(member=member, by=member.expert, conflicted=False)
    scores = {item["id"]: round(item["max_score"] * share * 2) / 2 for item in member.panel.rubric}
    actions.submit_scores(member=member, by=member.expert, scores=scores, overall_comment="演示评分 / demo scores")


def _enrolments(ctx: DemoContext) -> tuple[list[Enrolment], list[Enrolment]]:
    """The programme's open demo enrolments, and the two (stable across runs) used for acceptance."""
    programme = ctx.programmes[PROGRAMME]
    enrolments = list(Enrolment.objects.filter(programme=programme, ended_on__isnull=True, town__in=ctx.towns[PROGRAMME])
                      .select_related("town").order_by("town__code"))
    nameable = [e for e in enrolments if naming_transition(programme.policy, e.tier) or e.acceptances.exists()]
    return enrolments, nameable[:2]


# Before the indicator values (order 40): the base step writes a town's figures for the tier it
# holds, so the naming must come first for a second load_demo to change nothing.
@demo_step(order=38, name="an acceptance awaiting field assessment, a town named through acceptance")
def acceptances(ctx: DemoContext) -> None:
    if PROGRAMME not in ctx.programmes:
        return
    _, nameable = _enrolments(ctx)
    experts = _experts(ctx)
    _acceptances(ctx, nameable, ctx.user("province"), [experts["expert2"], experts["expert3"]])


@demo_step(order=120, name="expert panels in every state")
def reviews(ctx: DemoContext) -> None:
    if PROGRAMME not in ctx.programmes:
        return
    enrolments, nameable = _enrolments(ctx)
    others = [e.town for e in enrolments if e not in nameable]
    if not others:
        ctx.say(f"  ! {PROGRAMME}: no open towns for the review demo")
        return
    towns = [others[n % len(others)] for n in range(4)]
    province = ctx.user("province")
    experts = _experts(ctx)
    e1, e2, e3, e4 = (experts[k] for k in ("expert", "expert2", "expert3", "expert4"))
    year = enrolments[0].started_on.year + 2

    panel, new = _panel(ctx, towns[0], f"assessment:{year}-{towns[0].code}", f"{towns[0].name_zh} {year} 年度专家评审")
    if new:  # open: expert2 stood down for a conflict, expert3 declared none, the demo expert has to declare
        m1, m2, m3 = _join(panel, province, [e1, e2, e3])
        actions.declare_conflict(member=m2, by=e2, conflicted=True, note="曾参与该小镇规划编制 / drafted its plan")
        actions.declare_conflict(member=m3, by=e3, conflicted=False)

    panel, new = _panel(ctx, towns[1], f"assessment:{year}-{towns[1].code}", f"{towns[1].name_zh} {year} 年度专家评审")
    if new:  # scoring: two sheets in, the demo expert declared no conflict and has to score
        m1, m2, m3 = _join(panel, province, [e1, e2, e3])
        actions.declare_conflict(member=m1, by=e1, conflicted=False)
        _score(m2, PROFILES["expert2"])
        _score(m3, PROFILES["expert3"])

    panel, new = _panel(ctx, towns[2], f"assessment:{year}-{towns[2].code}", f"{towns[2].name_zh} {year} 年度专家评审")
    if new:  # complete: four sheets, expert4 far below the others (flagged)
        for m in _join(panel, province, [e1, e2, e3, e4]):
            _score(m, PROFILES[m.expert.username])

    panel, new = _panel(ctx, towns[3], f"assessment:{year}-{towns[3].code}", f"{towns[3].name_zh} {year} 年度专家评审")
    if new:  # decided
        for m in _join(panel, province, [e2, e3]):
            _score(m, PROFILES[m.expert.username])
        actions.decide_panel(panel=panel, by=province, outcome="pass", reason="专家组评分一致，年度考核合格（演示）")


def _acceptances(ctx: DemoContext, enrolments: list[Enrolment], province, experts: list[User]) -> None:
    waiting = next((e for e in enrolments if e.acceptances.exclude(status=Acceptance.Status.NAMED).exists()), None)
    named = next((e for e in enrolments if e.acceptances.filter(status=Acceptance.Status.NAMED).exists()), None)
    fresh = [e for e in enrolments if not e.acceptances.exists()]
    if waiting is None and fresh:
        enrolment = fresh.pop(0)
        actions.apply_for_acceptance(enrolment=enrolment, by=province, material_ref="演示材料 / demo material",
                                     summary="培育期三年：固定资产投资 12.6 亿元，特色产业占比 76%，建成众创空间 1 个（演示）")
        ctx.say(f"  acceptance awaiting field assessment: {enrolment.town.name_zh}")
    if named is None and fresh:
        enrolment = fresh.pop(0)
        acceptance = actions.apply_for_acceptance(
            enrolment=enrolment, by=province, summary="培育期满，各项指标完成（演示）", material_ref="演示材料")
        panel = actions.create_panel(by=province, programme=enrolment.programme, town=enrolment.town,
                                     purpose="acceptance", subject_ref=acceptance.subject_ref,
                                     title=f"{enrolment.town.name_zh} 验收现场评估")
        for m in _join(panel, province, experts):
            _score(m, PROFILES[m.expert.username])
        actions.decide_panel(panel=panel, by=province, outcome="pass", reason="现场查看评估合格（演示）")
        actions.decide_acceptance_step(acceptance=acceptance, by=province, outcome="pass",
                                       reason="专家现场评估合格，命名为自治区创新小镇（演示）",
                                       decision_ref=f"桂科〔{acceptance.applied_at.year}〕演示1号")
        ctx.say(f"  named through acceptance: {enrolment.town.name_zh}")
