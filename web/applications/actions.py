"""Every state change of calls, applications, materials and review decisions.

Keyword-only, verb-first, one transaction and one audit row each. Each checks its
predicate (applications.permissions) and raises NotAllowed (403) or ActionError (with
``field``) for bad input. The state moves through workflow.apply_transition only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

import audit
from accounts.models import Organisation, User
from accounts.permissions import in_scope
from portal.errors import ActionError, NotAllowed
from towns.actions import enrol_town, record_indicator_values
from towns.models import Enrolment, IndicatorValue, Town

from . import permissions as perms
from .facts import fact_fields, missing_required, normalise_facts, verdict_to_json
from .models import Application, Call, DepartmentOpinion, Material, StepDecision, Submission
from .selectors import recommended_for_ranking
from .uploads import check_upload
from .verdicts import application_verdict, confirmed_indicators
from .workflow import LIST, PASS, REJECT, RETURN, SUBMIT, apply_transition

if TYPE_CHECKING:
    from programmes.models import Programme
    from regions.models import Region
    from xiaozhen.policy import Policy
    from xiaozhen.policy._schema import ReviewStep

State = Application.State
Outcome = StepDecision.Outcome


# ------------------------------------------------------------------------------------- calls

@transaction.atomic
def open_call(
    *, programme: Programme, title: str, opens_on: dt.date, closes_on: dt.date, by: User, note: str = "",
    region: Region | None = None,
    first_plan_year: int | None = None,
) -> Call:
    """Open a call for applications (申报通知) with its window."""
    perms.can_open_call.require(by, programme)
    if programme.current_version is None:
        raise ActionError("该项目尚未载入政策文件", "the programme has no policy version yet", field="programme")
    if not title.strip():
        raise ActionError("请填写通知标题", "the title is required", field="title")
    if closes_on < opens_on:
        raise ActionError("截止日期不得早于开始日期", "the call cannot close before it opens", field="closes_on")
    region = region or programme.region or by.region
    if region is None or not programme.covers(region) or not (by.region and by.region.contains(region)):
        raise ActionError("申报范围须在本辖区和项目范围之内", "the call's region must be inside yours and the programme's",
                          field="region")
    call = Call.objects.create(
        programme=programme, region=region, title=title.strip(), note=note.strip(), opens_on=opens_on,
        closes_on=closes_on, first_plan_year=first_plan_year or opens_on.year, opened_by=by,
    )
    audit.record(actor=by, verb="open_call", obj=call, to_state="open",
                 data={"programme": programme.policy_id, "programme_version": programme.current_version.number,
                       "opens_on": opens_on, "closes_on": closes_on, "region": region.code,
                       "first_plan_year": call.first_plan_year})
    return call


def _window_check(call: Call, today: dt.date) -> None:
    if today < call.opens_on:
        raise ActionError(f"申报尚未开始：{call.opens_on:%Y-%m-%d} 起可申报",
                          f"the call opens on {call.opens_on:%Y-%m-%d}; applications are not yet accepted",
                          field="call")
    if today > call.closes_on:
        raise ActionError(f"申报已于 {call.closes_on:%Y-%m-%d} 截止",
                          f"the call closed on {call.closes_on:%Y-%m-%d}; applications are no longer accepted",
                          field="call")


# ------------------------------------------------------------------------------ applications

@transaction.atomic
def start_application(*, call: Call, town: Town, by: User, category: str = "", sub_sector: str = "",
                      today: dt.date | None = None) -> Application:
    """A town body starts its town's application to an open call (a draft)."""
    perms.can_apply.require(by, call, town)
    _window_check(call, today or timezone.localdate())
    if Application.objects.filter(call=call, town=town).exists():
        raise ActionError("本小镇已申报该通知", "your town already has an application to this call", field="call")
    if Enrolment.objects.filter(town=town, programme=call.programme, ended_on__isnull=True).exists():
        raise ActionError("本小镇已在该项目名单中", "your town is already on this programme's list", field="call")
    application = Application.objects.create(
        call=call, programme=call.programme, town=town, created_by=by,
        category=category or _default_category(call.programme.policy, town), sub_sector=sub_sector or town.sub_sector,
    )
    audit.record(actor=by, verb="start_application", obj=application, to_state=application.state,
                 data={"call": call.pk, "programme": call.programme.policy_id, "town": town.code})
    return application


def _default_category(policy: Policy, town: Town) -> str:
    ids = {c.id for c in policy.categories}
    return town.category if town.category in ids else ""


@transaction.atomic
def save_draft(*, application: Application, data: dict[str, Any], by: User, category: str | None = None,
               sub_sector: str | None = None) -> Application:
    """Keep the town's answers as typed, valid or not (checked at submission)."""
    application = _locked(application)
    perms.can_edit_application.require(by, application)
    facts = normalise_facts(application.programme.policy, application.call.plan_periods, data)
    changed = facts != application.facts
    application.facts = facts
    fields = ["facts", "updated_at"]
    if category is not None:
        application.category = category
        fields.append("category")
    if sub_sector is not None:
        application.sub_sector = sub_sector.strip()
        fields.append("sub_sector")
    application.save(update_fields=fields)
    audit.record(actor=by, verb="save_draft", obj=application, from_state=application.state,
                 to_state=application.state, data={"facts_changed": changed, "answered": len(facts)})
    return application


@transaction.atomic
def upload_material(*, application: Application, material_id: str, upload: UploadedFile, by: User) -> Material:
    """Attach a file for one item of the programme's checklist; a new one supersedes the old."""
    application = _locked(application)
    perms.can_edit_application.require(by, application)
    item = next((m for m in application.programme.policy.materials if m.id == material_id), None)
    if item is None:
        raise ActionError(f"材料清单中没有 {material_id!r}", f"{material_id!r} is not on the programme's checklist",
                          field="material_id")
    checked = check_upload(upload, label_zh=item.label.zh, label_en=item.label.en)
    previous = Material.objects.filter(application=application, material_id=material_id, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    material = Material(
        application=application, material_id=material_id, original_name=(upload.name or "")[:255],
        extension=checked.extension, size=checked.size, sha256=checked.sha256, uploaded_by=by,
    )
    material.file.save("upload", upload, save=False)
    try:
        material.save()
        audit.record(actor=by, verb="upload_material", obj=application, from_state=application.state,
                     to_state=application.state,
                     data={"material": material_id, "clause": item.clause, "file": material.original_name,
                           "size": checked.size, "sha256": checked.sha256,
                           "replaces": previous.original_name if previous else None})
    except Exception:
        if material.file.name:
            material.file.storage.delete(material.file.name)  # no row, no file
        raise
    return material


@transaction.atomic
def submit_application(*, application: Application, by: User, today: dt.date | None = None) -> Submission:
    """Submit (or resubmit after a return): the facts and materials are checked, the verdict at
    submission is recorded with the programme version, the facts are written as indicator values
    (basis plan, source application) and the application goes to the first review step."""
    application = _locked(application)
    perms.can_edit_application.require(by, application)
    call = application.call
    if application.state == State.DRAFT:
        _window_check(call, today or timezone.localdate())
    programme = application.programme
    version = programme.version
    policy = version.policy
    steps = policy.review_steps("application")
    if not steps:
        raise ActionError("该项目的政策文件没有申报审核环节", "the programme file has no application review chain",
                          field="programme")
    problems: list[str] = []
    if policy.categories and application.category not in {c.id for c in policy.categories}:
        problems.append("请选择项目中的类别 / choose the category in this programme")
    problems += [message for _, message in missing_required(policy, call.plan_periods, application.facts)]
    live = application_verdict(application, confirmed=set())
    problems += [m for msgs in live.problems.values() for m in msgs] + live.general
    current = list(Material.objects.filter(application=application, is_current=True))
    have = {m.material_id for m in current}
    for item in policy.materials:
        if item.required and item.id not in have:
            problems.append(f"缺少材料：{item.label.zh}({item.clause}) / material missing: {item.label.en} ({item.clause})")
    if problems:
        raise ActionError("申报尚不能提交", "the application cannot be submitted yet", field="facts", details=problems)
    before, after = apply_transition(application, SUBMIT)
    number = application.submissions.count() + 1
    submission = Submission.objects.create(
        application=application, number=number, submitted_by=by, programme_version=version,
        facts=application.facts, verdict=verdict_to_json(live, version),
        materials=[{"id": m.pk, "material_id": m.material_id, "name": m.original_name, "size": m.size,
                    "sha256": m.sha256} for m in current],
    )
    application.current_step = steps[0].id
    application.rank = None
    application.submitted_at = timezone.now()
    application.save(update_fields=["state", "current_step", "rank", "submitted_at", "updated_at"])
    _record_facts(application, by=by)
    audit.record(actor=by, verb="submit_application", obj=application, from_state=before, to_state=after,
                 data={"submission": number, "verdict": live.outcome, "programme_version": version.number,
                       "content_hash": version.content_hash, "next_step": steps[0].id})
    return submission


def _record_facts(application: Application, *, by: User) -> None:
    """The submitted facts as plan values of the town (a blank now clears an earlier answer)."""
    policy = application.programme.policy
    periods = application.call.plan_periods
    existing = set(
        IndicatorValue.objects.filter(town=application.town, programme=application.programme,
                                      source_ref=application.source_ref).values_list("indicator_id", "period")
    )
    values = []
    for f in fact_fields(policy):
        for period in periods if f.yearly else periods[:1]:
            value = application.facts.get(f.id, {}).get(period)
            if value is not None or (f.id, period) in existing:
                values.append({"indicator": f.id, "period": period, "basis": "plan", "value": value})
    if values:
        record_indicator_values(town=application.town, programme=application.programme, values=values, by=by,
                                source=IndicatorValue.Source.APPLICATION, source_ref=application.source_ref,
                                reason="申报提交 / application submitted")


# ---------------------------------------------------------------------------------- the chain

@transaction.atomic
def decide_step(
    *, application: Application, step_id: str, outcome: str, reason: str, by: User, rank: int | None = None,
    tier: str | None = None,
) -> StepDecision:
    """Decide the application's current review step: pass it on, return it to the town, or reject it.

    A joint review step (``department_opinions``, 003 §四(二)) is decided, whatever the outcome, only
    once departments are named and every one of them has given its opinion (联审 before 审定).

    ``reason`` is required to return or reject, and for an expert_review step (the provincial
    officer records the expert group's conclusion). A ``recommend`` step that passes ranks the
    application (1, 2 …) among those the decider recommends in the same call (000 择优推荐).
    Passing the last step lists the town: ``towns.actions.enrol_town`` in the programme's entry
    tier (``tier`` picks one when the file has several); if it refuses, nothing is decided.
    """
    application = _locked(application)
    perms.can_decide_step.require(by, application, step_id)
    if outcome not in Outcome.values:
        raise ActionError(f"未知结果 {outcome!r}", f"unknown outcome {outcome!r}", field="outcome")
    programme = application.programme
    version = programme.version
    policy = version.policy
    steps = policy.review_steps("application")
    index = next(i for i, s in enumerate(steps) if s.id == step_id)
    step = steps[index]
    reason = (reason or "").strip()
    if not reason and (outcome != Outcome.PASS or step.action == "expert_review"):
        why = ("专家组评审结论须写明理由", "the expert group's conclusion needs a reason") \
            if outcome == Outcome.PASS else ("退回或不予通过须说明理由", "a reason is required to return or reject")
        raise ActionError(*why, field="reason")
    if step.department_opinions:
        _require_department_opinions(application, step)
    last = index == len(steps) - 1
    if outcome == Outcome.PASS and step.action == "recommend":
        rank = _check_rank(application, rank, by)
    else:
        rank = None
    events: dict[str, str] = {Outcome.RETURN: RETURN, Outcome.REJECT: REJECT}
    event = events.get(outcome, LIST if last else PASS)
    seen = application_verdict(application)
    before, after = apply_transition(application, event)
    submission = application.submissions.order_by("-number").first()
    assert submission is not None  # a step is decided on a submitted application
    decision = StepDecision.objects.create(
        application=application, submission=submission, step_id=step.id, step_action=step.action,
        clause=step.clause, outcome=outcome, reason=reason, rank=rank, from_state=before, to_state=after,
        verdict=verdict_to_json(seen, version), programme_version=version, decided_by=by,
    )
    if outcome == Outcome.PASS and step.confirms:
        record_indicator_values(
            town=application.town, programme=programme, by=by, source=IndicatorValue.Source.APPLICATION,
            source_ref=application.source_ref, reason=f"{step.label.zh} / {step.label.en}",
            values=[{"indicator": i, "period": application.call.plan_periods[0], "basis": "plan", "value": True}
                    for i in step.confirms],
        )
    application.current_step = steps[index + 1].id if event == PASS else ""
    if outcome == Outcome.PASS and step.action == "recommend":
        application.rank = rank
    elif outcome != Outcome.PASS:
        application.rank = None
    if event == LIST:
        application.enrolment = _enrol(application, by=by, tier=tier, reason=reason or step.label.zh)
    application.save(update_fields=["state", "current_step", "rank", "enrolment", "updated_at"])
    audit.record(actor=by, verb="decide_step", obj=application, from_state=before, to_state=after, reason=reason,
                 data={"step": step.id, "action": step.action, "clause": step.clause, "outcome": outcome,
                       "rank": rank, "verdict_seen": seen.outcome, "programme_version": version.number,
                       "content_hash": version.content_hash, "decision": decision.pk,
                       "enrolment": application.enrolment_id})
    return decision


# ------------------------------------------------------------------------- joint review (联审)

def _latest_submission(application: Application) -> Submission:
    submission = application.submissions.order_by("-number").first()
    if submission is None:
        raise ActionError("申报尚未提交", "the application has not been submitted", field="step_id")
    return submission


def _require_department_opinions(application: Application, step: ReviewStep) -> None:
    """003 §四(二): the district decides on the joint review only when each named department has answered."""
    opinions = list(DepartmentOpinion.objects.filter(submission=_latest_submission(application), step_id=step.id)
                    .select_related("department"))
    if not opinions:
        raise ActionError(f"请先指定参加联审的区级职能部门，收齐各部门意见后再审定({step.clause})",
                          f"name the departments of the joint review and collect their opinions first ({step.clause})",
                          field="outcome")
    missing = [o.department for o in opinions if not o.is_given]
    if missing:
        raise ActionError(
            f"尚有部门未提出联审意见：{'、'.join(d.name_zh for d in missing)}；收齐后方可审定({step.clause})",
            f"still waiting for the opinion of: {', '.join(d.name_en or d.name_zh for d in missing)}; "
            f"the step can be decided once every named department has given one ({step.clause})",
            field="outcome",
        )


@transaction.atomic
def name_review_departments(
    *, application: Application, step_id: str, by: User, departments: list[Organisation] | tuple = (),
    new_names: list[str] | tuple = (),
) -> list[DepartmentOpinion]:
    """The joint-meeting office names the district departments that must give an opinion on the
    application at a joint review step (003 §四(二): 组织区级相关职能部门对创建材料进行联审).

    ``departments`` are existing departments (organisations of kind ``department``) of a region
    holding the town; ``new_names`` are departments not yet registered, added to the office's own
    district. A department already named for this submission is left as it is. Returns the rows added.
    """
    application = _locked(application)
    perms.can_name_departments.require(by, application, step_id)
    step = next(s for s in application.programme.policy.review_steps("application") if s.id == step_id)
    submission = _latest_submission(application)
    chosen: list[Organisation] = []
    for department in departments:
        perms.is_department_of_district.require(department, application)
        if not in_scope(by, department.region):
            raise NotAllowed(perms.is_department_of_district.zh, perms.is_department_of_district.en)
        chosen.append(department)
    created: list[str] = []
    district = by.region
    for name in dict.fromkeys(n.strip() for n in new_names if n and n.strip()):
        if len(name) > 128:
            raise ActionError(f"部门名称过长：{name[:20]}…", "a department name is at most 128 characters",
                              field="new_names")
        existing = Organisation.objects.filter(name_zh=name, region=district).first()
        if existing is not None and existing.kind != Organisation.Kind.DEPARTMENT:
            raise ActionError(f"“{name}”已登记为其他类型的机构", f"“{name}” is registered as another kind of body",
                              field="new_names")
        if existing is None:
            existing = Organisation.objects.create(name_zh=name, kind=Organisation.Kind.DEPARTMENT, region=district)
            audit.record(actor=by, verb="create_organisation", obj=existing, region=district,
                         data={"name_zh": name, "kind": Organisation.Kind.DEPARTMENT, "clause": step.clause})
            created.append(name)
        chosen.append(existing)
    named = set(DepartmentOpinion.objects.filter(submission=submission, step_id=step_id)
                .values_list("department_id", flat=True))
    rows = []
    for department in dict.fromkeys(chosen):
        if department.pk in named:
            continue
        named.add(department.pk)
        rows.append(DepartmentOpinion.objects.create(application=application, submission=submission,
                                                     step_id=step_id, department=department, named_by=by))
    if not rows:
        raise ActionError("请选择或填写至少一个尚未指定的部门", "choose or type at least one department not yet named",
                          field="departments")
    audit.record(actor=by, verb="name_review_departments", obj=application, from_state=application.state,
                 to_state=application.state,
                 data={"step": step_id, "clause": step.clause, "submission": submission.number,
                       "departments": [r.department.name_zh for r in rows], "registered": created})
    return rows


@transaction.atomic
def record_department_opinion(
    *, application: Application, department: Organisation, opinion: str, text: str, by: User,
) -> DepartmentOpinion:
    """Record a named department's opinion in the joint review (003 §四(二)): 同意, 有条件同意 or
    不同意, with its written opinion. The office records it on the department's behalf (see
    ``applications.models.DepartmentOpinion``); an opinion, once recorded, is not changed."""
    application = _locked(application)
    perms.is_department_of_district.require(department, application)
    row = (DepartmentOpinion.objects.select_for_update(of=("self",)).select_related("department__region")
           .filter(submission=_latest_submission(application), step_id=application.current_step,
                   department=department).first())
    if row is None:
        raise ActionError(f"{department.name_zh}未被指定参加本次联审", f"{department} is not named in this joint review",
                          field="department")
    perms.can_record_department_opinion.require(by, application, row)
    if opinion not in DepartmentOpinion.Opinion.values:
        raise ActionError(f"未知意见 {opinion!r}", f"unknown opinion {opinion!r}", field="opinion")
    text = (text or "").strip()
    if not text:
        raise ActionError("请填写该部门的书面意见", "the department's written opinion is required", field="text")
    row.opinion, row.text, row.recorded_by, row.recorded_at = opinion, text, by, timezone.now()
    row.save(update_fields=["opinion", "text", "recorded_by", "recorded_at"])
    policy = application.programme.policy
    clause = next((s.clause for s in policy.review_steps("application") if s.id == row.step_id), "")
    audit.record(actor=by, verb="record_department_opinion", obj=application, from_state=application.state,
                 to_state=application.state, reason=text,
                 data={"step": row.step_id, "clause": clause, "department": department.name_zh, "opinion": opinion,
                       "opinion_row": row.pk})
    return row


@transaction.atomic
def rank_recommendations(*, call: Call, order: list[Application], by: User) -> list[Application]:
    """Reorder the applications the decider's region recommended in ``call`` (rank 1 = the best,
    000 择优推荐). ``order`` must hold exactly those still in review, best first."""
    perms.can_rank_recommendations.require(by, call)
    recommended = {a.pk: a for a in recommended_for_ranking(call, by)}
    given = [a.pk for a in order]
    if len(set(given)) != len(given) or set(given) != set(recommended):
        missing = [recommended[pk].town.name_zh for pk in recommended if pk not in given]
        extra = [str(pk) for pk in given if pk not in recommended]
        raise ActionError(
            "排序须包含本辖区已推荐的全部申报，且各一次" + (f"；缺少：{'、'.join(missing)}" if missing else ""),
            "the ranking must hold every application your region recommended, once each"
            + (f"; not recommended here: {', '.join(extra)}" if extra else ""),
            field="rank",
        )
    changed = []
    for rank, pk in enumerate(given, start=1):
        application = recommended[pk]
        if application.rank != rank:
            audit.record(actor=by, verb="rank_recommendations", obj=application, from_state=application.state,
                         to_state=application.state, data={"call": call.pk, "from_rank": application.rank,
                                                           "to_rank": rank})
            application.rank = rank
            changed.append(application)
    Application.objects.bulk_update(changed, ["rank"])
    return [recommended[pk] for pk in given]


def _check_rank(application: Application, rank: int | None, by: User) -> int:
    if rank is None or rank < 1:
        raise ActionError("推荐须给出排序(1 为最优)", "a recommendation needs a rank (1 is the best)", field="rank")
    prefix = by.region.scope_prefix if by.region else ""
    taken = (
        # only the applications still being ranked hold a rank; a listed or rejected one has left the ranking
        Application.objects.filter(call=application.call, rank=rank, town__region__code__startswith=prefix,
                                   state__in=[State.SUBMITTED, State.IN_REVIEW])
        .exclude(pk=application.pk).select_related("town").first()
    )
    if taken is not None:
        raise ActionError(f"排序 {rank} 已给了{taken.town.name_zh}", f"rank {rank} is already given to {taken.town.code}",
                          field="rank")
    return rank


def _enrol(application: Application, *, by: User, tier: str | None, reason: str) -> Enrolment:
    policy = application.programme.policy
    entry = policy.lifecycle.entry_tiers
    if tier is None and len(entry) == 1:
        tier = entry[0]
    if tier not in entry:
        labels = "、".join(policy.tier(t).label.zh for t in entry)
        raise ActionError(f"请选择入选层级：{labels}", f"choose the entry tier: {', '.join(entry)}", field="tier")
    town = application.town
    try:
        return enrol_town(
            town=town, programme=application.programme, tier=tier, started_on=timezone.localdate(), by=by,
            reason=f"{reason}（申报 {application.source_ref}）",
            category="" if application.category == town.category else application.category,
            sub_sector="" if application.sub_sector == town.sub_sector else application.sub_sector,
        )
    except NotAllowed as exc:
        raise ActionError(f"不能列入名单：{exc.zh}", f"cannot list the town: {exc.en}", field="tier") from None


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__region", "programme__current_version", "town__region")
        .get(pk=application.pk)
    )


__all__ = ["confirmed_indicators", "decide_step", "name_review_departments", "open_call", "rank_recommendations",
           "record_department_opinion", "save_draft", "start_application", "submit_application", "upload_material"]
