"""Every state change of expert panels, acceptance applications and delegations.

Keyword-only, verb-first, one transaction and one audit row each. Each action checks its
predicate (reviews.permissions) and raises NotAllowed (403) or ActionError (with ``field``).

Panels: create_panel, add_panel_member, declare_conflict, replace_panel_member,
submit_scores, decide_panel. Acceptance: apply_for_acceptance, decide_acceptance_step,
record_field_assessment (called by a decided acceptance panel), extend_after_failed_acceptance.
Delegation: delegate_acceptance, revoke_delegation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

import audit
from accounts.models import Role, User
from portal.errors import ActionError
from programmes.permissions import deciding_roles
from towns.actions import change_tier, record_indicator_values
from towns.models import Enrolment, ExpertAssignment, IndicatorValue, TierChange, Town
from towns.permissions import can_change_tier
from xiaozhen.scoring import DivergenceRule, validate_sheet

from . import permissions as perms
from .models import Acceptance, AcceptanceStepRecord, Delegation, Panel, PanelMember, ScoreSheet
from .selectors import rubric_lines
from .subjects import known_kinds, subject_kind
from .workflow import NAMING_ACTIONS, acceptance_steps, extension_transition, naming_transition

if TYPE_CHECKING:
    from programmes.models import Programme
    from regions.models import Region

#: A panel (专家组) is complete only with at least this many independent sheets.
MIN_SHEETS = 2


# --- panels ---------------------------------------------------------------------------------

@transaction.atomic
def create_panel(
    *, by: User, programme: Programme, town: Town, purpose: str, subject_ref: str, title: str,
    rule: DivergenceRule | None = None,
) -> Panel:
    """Set up a panel reviewing ``subject_ref`` against the programme's rubric (a snapshot)."""
    perms.can_set_up_panel.require(by, programme, town, purpose)
    if purpose not in ExpertAssignment.Purpose.values:
        raise ActionError(f"未知任务 {purpose!r}", f"unknown purpose {purpose!r}", field="purpose")
    kind, _, ident = subject_ref.strip().partition(":")
    if kind not in known_kinds() or not ident:
        raise ActionError(
            f"评审对象须写作 类型:编号，类型为 {'、'.join(known_kinds())}",
            f"the subject must read kind:id with kind one of {', '.join(known_kinds())}", field="subject_ref",
        )
    if not title.strip():
        raise ActionError("请填写标题", "a title is required", field="title")
    entry = subject_kind(kind)
    if entry and entry.check:
        entry.check(ident, programme, town)
    version = programme.version
    rubric = [{"id": item.id, "label": {"zh": item.label.zh, "en": item.label.en}, "max_score": item.max_score}
              for item in version.policy.rubric]
    if not rubric:
        raise ActionError(f"{programme.short_name_zh}的政策文件没有评分表(rubric)",
                          f"{programme.policy_id} has no rubric to score against", field="programme")
    if Panel.objects.filter(subject_ref=f"{kind}:{ident}").exclude(status=Panel.Status.DECIDED).exists():
        raise ActionError("该评审对象已有进行中的专家评审", "this subject already has a panel under way",
                          field="subject_ref")
    panel = Panel.objects.create(
        programme=programme, programme_version=version, town=town, purpose=purpose,
        subject_ref=f"{kind}:{ident}", title=title.strip(), rubric=rubric,
        rule=(rule or DivergenceRule()).as_dict(), created_by=by,
    )
    audit.record(actor=by, verb="create_panel", obj=panel, to_state=panel.status,
                 data={"subject": panel.subject_ref, "purpose": purpose, "programme": programme.policy_id,
                       "programme_version": version.number, "rule": panel.rule})
    return panel


def _lock(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().select_related("town__region", "programme").get(pk=panel.pk)


def _open_for_changes(panel: Panel) -> None:
    if panel.status == Panel.Status.DECIDED:
        raise ActionError("评审已决定，不能再修改", "the panel has been decided and can no longer change")


@transaction.atomic
def add_panel_member(*, panel: Panel, expert: User, by: User) -> PanelMember:
    panel = _lock(panel)
    perms.can_manage_panel.require(by, panel)
    _open_for_changes(panel)
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ActionError("只能选择在册专家", "only an active expert can sit on a panel", field="expert")
    if panel.members.filter(expert=expert, active=True).exists():
        raise ActionError(f"{expert.display_name} 已在评审组中", f"{expert.username} is already on the panel",
                          field="expert")
    if panel.members.filter(expert=expert, conflict=PanelMember.Conflict.CONFLICTED).exists():
        raise ActionError(f"{expert.display_name} 已声明利益冲突", f"{expert.username} declared a conflict here",
                          field="expert")
    member = PanelMember.objects.create(panel=panel, expert=expert, added_by=by)
    audit.record(actor=by, verb="add_panel_member", obj=member, data={"panel": panel.pk, "expert": expert.username})
    _refresh_status(panel, by)
    return member


@transaction.atomic
def declare_conflict(*, member: PanelMember, by: User, conflicted: bool, note: str = "") -> PanelMember:
    """The expert declares, before seeing the material, whether they have a conflict of interest.

    A conflict takes them off scoring (they no longer see the town); the officer may replace them.
    """
    member = PanelMember.objects.select_for_update().select_related("panel__town__region").get(pk=member.pk)
    perms.acts_as_member.require(by, member)
    _open_for_changes(member.panel)
    if member.conflict != PanelMember.Conflict.UNDECLARED:
        raise ActionError("已经声明过", "already declared", field="conflicted")
    if conflicted and not note.strip():
        raise ActionError("请说明利益冲突的情况", "describe the conflict of interest", field="note")
    member.conflict = PanelMember.Conflict.CONFLICTED if conflicted else PanelMember.Conflict.NONE
    member.conflict_note = note.strip()
    member.declared_at = timezone.now()
    member.save(update_fields=["conflict", "conflict_note", "declared_at"])
    audit.record(actor=by, verb="declare_conflict", obj=member, from_state=PanelMember.Conflict.UNDECLARED,
                 to_state=member.conflict, reason=member.conflict_note, data={"panel": member.panel_id})
    _refresh_status(member.panel, by)
    return member


@transaction.atomic
def replace_panel_member(*, member: PanelMember, expert: User, by: User, reason: str) -> PanelMember:
    """Take a member who has not scored (e.g. one who declared a conflict) off and add ``expert``."""
    member = PanelMember.objects.select_for_update().select_related("panel").get(pk=member.pk)
    panel = _lock(member.panel)
    perms.can_manage_panel.require(by, panel)
    _open_for_changes(panel)
    if not member.active:
        raise ActionError("该专家已被替换", "this member was already replaced", field="member")
    if ScoreSheet.objects.filter(member=member).exists():
        raise ActionError("已提交评分的专家不能替换", "a member who has scored cannot be replaced", field="member")
    if not reason.strip():
        raise ActionError("请说明替换理由", "a reason is required", field="reason")
    member.active = False
    member.removed_reason = reason.strip()
    member.save(update_fields=["active", "removed_reason"])
    audit.record(actor=by, verb="replace_panel_member", obj=member, from_state="active", to_state="replaced",
                 reason=member.removed_reason, data={"panel": panel.pk, "expert": member.expert.username,
                                                     "replacement": expert.username})
    return add_panel_member(panel=panel, expert=expert, by=by)


@transaction.atomic
def submit_scores(
    *, member: PanelMember, by: User, scores: Mapping[str, float | None], comments: Mapping[str, str] | None = None,
    overall_comment: str = "",
) -> ScoreSheet:
    """The expert's own, independent scores: once, after declaring no conflict, checked item by item."""
    member = PanelMember.objects.select_for_update().select_related("panel__town__region").get(pk=member.pk)
    panel = member.panel
    perms.acts_as_member.require(by, member)
    _open_for_changes(panel)
    perms.not_conflicted.require(by, member)
    if member.conflict != PanelMember.Conflict.NONE:
        raise ActionError("请先声明有无利益冲突", "declare conflicts of interest first", field="conflicted")
    if ScoreSheet.objects.filter(member=member).exists():
        raise ActionError("评分已提交，不能修改", "your scores are in and cannot be changed")
    comments = {k: str(v).strip() for k, v in (comments or {}).items() if str(v).strip()}
    rubric = rubric_lines(panel)
    rule = DivergenceRule.from_dict(panel.rule)
    problems = validate_sheet(rubric, scores, comments, rule)
    if problems:
        raise ActionError("评分有误", "the scores have problems", field=f"score_{problems[0].item}",
                          details=[str(p) for p in problems])
    clean = {line.id: float(scores[line.id]) for line in rubric}  # type: ignore[arg-type]
    sheet = ScoreSheet.objects.create(member=member, scores=clean, comments=comments,
                                      overall_comment=overall_comment.strip(), total=sum(clean.values()))
    audit.record(actor=by, verb="submit_scores", obj=sheet, data={"panel": panel.pk, "total": sheet.total})
    _refresh_status(panel, by)
    return sheet


def _refresh_status(panel: Panel, by: User) -> None:
    if panel.status == Panel.Status.DECIDED:
        return
    members = list(panel.members.filter(active=True).exclude(conflict=PanelMember.Conflict.CONFLICTED))
    handed_in = ScoreSheet.objects.filter(member__in=members).count()
    if handed_in == 0:
        status = Panel.Status.OPEN
    elif handed_in == len(members) and handed_in >= MIN_SHEETS:
        status = Panel.Status.COMPLETE
    else:
        status = Panel.Status.SCORING
    if status != panel.status:
        before = panel.status
        Panel.objects.filter(pk=panel.pk).update(status=status)
        panel.status = status
        audit.record(actor=by, verb="panel_status", obj=panel, from_state=before, to_state=status,
                     data={"sheets": handed_in, "scoring_members": len(members)})


@transaction.atomic
def decide_panel(*, panel: Panel, by: User, outcome: str, reason: str) -> Panel:
    """The officer passes or fails the panel, having seen the aggregate and its flags."""
    from .selectors import panel_aggregate

    panel = _lock(panel)
    perms.can_decide_panel.require(by, panel)
    if panel.status != Panel.Status.COMPLETE:
        raise ActionError("评分尚未完成，不能决定", "scoring is not complete yet", field="outcome")
    if outcome not in Panel.Outcome.values:
        raise ActionError("请选择通过或未通过", "choose pass or fail", field="outcome")
    if not reason.strip():
        raise ActionError("请说明决定理由", "a reason is required", field="reason")
    result = panel_aggregate(panel)
    panel.status, panel.outcome, panel.decision_reason = Panel.Status.DECIDED, outcome, reason.strip()
    panel.decided_by, panel.decided_at = by, timezone.now()
    panel.save(update_fields=["status", "outcome", "decision_reason", "decided_by", "decided_at"])
    audit.record(
        actor=by, verb="decide_panel", obj=panel, from_state=Panel.Status.COMPLETE, to_state=outcome,
        reason=panel.decision_reason,
        data={"subject": panel.subject_ref, "mean_total": result.total.mean, "max_total": result.total.max_score,
              "sd_total": result.total.sd, "sheets": result.n,
              "flags": [{"expert": f.expert, "item": f.item, "score": f.score, "others_mean": f.others_mean}
                        for f in result.flags]},
    )
    entry = subject_kind(panel.subject_kind)
    if entry and entry.on_decided:
        entry.on_decided(panel, by)
    return panel


# --- acceptance -----------------------------------------------------------------------------

@transaction.atomic
def apply_for_acceptance(
    *, enrolment: Enrolment, by: User, summary: str, material_ref: str = "", today: dt.date | None = None
) -> Acceptance:
    """The town body applies for acceptance (验收申请) when its period is over and its tier can be named."""
    enrolment = Enrolment.objects.select_for_update().select_related("town__region", "programme").get(pk=enrolment.pk)
    perms.can_apply_for_acceptance.require(by, enrolment)
    policy = enrolment.programme.policy
    if not enrolment.is_open:
        raise ActionError("该入选记录已终止", "this enrolment has ended", field="enrolment")
    if naming_transition(policy, enrolment.tier) is None:
        raise ActionError(f"“{enrolment.tier_label.zh}”层级不能验收命名",
                          f"a town in tier {enrolment.tier!r} cannot be named in {policy.id}", field="enrolment")
    years = policy.lifecycle.acceptance_after_years
    today = today or dt.date.today()
    if years:
        due = _add_years(enrolment.started_on, years)
        if today < due:
            raise ActionError(f"建设期 {years} 年未满，{due:%Y-%m-%d} 起可申请验收",
                              f"the {years}-year period is not over: acceptance opens on {due:%Y-%m-%d}",
                              field="enrolment")
    if not summary.strip():
        raise ActionError("请填写总结材料", "a summary of the work is required", field="summary")
    if Acceptance.objects.filter(enrolment=enrolment, status=Acceptance.Status.IN_REVIEW).exists():
        raise ActionError("已有进行中的验收申请", "an acceptance application is already under way", field="enrolment")
    steps = acceptance_steps(policy, deciding_roles(enrolment.programme))
    try:
        acceptance = Acceptance.objects.create(
            enrolment=enrolment, programme_version=enrolment.programme.version, summary=summary.strip(),
            material_ref=material_ref.strip(), steps=steps, applied_by=by,
        )
    except IntegrityError as exc:  # a concurrent application won
        raise ActionError("已有进行中的验收申请", "an acceptance application is already under way",
                          field="enrolment") from exc
    audit.record(actor=by, verb="apply_for_acceptance", obj=acceptance, to_state=acceptance.status,
                 data={"town": enrolment.town.code, "programme": enrolment.programme.policy_id,
                       "steps": [s["id"] for s in steps]})
    return acceptance


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _lock_acceptance(acceptance: Acceptance) -> Acceptance:
    return Acceptance.objects.select_for_update().select_related(
        "enrolment__town__region", "enrolment__programme"
    ).get(pk=acceptance.pk)


@transaction.atomic
def decide_acceptance_step(
    *, acceptance: Acceptance, by: User, outcome: str, reason: str, decision_ref: str = "",
    effective_on: dt.date | None = None,
) -> Acceptance:
    """Pass or fail the current (non-expert) step. Passing the final approve step names the town:
    towns.actions.change_tier with the programme's ``action: name`` transition."""
    acceptance = _lock_acceptance(acceptance)
    perms.can_take_acceptance_step.require(by, acceptance)
    step = acceptance.current_step
    assert step is not None  # the predicate said there is one
    if outcome not in Panel.Outcome.values:
        raise ActionError("请选择通过或未通过", "choose pass or fail", field="outcome")
    if not reason.strip():
        raise ActionError("请说明理由", "a reason is required", field="reason")
    if step["action"] in NAMING_ACTIONS and outcome == Panel.Outcome.PASS:
        transition = naming_transition(acceptance.programme.policy, acceptance.enrolment.tier)
        if transition is None:
            raise ActionError("当前层级不能命名", "the town's current tier cannot be named", field="outcome")
        change = change_tier(enrolment=acceptance.enrolment, to_tier=transition.to or "", by=by,
                             reason=reason, decision_ref=decision_ref, effective_on=effective_on,
                             transition_id=transition.id)
        acceptance.tier_change = change
    _record_step(acceptance, step, outcome, reason, by)
    return acceptance


def _record_step(acceptance: Acceptance, step: dict, outcome: str, reason: str, by: User, panel: Panel | None = None) -> None:
    before = acceptance.status
    AcceptanceStepRecord.objects.create(acceptance=acceptance, step_id=step["id"], outcome=outcome,
                                        reason=reason.strip(), panel=panel, decided_by=by)
    _record_confirmed(acceptance, step, outcome, by)
    if outcome == Panel.Outcome.FAIL:
        acceptance.status = Acceptance.Status.FAILED
        acceptance.outcome_reason = reason.strip()
    else:
        acceptance.step_index += 1
        if step["action"] in NAMING_ACTIONS:
            acceptance.status = Acceptance.Status.NAMED
            acceptance.outcome_reason = reason.strip()
    acceptance.save(update_fields=["status", "outcome_reason", "step_index", "tier_change"])
    audit.record(actor=by, verb="decide_acceptance_step", obj=acceptance, from_state=before,
                 to_state=acceptance.status, reason=reason.strip(),
                 data={"step": step["id"], "outcome": outcome, "panel": panel.pk if panel else None,
                       "tier_change": acceptance.tier_change_id})


def _record_confirmed(acceptance: Acceptance, step: dict, outcome: str, by: User) -> None:
    """The yes/no indicators the step ``confirms`` (e.g. Guangxi's expert_assessment_passed, 000 第四部分(五)),
    recorded as the town's actual value for the year of the decision: yes when it passes, no when it fails.
    The annual assessment then reads them like any other fact."""
    confirms = step.get("confirms") or []
    if not confirms:
        return
    year = str(timezone.localdate().year)
    label = step.get("label") or {}
    record_indicator_values(
        town=acceptance.enrolment.town, programme=acceptance.programme, by=by,
        source=IndicatorValue.Source.ACCEPTANCE, source_ref=acceptance.subject_ref,
        reason=f"{label.get('zh', step['id'])} / {label.get('en', step['id'])}: {outcome}",
        values=[{"indicator": ident, "period": year, "basis": "actual", "value": outcome == Panel.Outcome.PASS}
                for ident in confirms],
    )


@transaction.atomic
def record_field_assessment(*, panel: Panel, by: User) -> Acceptance:
    """A decided acceptance panel moves its acceptance on (pass) or fails it (called by decide_panel)."""
    perms.can_decide_panel.require(by, panel)
    if panel.subject_kind != "acceptance" or panel.status != Panel.Status.DECIDED:
        raise ActionError("不是已决定的验收评审", "not a decided acceptance panel")
    acceptance = _lock_acceptance(Acceptance.objects.get(pk=panel.subject_id))
    step = acceptance.current_step
    if step is None or step["action"] != "expert_review":
        raise ActionError("该验收当前不在专家评估步骤", "the acceptance is not at its expert assessment step")
    reason = f"{panel.get_outcome_display()}: {panel.decision_reason}"
    _record_step(acceptance, step, panel.outcome, reason, by, panel=panel)
    return acceptance


@transaction.atomic
def extend_after_failed_acceptance(
    *, acceptance: Acceptance, by: User, reason: str, decision_ref: str, effective_on: dt.date | None = None
) -> TierChange:
    """Confirm the programme's ``action: extend`` transition proposed after a failed acceptance."""
    acceptance = _lock_acceptance(acceptance)
    can_change_tier.require(by, acceptance.enrolment)
    if acceptance.status != Acceptance.Status.FAILED or acceptance.tier_change_id:
        raise ActionError("只有未通过且未处理的验收可以延期", "only a failed acceptance not yet acted on can be extended")
    transition = extension_transition(acceptance.programme.policy, acceptance.enrolment.tier)
    if transition is None:
        raise ActionError("政策文件没有验收未通过后的延期规则", "the programme has no extension after a failed acceptance")
    change = change_tier(enrolment=acceptance.enrolment, to_tier=transition.to or "", by=by, reason=reason,
                         decision_ref=decision_ref, effective_on=effective_on, transition_id=transition.id)
    acceptance.tier_change = change
    acceptance.save(update_fields=["tier_change"])
    audit.record(actor=by, verb="extend_after_failed_acceptance", obj=acceptance, from_state=change.from_tier,
                 to_state=change.to_tier, reason=change.reason, data={"transition": transition.id,
                                                                     "tier_change": change.pk})
    return change


# --- delegation -----------------------------------------------------------------------------

@transaction.atomic
def delegate_acceptance(
    *, by: User, programme: Programme, region: Region, town: Town | None = None, reason: str = ""
) -> Delegation:
    """The province delegates organising a programme's (or one town's) acceptance to a city or county (004 §三6)."""
    perms.can_delegate_acceptance.require(by, programme, region)
    if town is not None and not town.region.code.startswith(region.scope_prefix):
        raise ActionError("该小镇不在受托地区内", "the town is not in the delegated region", field="town")
    existing = Delegation.objects.filter(programme=programme, region=region, town=town, active=True).first()
    if existing:
        raise ActionError("已有相同的委托", "this delegation already exists", field="region")
    delegation = Delegation.objects.create(programme=programme, region=region, town=town, reason=reason.strip(),
                                           created_by=by)
    audit.record(actor=by, verb="delegate_acceptance", obj=delegation, to_state="active", reason=delegation.reason,
                 data={"programme": programme.policy_id, "region": region.code, "town": town.code if town else None})
    return delegation


@transaction.atomic
def revoke_delegation(*, delegation: Delegation, by: User, reason: str = "") -> Delegation:
    perms.can_delegate_acceptance.require(by, delegation.programme, delegation.region)
    delegation.active = False
    delegation.save(update_fields=["active"])
    audit.record(actor=by, verb="revoke_delegation", obj=delegation, from_state="active", to_state="revoked",
                 reason=reason)
    return delegation
