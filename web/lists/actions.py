"""Every state change of lists, entries and objections. Keyword-only, verb-first, one
transaction each, one audit row each (objections from the public are audited with the
system as actor and the objector's name in the data).

    create_list        a draft of a programme's tier for a year, entries from the open enrolments
    add_list_entry     (draft) a town with an open enrolment in the programme
    remove_list_entry  (draft)
    open_notice        draft → notice (公示), with the objection window; checks 003 §三(一)
    submit_objection   anyone, during the window (limited per address and minute)
    decide_objection   upheld (the entry leaves the final list) or dismissed, with the reason
    finalise_list      notice → final once the window has closed and every objection is decided;
                       a correction makes the list it corrects superseded
    withdraw_list      draft / notice → withdrawn, with the reason
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

import audit
from accounts.models import User
from portal.errors import ActionError
from safety.throttle import hold
from towns.actions import town_label
from towns.models import Enrolment, Town
from xiaozhen.lists import Holder, sub_sector_conflicts

from .models import ListEntry, ListPublication, Objection
from .permissions import can_handle_objections, can_list_town, can_manage_lists

if TYPE_CHECKING:
    from programmes.models import Programme

Status = ListPublication.Status

#: Objections accepted from one address in one minute (a plain guard against scripted spam).
OBJECTIONS_PER_MINUTE = 3
LONGEST_NOTICE_DAYS = 90


def _require_manager(by: User, publication: ListPublication) -> None:
    can_manage_lists.require(by, publication.programme)


def _require_status(publication: ListPublication, *allowed: str, zh: str, en: str) -> None:
    if publication.status not in allowed:
        raise ActionError(f"{zh}（当前状态：{publication.get_status_display()}）",
                          f"{en} (the list is {publication.status})", field="status")


def _locked(publication: ListPublication) -> ListPublication:
    return ListPublication.objects.select_for_update(of=("self",)).select_related(
        "programme__current_version", "programme__region"
    ).get(pk=publication.pk)


def _entry_from(enrolment: Enrolment, publication: ListPublication, position: int) -> ListEntry:
    town = enrolment.town
    category = enrolment.effective_category
    label = next((c.label for c in publication.programme.policy.categories if c.id == category), None)
    return ListEntry(
        publication=publication, town=town, enrolment=enrolment, position=position, town_code=town.code,
        town_name_zh=town.name_zh, town_name_en=town.name_en, county_zh=town.region.name_zh,
        county_en=town.region.name_en, category=category, category_zh=label.zh if label else category,
        category_en=label.en if label else "", sub_sector=enrolment.effective_sub_sector,
    )


@transaction.atomic
def create_list(
    *,
    programme: Programme,
    tier: str,
    year: int,
    title_zh: str,
    by: User,
    title_en: str = "",
    document_number: str = "",
    supersedes: ListPublication | None = None,
) -> ListPublication:
    """A draft list of ``tier`` for ``year``, holding every town whose open enrolment is in that tier."""
    can_manage_lists.require(by, programme)
    policy = programme.policy
    tiers = {t.id: t for t in policy.lifecycle.tiers if not t.terminal}
    if tier not in tiers:
        raise ActionError(f"“{tier}”不是{policy.identity.short_name.zh}的名单层级",
                          f"{tier!r} is not a list tier of {policy.id}: {', '.join(tiers)}", field="tier")
    if not 1990 <= int(year) <= 2100:
        raise ActionError("年度应在1990–2100之间", "the year must be between 1990 and 2100", field="year")
    if not title_zh.strip():
        raise ActionError("请填写名单标题", "the title is required", field="title_zh")
    if supersedes is not None:
        supersedes = _locked(supersedes)
        if supersedes.programme_id != programme.pk or supersedes.tier != tier:
            raise ActionError("更正的名单须为同一项目、同一层级", "a correction is of the same programme and tier",
                              field="supersedes")
        if supersedes.status != Status.FINAL:
            raise ActionError("只能更正已正式公布的名单", "only a final list can be corrected", field="supersedes")
        if supersedes.corrections.exclude(status=Status.WITHDRAWN).exists():
            raise ActionError("该名单已有更正名单在办理中", "this list already has a correction under way",
                              field="supersedes")
    publication = ListPublication.objects.create(
        programme=programme, programme_version=programme.version, tier=tier, year=int(year),
        title_zh=title_zh.strip(), title_en=title_en.strip(), document_number=document_number.strip(),
        supersedes=supersedes, created_by=by,
    )
    enrolments = (
        Enrolment.objects.filter(programme=programme, tier=tier, ended_on__isnull=True)
        .select_related("town__region").order_by("town__code")
    )
    ListEntry.objects.bulk_create(_entry_from(e, publication, n) for n, e in enumerate(enrolments, start=1))
    audit.record(
        actor=by, verb="create_list", obj=publication, to_state=Status.DRAFT,
        data={"programme": programme.policy_id, "tier": tier, "year": publication.year,
              "entries": publication.entries.count(), "supersedes": supersedes.pk if supersedes else None},
    )
    return publication


@transaction.atomic
def add_list_entry(*, publication: ListPublication, town: Town, by: User, reason: str = "") -> ListEntry:
    publication = _locked(publication)
    _require_manager(by, publication)
    can_list_town.require(by, town)
    _require_status(publication, Status.DRAFT, zh="只有草稿可以增删条目", en="entries change only in a draft")
    enrolment = (
        Enrolment.objects.filter(programme=publication.programme, town=town, ended_on__isnull=True)
        .select_related("town__region").first()
    )
    if enrolment is None:
        raise ActionError(f"{town_label(town)}未列入{publication.programme.short_name_zh}",
                          f"{town.code} has no open enrolment in {publication.programme.policy_id}", field="town")
    if publication.entries.filter(town=town).exists():
        raise ActionError(f"{town_label(town)}已在名单中", f"{town.code} is already on the list", field="town")
    last = publication.entries.aggregate(n=Max("position"))["n"] or 0
    entry = _entry_from(enrolment, publication, last + 1)
    entry.save()
    audit.record(actor=by, verb="add_list_entry", obj=entry, reason=reason,
                 data={"list": publication.pk, "town": town.code, "tier": enrolment.tier})
    return entry


@transaction.atomic
def remove_list_entry(*, entry: ListEntry, by: User, reason: str = "") -> None:
    publication = _locked(entry.publication)
    _require_manager(by, publication)
    _require_status(publication, Status.DRAFT, zh="只有草稿可以增删条目", en="entries change only in a draft")
    audit.record(actor=by, verb="remove_list_entry", obj=entry, reason=reason,
                 data={"list": publication.pk, "town": entry.town_code})
    entry.delete()


def _check_sub_sectors(publication: ListPublication) -> None:
    entries = publication.entries.filter(removed=False)
    holders = [Holder(f"{e.town_name_zh}（{e.town_code}）", e.category, e.sub_sector) for e in entries]
    conflicts = sub_sector_conflicts(publication.programme_version.policy, holders)
    if conflicts:
        messages = [" / ".join(c.message()) for c in conflicts]
        raise ActionError("名单违反“一个细分产业只培育创建一个小镇”", "the list breaks one town per sub-sector",
                          field="entries", details=messages)


@transaction.atomic
def open_notice(
    *,
    publication: ListPublication,
    by: User,
    opens_on: dt.date,
    closes_on: dt.date,
    document_number: str | None = None,
    today: dt.date | None = None,
) -> ListPublication:
    """Put a draft on public notice (公示): anyone may read it and object until ``closes_on``.

    ``today`` is the day the office acts (default: today; the demo loader records past notices).
    """
    publication = _locked(publication)
    _require_manager(by, publication)
    _require_status(publication, Status.DRAFT, zh="只有草稿可以公示", en="only a draft can be put on notice")
    if closes_on < opens_on:
        raise ActionError("公示截止日期不得早于开始日期", "the notice cannot close before it opens",
                          field="notice_closes_on")
    if (closes_on - opens_on).days > LONGEST_NOTICE_DAYS:
        raise ActionError(f"公示期不得超过{LONGEST_NOTICE_DAYS}天",
                          f"a notice lasts at most {LONGEST_NOTICE_DAYS} days", field="notice_closes_on")
    if closes_on < (today or timezone.localdate()):
        raise ActionError("公示截止日期已过", "the closing date has already passed", field="notice_closes_on")
    if not publication.entries.exists():
        raise ActionError("名单没有条目，不能公示", "an empty list cannot be put on notice", field="entries")
    # The version in force now is the one the published list follows.
    publication.programme_version = publication.programme.version
    _check_sub_sectors(publication)
    for n, entry in enumerate(publication.entries.order_by("position"), start=1):
        if entry.position != n:
            entry.position = n
            entry.save(update_fields=["position"])
    if document_number is not None:
        publication.document_number = document_number.strip()
    publication.status = Status.NOTICE
    publication.notice_opens_on, publication.notice_closes_on = opens_on, closes_on
    publication.published_by, publication.noticed_at = by, timezone.now()
    publication.save()
    audit.record(actor=by, verb="open_notice", obj=publication, from_state=Status.DRAFT, to_state=Status.NOTICE,
                 data={"opens_on": opens_on, "closes_on": closes_on, "entries": publication.entries.count(),
                       "programme_version": publication.programme_version.number,
                       "document_number": publication.document_number})
    return publication


@transaction.atomic
def submit_objection(
    *,
    publication: ListPublication,
    entry: ListEntry,
    name: str,
    contact: str,
    grounds: str,
    ip_address: str | None = None,
    today: dt.date | None = None,
) -> Objection:
    """Anyone's objection (异议) to one entry while the list is on notice."""
    publication = ListPublication.objects.select_related("programme__region").get(pk=publication.pk)
    today = today or timezone.localdate()
    window = publication.window_state(today)
    if window == "before":
        raise ActionError(f"公示期自{publication.notice_opens_on}开始，届时方可提出异议",
                          f"objections open on {publication.notice_opens_on}", field="__all__")
    if window != "open":
        raise ActionError("公示期已结束，不再受理异议", "the notice period is over: objections are no longer accepted",
                          field="__all__")
    if entry.publication_id != publication.pk or entry.removed:
        raise ActionError("请选择名单中的小镇", "choose a town on this list", field="entry")
    problems = {"name": (name, "请填写姓名或单位", "your name or organisation is required"),
                "contact": (contact, "请填写联系方式", "a contact (phone or e-mail) is required"),
                "grounds": (grounds, "请写明异议理由", "the grounds are required")}
    for field, (value, zh, en) in problems.items():
        if not value.strip():
            raise ActionError(zh, en, field=field)
    if ip_address:
        # One address at a time: simultaneous objections from it queue on its lock row, so the
        # count below always sees the ones before (issue 10: 8 of 10 raced past a limit of 3).
        hold(f"objection:{ip_address}")
        since = timezone.now() - dt.timedelta(minutes=1)
        if Objection.objects.filter(ip_address=ip_address, submitted_at__gte=since).count() >= OBJECTIONS_PER_MINUTE:
            raise ActionError("提交过于频繁，请一分钟后再试", "too many objections from your address: try again in a minute",
                              field="__all__")
    objection = Objection.objects.create(
        publication=publication, entry=entry, name=name.strip()[:100], contact=contact.strip()[:200],
        grounds=grounds.strip(), ip_address=ip_address or None,
    )
    audit.record(actor=None, verb="submit_objection", obj=objection, to_state=Objection.Status.PENDING,
                 data={"list": publication.pk, "town": entry.town_code, "name": objection.name})
    return objection


@transaction.atomic
def decide_objection(*, objection: Objection, by: User, upheld: bool, reason: str) -> Objection:
    """Uphold an objection (the entry leaves the final list, with the reason) or dismiss it."""
    objection = Objection.objects.select_for_update().select_related("entry").get(pk=objection.pk)
    publication = _locked(objection.publication)
    can_handle_objections.require(by, publication)
    _require_status(publication, Status.NOTICE, zh="只能处理公示中名单的异议",
                    en="objections are decided while the list is on notice")
    if objection.status != Objection.Status.PENDING:
        raise ActionError("该异议已处理", "this objection has already been decided", field="outcome")
    if not reason.strip():
        raise ActionError("请写明处理理由", "a reason is required", field="reason")
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.decided_by, objection.decided_at = by, timezone.now()
    objection.decision_reason = reason.strip()
    objection.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    entry = objection.entry
    if upheld and not entry.removed:
        entry.removed, entry.removed_reason = True, objection.decision_reason
        entry.save(update_fields=["removed", "removed_reason"])
    audit.record(actor=by, verb="decide_objection", obj=objection, from_state=Objection.Status.PENDING,
                 to_state=objection.status, reason=objection.decision_reason,
                 data={"list": publication.pk, "town": entry.town_code, "entry_removed": upheld})
    return objection


@transaction.atomic
def finalise_list(*, publication: ListPublication, by: User, today: dt.date | None = None) -> ListPublication:
    """Make a list final once its window has closed and every objection is decided."""
    publication = _locked(publication)
    _require_manager(by, publication)
    _require_status(publication, Status.NOTICE, zh="只有公示中的名单可以正式公布",
                    en="only a list on notice can be made final")
    today = today or timezone.localdate()
    if publication.window_state(today) != "closed":
        raise ActionError(f"公示期至{publication.notice_closes_on}结束，期满后方可正式公布",
                          f"the notice runs until {publication.notice_closes_on}: make it final after that",
                          field="status")
    pending = publication.objections.filter(status=Objection.Status.PENDING).count()
    if pending:
        raise ActionError(f"尚有{pending}条异议未处理", f"{pending} objection(s) still to decide", field="objections")
    _check_sub_sectors(publication)
    publication.status, publication.finalised_at = Status.FINAL, timezone.now()
    publication.save(update_fields=["status", "finalised_at"])
    removed = publication.entries.filter(removed=True).count()
    audit.record(actor=by, verb="finalise_list", obj=publication, from_state=Status.NOTICE, to_state=Status.FINAL,
                 data={"entries": publication.entries.filter(removed=False).count(), "removed": removed,
                       "supersedes": publication.supersedes_id})
    old = publication.supersedes
    if old is not None:
        old = _locked(old)
        old.status = Status.SUPERSEDED
        old.save(update_fields=["status"])
        audit.record(actor=by, verb="supersede_list", obj=old, from_state=Status.FINAL, to_state=Status.SUPERSEDED,
                     data={"superseded_by": publication.pk})
    return publication


@transaction.atomic
def withdraw_list(*, publication: ListPublication, by: User, reason: str) -> ListPublication:
    publication = _locked(publication)
    _require_manager(by, publication)
    _require_status(publication, Status.DRAFT, Status.NOTICE, zh="已正式公布的名单不能撤回，请发布更正名单",
                    en="a final list cannot be withdrawn: publish a correction")
    if not reason.strip():
        raise ActionError("请写明撤回理由", "a reason is required", field="reason")
    from_state = publication.status
    publication.status, publication.withdrawn_reason = Status.WITHDRAWN, reason.strip()
    publication.save(update_fields=["status", "withdrawn_reason"])
    audit.record(actor=by, verb="withdraw_list", obj=publication, from_state=from_state, to_state=Status.WITHDRAWN,
                 reason=publication.withdrawn_reason)
    return publication
