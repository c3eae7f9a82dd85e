"""Every state change of towns, enrolments, tiers, enterprises, indicator values and
expert assignments. Keyword-only, verb-first, one transaction each, one audit row each.

Each action checks its permission predicate (towns.permissions) and raises NotAllowed
(a 403) when the user may not act, and ActionError (with ``field``) when the input is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

import audit
from accounts.models import Role, User
from portal.errors import ActionError
from xiaozhen.codes import credit_code_problems
from xiaozhen.facts import FactsError, frame_from_records
from xiaozhen.lists import Holder, holders_of

from . import permissions as perms
from .boundary import normalise_boundary
from .models import (
    Enrolment,
    Enterprise,
    ExpertAssignment,
    ExtensionApproval,
    IndicatorValue,
    TierChange,
    Town,
)
from .workflow import EntryTierNotAllowed, find_transition, terminal_tiers

if TYPE_CHECKING:
    from accounts.models import Organisation
    from programmes.models import Programme
    from regions.models import Region
    from xiaozhen.policy import Policy


@transaction.atomic
def create_town(
    *,
    by: User,
    region: Region,
    name_zh: str,
    name_en: str = "",
    code: str = "",
    category: str = "",
    sub_sector: str = "",
    managing_body: Organisation | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    boundary_geojson: str = "",
) -> Town:
    perms.can_create_town.require(by, region)
    if not region.can_hold_towns():
        raise ActionError(
            "小镇须位于县(区)，或不设区的地级市", "a town sits in a county, or in a city without counties",
            field="region",
        )
    if not name_zh.strip():
        raise ActionError("请填写中文名称", "the Chinese name is required", field="name_zh")
    code = code or _next_town_code(region)
    if Town.objects.filter(code=code).exists():
        raise ActionError(f"小镇编号 {code} 已被使用", f"town code {code} is already used", field="code")
    town = Town.objects.create(
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        region=region,
        category=category,
        sub_sector=sub_sector,
        managing_body=managing_body,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        boundary_geojson=normalise_boundary(boundary_geojson),
    )
    audit.record(
        actor=by,
        verb="create_town",
        obj=town,
        data={"code": code, "name_zh": town.name_zh, "name_en": town.name_en, "region": region.code,
              "category": category, "sub_sector": sub_sector},
    )
    return town


def _next_town_code(region: Region) -> str:
    taken = set(Town.objects.filter(code__startswith=f"{region.code}-").values_list("code", flat=True))
    number = len(taken) + 1
    while f"{region.code}-{number:03d}" in taken:
        number += 1
    return f"{region.code}-{number:03d}"


@transaction.atomic
def set_town_boundary(*, town: Town, geojson: str, by: User, reason: str = "") -> Town:
    perms.can_edit_town_profile.require(by, town)
    old = town.boundary_geojson
    town.boundary_geojson = normalise_boundary(geojson)
    town.save(update_fields=["boundary_geojson", "updated_at"])
    audit.record(actor=by, verb="set_town_boundary", obj=town, reason=reason,
                 data={"had_boundary": bool(old), "has_boundary": bool(town.boundary_geojson)})
    return town


@transaction.atomic
def enrol_town(
    *,
    town: Town,
    programme: Programme,
    tier: str,
    started_on: dt.date,
    by: User,
    reason: str = "",
    category: str = "",
    sub_sector: str = "",
) -> Enrolment:
    """Put a town on a programme's list in one of its entry tiers (e.g. 003 §四(二)).

    ``category`` / ``sub_sector`` classify the town in this programme's own list; blank
    means the town's own category and sub-sector.
    """
    perms.can_enrol_town.require(by, town, programme)
    version = programme.current_version
    if version is None:
        raise ActionError("该项目尚未载入政策文件", "the programme has no policy version yet", field="programme")
    policy = version.policy
    if tier not in policy.lifecycle.entry_tiers:
        raise EntryTierNotAllowed(policy, tier)
    chosen = category or town.category
    if policy.categories and chosen not in {c.id for c in policy.categories}:
        known = ", ".join(c.id for c in policy.categories)
        raise ActionError(
            f"产业类别“{chosen or '空'}”不属于{policy.identity.short_name.zh}的类别",
            f"category {chosen!r} is not one of {policy.id}'s: {known}",
            field="category",
        )
    if Enrolment.objects.filter(town=town, programme=programme, ended_on__isnull=True).exists():
        raise ActionError("该小镇已在此项目名单中", "the town is already enrolled in this programme", field="programme")
    _check_sub_sector_free(policy, programme, town, chosen, sub_sector or town.sub_sector)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                town=town, programme=programme, programme_version=version, category=category,
                sub_sector=sub_sector, initial_tier=tier, tier=tier, started_on=started_on, tier_since=started_on,
            )
    except IntegrityError:
        raise ActionError("该小镇已在此项目名单中", "the town is already enrolled in this programme", field="programme") from None
    audit.record(
        actor=by, verb="enrol_town", obj=enrolment, to_state=tier, reason=reason,
        data={"town": town.code, "programme": programme.policy_id, "programme_version": version.number,
              "content_hash": version.content_hash, "started_on": started_on, "category": chosen},
    )
    return enrolment


def town_label(town: Town) -> str:
    """How a town is named in a refusal: name and code."""
    return f"{town.name_zh}（{town.code}）"


def sub_sector_holders(programme: Programme, category: str, sub_sector: str) -> list[Holder]:
    """The towns with an open enrolment in ``programme`` classed in (category, sub_sector)."""
    if not sub_sector.strip():
        return []
    sub = sub_sector.strip()
    rows = (
        Enrolment.objects.filter(programme=programme, ended_on__isnull=True)
        .filter(Q(sub_sector=sub) | Q(sub_sector="", town__sub_sector=sub))
        .select_related("town")
    )
    return [Holder(town_label(e.town), e.effective_category, e.effective_sub_sector) for e in rows]


def _check_sub_sector_free(policy: Policy, programme: Programme, town: Town, category: str, sub_sector: str) -> None:
    """One sub-sector, one town (003 §三(一)) where the programme's file says so."""
    rule = policy.lifecycle.unique_sub_sector
    if rule is None or not sub_sector.strip():
        return
    # Two officers enrolling at once must not both find the sub-sector free.
    type(programme).objects.select_for_update().filter(pk=programme.pk).first()
    taken = holders_of(policy, sub_sector_holders(programme, category, sub_sector),
                       Holder(town_label(town), category, sub_sector))
    if taken:
        raise ActionError(
            f"细分产业“{sub_sector}”已有小镇：{'、'.join(taken)}。一个细分产业只培育创建一个小镇（{rule.clause}）",
            f"sub-sector {sub_sector!r} is already held by {', '.join(taken)}: one town per sub-sector ({rule.clause})",
            field="sub_sector",
        )


@transaction.atomic
def change_tier(
    *,
    enrolment: Enrolment,
    to_tier: str,
    by: User,
    reason: str,
    decision_ref: str,
    effective_on: dt.date | None = None,
    transition_id: str | None = None,
) -> TierChange:
    """Move an enrolled town to another tier, as one of its programme's transitions allows.

    The programme's current version decides which moves exist (``lifecycle.transitions``)
    and is stored on the TierChange with the transition and clause used; a later change
    of the policy file never rewrites this decision.
    """
    enrolment = Enrolment.objects.select_for_update().select_related("town__region", "programme").get(pk=enrolment.pk)
    perms.can_change_tier.require(by, enrolment)
    if not reason.strip():
        raise ActionError("请说明理由", "a reason is required", field="reason")
    if not decision_ref.strip():
        raise ActionError("请填写决定文号", "a decision reference is required", field="decision_ref")
    if not enrolment.is_open:
        raise ActionError("该入选记录已终止", "this enrolment has ended", field="to_tier")
    version = enrolment.programme.version
    policy = version.policy
    transition = find_transition(policy, enrolment.tier, to_tier, transition_id)
    effective_on = effective_on or dt.date.today()
    if effective_on < enrolment.tier_since:
        raise ActionError(
            f"生效日期不得早于本层级起始日期 {enrolment.tier_since}",
            f"the change cannot take effect before the current tier began ({enrolment.tier_since})",
            field="effective_on",
        )
    change = TierChange.objects.create(
        enrolment=enrolment, from_tier=enrolment.tier, to_tier=to_tier, effective_on=effective_on,
        decided_by=by, programme_version=version, transition_id=transition.id, clause=transition.clause,
        reason=reason.strip(), decision_ref=decision_ref.strip(),
    )
    from_tier = enrolment.tier
    enrolment.tier = to_tier
    enrolment.tier_since = effective_on
    if to_tier in terminal_tiers(policy):
        enrolment.ended_on = effective_on
    enrolment.save(update_fields=["tier", "tier_since", "ended_on"])
    audit.record(
        actor=by, verb="change_tier", obj=enrolment, from_state=from_tier, to_state=to_tier,
        reason=change.reason,
        data={"decision_ref": change.decision_ref, "transition": transition.id, "action": transition.action,
              "clause": transition.clause, "effective_on": effective_on, "programme_version": version.number,
              "content_hash": version.content_hash, "tier_change": change.pk},
    )
    return change


@transaction.atomic
def record_extension_approval(
    *, enrolment: Enrolment, approved_until: dt.date, approved_on: dt.date, by: User, reason: str, decision_ref: str
) -> ExtensionApproval:
    """Record that this town's extension was approved until a date (002 §三(四) 经批准可适当延长).

    The annual assessment then reads the date (``extension_running``) instead of the programme's
    default ``extension_years``. The same officers who decide tiers record approvals.
    """
    enrolment = Enrolment.objects.select_for_update().select_related("town__region", "programme").get(pk=enrolment.pk)
    perms.can_change_tier.require(by, enrolment)
    if not reason.strip():
        raise ActionError("请说明理由", "a reason is required", field="reason")
    if not decision_ref.strip():
        raise ActionError("请填写批准文号", "an approval reference is required", field="decision_ref")
    if approved_until <= approved_on:
        raise ActionError("延期截止日期应晚于批准日期", "the extension must end after the approval date", field="approved_until")
    if not enrolment.is_open:
        raise ActionError("该入选记录已终止", "this enrolment has ended", field="approved_until")
    approval = ExtensionApproval.objects.create(
        enrolment=enrolment, approved_on=approved_on, approved_until=approved_until, decision_ref=decision_ref.strip(),
        reason=reason.strip(), recorded_by=by,
    )
    audit.record(actor=by, verb="record_extension_approval", obj=enrolment, from_state=enrolment.tier,
                 to_state=enrolment.tier, reason=approval.reason,
                 data={"approved_on": approved_on, "approved_until": approved_until, "decision_ref": approval.decision_ref,
                       "approval": approval.pk})
    return approval


@dataclass(frozen=True)
class RecordResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def record_indicator_values(
    *,
    town: Town,
    programme: Programme,
    values: Iterable[Mapping[str, Any]],
    by: User,
    source: str,
    source_ref: str = "",
    reason: str = "",
) -> RecordResult:
    """Write indicator values (each ``{"indicator", "period", "basis", "value"}``) for a town.

    Values are checked by the core's facts reader against the programme's current file
    (units, yes/no, shares 0–1, part-of limits); any problem refuses the whole batch and
    the ActionError lists every problem. A value equal to the stored one is left alone, and
    a blank never erases a figure another source recorded (docs/facts-sources.md); a new
    figure replaces the stored one, whose value and source stay in the audit row.
    """
    perms.can_record_indicators.require(by, town)
    if source not in IndicatorValue.Source.values:
        raise ActionError(f"未知来源 {source!r}", f"unknown source {source!r}", field="source")
    policy = programme.policy
    reported = {i.id: i for i in policy.indicators if i.kind == "reported"}
    groups: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    problems: list[str] = []
    for n, item in enumerate(values, start=1):
        ident, period, basis = str(item.get("indicator", "")), str(item.get("period", "")), str(item.get("basis", ""))
        if ident not in reported:
            problems.append(f"#{n}: 未知指标 {ident!r} / unknown indicator {ident!r} for {policy.id}")
            continue
        group = groups[(period, basis)]
        if ident in group:
            problems.append(f"#{n}: {ident} {period} {basis} 重复 / given twice")
        group[ident] = item.get("value")
    records = [{"town_id": town.code, "period": p, "basis": b, **vals} for (p, b), vals in groups.items()]
    frame = None
    if records:
        try:
            frame = frame_from_records(policy, records, source=source_ref or source)
        except FactsError as exc:
            problems.extend(str(p) for p in exc.problems)
    if problems:
        raise ActionError("指标数据有误", "invalid indicator values", field="values", details=problems)
    if frame is None:
        return RecordResult(0, 0, 0)
    existing = {
        (v.indicator_id, v.period, v.basis): v
        for v in IndicatorValue.objects.filter(town=town, programme=programme)
    }
    to_create, to_update, changes = [], [], []
    unchanged = 0
    now = timezone.now()
    # frame_from_records keeps the records' order, with periods and bases normalised.
    for row, vals in zip(frame.iter_rows(named=True), groups.values(), strict=True):
        period, basis = row["period"], row["basis"]
        for ident in vals:
            typed = row[ident]
            number, text = _storage(reported[ident].type, typed)
            key = (ident, period, basis)
            current = existing.get(key)
            if current is None:
                to_create.append(IndicatorValue(
                    town=town, programme=programme, indicator_id=ident, period=period, basis=basis,
                    number=number, text=text, source=source, source_ref=source_ref, recorded_by=by,
                ))
                changes.append({"indicator": ident, "period": period, "basis": basis, "old": None, "new": typed})
            elif typed is None and current.source != source and (current.number is not None or current.text):
                # A blank from one source never erases another source's figure (docs/facts-sources.md).
                unchanged += 1
            elif current.number != number or current.text != text:
                changes.append({"indicator": ident, "period": period, "basis": basis,
                                "old": current.number if current.number is not None else current.text, "new": typed,
                                "old_source": current.source})
                current.number, current.text = number, text
                current.source, current.source_ref, current.recorded_by = source, source_ref, by
                current.recorded_at = now  # bulk_update does not apply auto_now
                to_update.append(current)
            else:
                unchanged += 1
    IndicatorValue.objects.bulk_create(to_create)
    IndicatorValue.objects.bulk_update(to_update, ["number", "text", "source", "source_ref", "recorded_by", "recorded_at"])
    if changes:
        audit.record(
            actor=by, verb="record_indicator_values", obj=town, reason=reason,
            data={"programme": programme.policy_id, "source": source, "source_ref": source_ref, "changes": changes},
        )
    return RecordResult(len(to_create), len(to_update), unchanged)


def _storage(indicator_type: str, value: Any) -> tuple[float | None, str]:
    if value is None:
        return None, ""
    if indicator_type == "text":
        return None, str(value)
    if isinstance(value, bool):
        return (1.0 if value else 0.0), ""
    return float(value), ""


@transaction.atomic
def register_enterprise(
    *,
    town: Town,
    credit_code: str,
    name_zh: str,
    by: User,
    name_en: str = "",
    industry: str = "",
    is_above_scale: bool = False,
    is_high_tech: bool = False,
    has_rd_institution: bool = False,
) -> Enterprise:
    perms.can_manage_enterprises.require(by, town)
    code = credit_code.strip().upper()
    problems = credit_code_problems(code)
    if problems:
        raise ActionError("；".join(p.zh for p in problems), "; ".join(p.en for p in problems), field="credit_code")
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ActionError(f"统一社会信用代码 {code} 已登记", f"credit code {code} is already registered",
                          field="credit_code")
    if not name_zh.strip():
        raise ActionError("请填写企业名称", "the enterprise name is required", field="name_zh")
    enterprise = Enterprise.objects.create(
        town=town, credit_code=code, name_zh=name_zh.strip(), name_en=name_en.strip(), industry=industry,
        is_above_scale=is_above_scale, is_high_tech=is_high_tech, has_rd_institution=has_rd_institution,
    )
    audit.record(actor=by, verb="register_enterprise", obj=enterprise,
                 data={"town": town.code, "credit_code": code, "name_zh": enterprise.name_zh})
    return enterprise


@transaction.atomic
def assign_expert(
    *, expert: User, town: Town, by: User, purpose: str, programme: Programme | None = None, ends_on: dt.date | None = None
) -> ExpertAssignment:
    perms.can_assign_expert.require(by, town)
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ActionError("只能指派在册专家", "only an active expert can be assigned", field="expert")
    if purpose not in ExpertAssignment.Purpose.values:
        raise ActionError(f"未知任务 {purpose!r}", f"unknown purpose {purpose!r}", field="purpose")
    assignment = ExpertAssignment.objects.create(
        expert=expert, town=town, programme=programme, purpose=purpose, assigned_by=by, ends_on=ends_on
    )
    audit.record(actor=by, verb="assign_expert", obj=assignment,
                 data={"expert": expert.get_username(), "town": town.code, "purpose": purpose,
                       "programme": programme.policy_id if programme else None, "ends_on": ends_on})
    return assignment


@transaction.atomic
def end_expert_assignment(*, assignment: ExpertAssignment, by: User, reason: str = "") -> ExpertAssignment:
    perms.can_assign_expert.require(by, assignment.town)
    assignment.active = False
    assignment.save(update_fields=["active"])
    audit.record(actor=by, verb="end_expert_assignment", obj=assignment, from_state="active",
                 to_state="ended", reason=reason)
    return assignment
