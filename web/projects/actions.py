"""Every state change of demonstration projects: the three-party contract (004 §三5), its
funding ledger and matching funds (004 §三6), milestones, yearly progress reports and the
acceptance application (004 §三6). Keyword-only, verb-first, one transaction and one audit row each.

Figures the engine reads (funds to date, matching arranged, the targets' values, acceptance
applied) are written through ``towns.actions.record_indicator_values``, so the annual and
acceptance criteria of the programme file see what the ledger and the reports say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import IntegrityError, transaction

import audit
from accounts.models import User
from portal.bilingual import pair_of
from portal.errors import ActionError
from regions.models import Region
from towns.actions import record_indicator_values
from towns.models import Enrolment, IndicatorValue
from xiaozhen.funding import (
    FundingError,
    Movement,
    overallocation,
    overspending,
    running_totals_by_year,
)

from . import permissions as perms
from .models import (
    Contract,
    ContractSignature,
    ContractTarget,
    FundingEntry,
    Milestone,
    Party,
    ProgressReport,
)
from .selectors import (
    acceptance_material_ref,
    default_matching_ratio,
    local_party_choices,
    movements_of,
    policy_parameter,
)

if TYPE_CHECKING:
    from reviews.models import Acceptance
    from xiaozhen.policy import Policy

FUNDS_INDICATORS = ("provincial_funds_to_date", "local_matching_to_date", "local_matching_arranged")


def _amount(value: Any, field: str, *, allow_zero: bool = True) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ActionError(f"{field}：须为数字(万元)", f"{field}: must be a number (10k yuan)", field=field) from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        zh, en = ("须大于0", "must be above 0") if not allow_zero else ("不能为负数", "cannot be negative")
        raise ActionError(f"{field}：{zh}", f"{field}: {en}", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ActionError(f"{field}：最多两位小数", f"{field}: at most two decimals", field=field)
    return amount


def _not_in_future(day: dt.date, field: str) -> None:
    if day > dt.date.today():
        raise ActionError("日期不能晚于今天", "the date cannot be in the future", field=field)


@transaction.atomic
def draft_contract(
    *,
    enrolment: Enrolment,
    by: User,
    local_party_region: Region,
    term_start: dt.date,
    provincial_amount: Any,
    city_amount: Any = 0,
    county_amount: Any = 0,
    town_amount: Any = 0,
    matching_ratio: Any = None,
    number: str = "",
    province_duties: str,
    local_duties: str,
    town_duties: str,
    targets: Mapping[str, Any] | None = None,
) -> Contract:
    """Draft the three-party contract of an approved town (004 §三5); the parties then sign it."""
    enrolment = Enrolment.objects.select_related("town__region", "programme__current_version").get(pk=enrolment.pk)
    perms.can_draft_contract.require(by, enrolment)
    town, programme = enrolment.town, enrolment.programme
    policy = programme.policy
    if Contract.objects.filter(enrolment=enrolment, state__in=Contract.OPEN_STATES).exists():
        raise ActionError("此镇已有未结束的项目合同", "this town already has an open project contract", field="enrolment")
    if local_party_region not in local_party_choices(town):
        raise ActionError("市(县)签约方须为该镇所在的市或县(区)",
                          "the city/county party must be the town's own city or county", field="local_party_region")
    if term_start < enrolment.started_on:
        raise ActionError(f"实施期不能早于批准日期 {enrolment.started_on}",
                          f"the term cannot start before the approval ({enrolment.started_on})", field="term_start")
    years = policy_parameter(policy, "project_years", term_start)
    if years is None:
        raise ActionError("该项目的政策文件未规定实施期", "the programme file sets no project period", field="term_start")
    amounts = {
        "provincial_amount": _amount(provincial_amount, "provincial_amount", allow_zero=False),
        "city_amount": _amount(city_amount or 0, "city_amount"),
        "county_amount": _amount(county_amount or 0, "county_amount"),
        "town_amount": _amount(town_amount or 0, "town_amount"),
    }
    ratio = default_matching_ratio(programme, term_start) if matching_ratio in (None, "") else _amount(
        matching_ratio, "matching_ratio")
    if ratio is None:
        raise ActionError("请填写地方配套比例", "the local matching ratio is required", field="matching_ratio")
    duties = {"province_duties": province_duties.strip(), "local_duties": local_duties.strip(),
              "town_duties": town_duties.strip()}
    for field, text in duties.items():
        if not text:
            raise ActionError("请写明该方的权利义务(004 §三5)", "state this party's rights and duties (004 §三5)", field=field)
    checked_targets = _check_targets(policy, targets or {})
    number = (number or "").strip() or f"{term_start.year}-{town.code}"
    if Contract.objects.filter(number=number).exists():
        raise ActionError(f"合同编号 {number} 已被使用", f"contract number {number} is already used", field="number")
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                number=number, enrolment=enrolment, town=town, programme=programme,
                programme_version=programme.version, local_party_region=local_party_region,
                term_start=term_start, term_years=int(years), matching_ratio=ratio, created_by=by,
                **amounts, **duties,
            )
    except IntegrityError:
        raise ActionError("此镇已有未结束的项目合同", "this town already has an open project contract",
                          field="enrolment") from None
    ContractTarget.objects.bulk_create(ContractTarget(contract=contract, indicator_id=i, target=v)
                                       for i, v in checked_targets.items())
    audit.record(actor=by, verb="draft_contract", obj=contract, to_state=contract.state, data={
        "number": number, "town": town.code, "programme": programme.policy_id,
        "programme_version": programme.version.number, "local_party": local_party_region.code,
        "term_start": term_start, "term_years": int(years), "matching_ratio": ratio,
        **{k: v for k, v in amounts.items()}, "targets": checked_targets, "clause": "004 §三5",
    })
    return contract


def _check_targets(policy: Policy, targets: Mapping[str, Any]) -> dict[str, float]:
    reported = {i.id: i for i in policy.indicators if i.kind == "reported" and i.type != "text"}
    problems, out = [], {}
    for ident, value in targets.items():
        if ident not in reported:
            problems.append(f"{ident}: 不是该项目的指标 / not an indicator of {policy.id}")
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"{ident}: 目标值须为数字 / the target must be a number")
            continue
        if reported[ident].type == "boolean" and number not in (0.0, 1.0):
            problems.append(f"{ident}: 是/否指标的目标为1或0 / a yes/no target is 1 or 0")
            continue
        if number < 0:
            problems.append(f"{ident}: 目标值不能为负 / the target cannot be negative")
            continue
        out[ident] = number
    if problems:
        raise ActionError("目标指标有误", "invalid target indicators", field="targets", details=problems)
    return out


@transaction.atomic
def sign_contract(*, contract: Contract, party: str, by: User, signed_on: dt.date | None = None) -> ContractSignature:
    """Record one party's signature; the third signature makes the contract signed by all three."""
    contract = Contract.objects.select_for_update().select_related("town__region", "local_party_region").get(
        pk=contract.pk)
    if party not in Party.values:
        raise ActionError(f"未知签约方 {party!r}", f"unknown party {party!r}", field="party")
    perms.can_sign_contract.require(by, contract, party)
    if contract.state != Contract.State.DRAFT:
        raise ActionError("合同已不在待签署状态", "the contract is no longer awaiting signatures", field="party")
    if contract.signatures.filter(party=party).exists():
        raise ActionError("该方已签署", "this party has already signed", field="party")
    signed_on = signed_on or dt.date.today()
    _not_in_future(signed_on, "signed_on")
    organisation = by.organisation.name_zh if by.organisation is not None else by.display_name
    signature = ContractSignature.objects.create(contract=contract, party=party, signed_by=by, signed_on=signed_on,
                                                 signed_for=organisation)
    before = contract.state
    if contract.signatures.count() == len(Party.values):
        contract.state = Contract.State.SIGNED
        contract.save(update_fields=["state"])
    audit.record(actor=by, verb="sign_contract", obj=contract, from_state=before, to_state=contract.state,
                 data={"party": party, "signed_on": signed_on, "on_behalf_of": organisation, "clause": "004 §三5"})
    return signature


@transaction.atomic
def bring_contract_into_force(*, contract: Contract, by: User, on: dt.date | None = None) -> Contract:
    """A contract comes into force only once all three parties have signed (004 §三5)."""
    contract = Contract.objects.select_for_update().select_related("town__region").get(pk=contract.pk)
    perms.can_manage_contract.require(by, contract)
    missing = sorted(set(Party.values) - set(contract.signatures.values_list("party", flat=True)))
    if contract.state != Contract.State.SIGNED or missing:
        names = "、".join(str(Party(p).label) for p in missing) if missing else ""
        raise ActionError(f"三方签署后合同方可生效{('，尚缺：' + names) if names else ''}",
                          "the contract comes into force only when all three parties have signed"
                          + (f" (missing: {', '.join(missing)})" if missing else ""), field="state")
    on = on or dt.date.today()
    latest = max(contract.signatures.values_list("signed_on", flat=True))
    if on < latest:
        raise ActionError("生效日期不能早于最后一方签署日期", "it cannot come into force before the last signature",
                          field="on")
    contract.state, contract.in_force_on = Contract.State.IN_FORCE, on
    contract.save(update_fields=["state", "in_force_on"])
    if "contract_signed" in {i.id for i in contract.programme.policy.indicators}:
        last = max(on.year, min(contract.term_end.year, dt.date.today().year))
        record_indicator_values(
            town=contract.town, programme=contract.programme, by=by, source=IndicatorValue.Source.MANUAL,
            source_ref=f"contract:{contract.number}", reason="三方合同生效 / contract in force",
            values=[{"indicator": "contract_signed", "period": str(y), "basis": "actual", "value": True}
                    for y in range(on.year, last + 1)],
        )
    audit.record(actor=by, verb="bring_contract_into_force", obj=contract, from_state=Contract.State.SIGNED,
                 to_state=contract.state, data={"on": on, "clause": "004 §三5"})
    return contract


@transaction.atomic
def terminate_contract(*, contract: Contract, by: User, reason: str, on: dt.date | None = None) -> Contract:
    contract = Contract.objects.select_for_update().select_related("town__region").get(pk=contract.pk)
    perms.can_manage_contract.require(by, contract)
    if not contract.is_open:
        raise ActionError("合同已结束", "the contract has already ended", field="state")
    if not reason.strip():
        raise ActionError("请说明终止理由", "a reason is required", field="reason")
    before = contract.state
    contract.state, contract.ended_on, contract.end_reason = Contract.State.TERMINATED, on or dt.date.today(), reason.strip()
    contract.save(update_fields=["state", "ended_on", "end_reason"])
    audit.record(actor=by, verb="terminate_contract", obj=contract, from_state=before, to_state=contract.state,
                 reason=contract.end_reason, data={"on": contract.ended_on})
    return contract


@transaction.atomic
def complete_contract(*, contract: Contract, by: User, reason: str = "", on: dt.date | None = None) -> Contract:
    """Close a contract in force (e.g. once the project has passed its acceptance, 004 §三6)."""
    contract = Contract.objects.select_for_update().select_related("town__region").get(pk=contract.pk)
    perms.can_manage_contract.require(by, contract)
    if contract.state != Contract.State.IN_FORCE:
        raise ActionError("只有生效中的合同可以完成", "only a contract in force can be completed", field="state")
    contract.state, contract.ended_on, contract.end_reason = Contract.State.COMPLETED, on or dt.date.today(), reason.strip()
    contract.save(update_fields=["state", "ended_on", "end_reason"])
    audit.record(actor=by, verb="complete_contract", obj=contract, from_state=Contract.State.IN_FORCE,
                 to_state=contract.state, reason=contract.end_reason, data={"on": contract.ended_on})
    return contract


# --- the funding ledger (004 §三6) ---------------------------------------------------------------
@transaction.atomic
def record_funding(
    *, contract: Contract, kind: str, source: str, amount: Any, on: dt.date, document_ref: str, by: User, note: str = "",
) -> FundingEntry:
    """One ledger line: money of ``source`` allocated to the project, or spent by it.

    Provincial money is allocated only by the provincial officer; city and county matching by
    that city's or county's office; town self-raised money and all spending by the town body.
    Spending more of a source than was allocated is refused.
    """
    contract = Contract.objects.select_for_update().select_related("town__region", "programme").get(pk=contract.pk)
    if kind not in FundingEntry.Kind.values:
        raise ActionError(f"未知类型 {kind!r}", f"unknown kind {kind!r}", field="kind")
    if source not in FundingEntry.Source.values:
        raise ActionError(f"未知资金来源 {source!r}", f"unknown source {source!r}", field="source")
    if kind == FundingEntry.Kind.ALLOCATION:
        perms.can_record_allocation.require(by, contract, source)
    else:
        perms.can_record_disbursement.require(by, contract)
    if contract.state not in (Contract.State.SIGNED, Contract.State.IN_FORCE):
        raise ActionError("只有三方签署后的合同可登记经费", "funds are recorded only on a signed contract", field="kind")
    value = _amount(amount, "amount", allow_zero=False)
    if on < contract.term_start:
        raise ActionError(f"日期不能早于实施期起始日 {contract.term_start}",
                          f"the date cannot be before the term starts ({contract.term_start})", field="on")
    _not_in_future(on, "on")
    if not document_ref.strip():
        raise ActionError("请填写文件或凭证号", "a document reference is required", field="document_ref")
    existing = list(contract.funding_entries.all())
    try:
        movement = Movement(source, kind, value, on)
    except FundingError as exc:
        raise ActionError(exc.zh, exc.en, field=exc.field) from None
    _refuse_overallocation(contract, existing, movement)
    over = overspending(movements_of(existing), movement)
    if over:
        label = FundingEntry.Source(source).label
        raise ActionError(f"支出超过{label}已到位金额 {over[source]} 万元",
                          f"spending exceeds the {source} money allocated by {over[source]} (10k yuan)", field="amount")
    entry = FundingEntry.objects.create(contract=contract, kind=kind, source=source, amount=value, on=on,
                                        document_ref=document_ref.strip(), note=note.strip(), recorded_by=by)
    _sync_funds_indicators(contract, [*existing, entry], by)
    audit.record(actor=by, verb="record_funding", obj=contract, data={
        "entry": entry.pk, "kind": kind, "source": source, "amount": value, "on": on,
        "document_ref": entry.document_ref, "clause": "004 §三6",
    })
    return entry


def _refuse_overallocation(contract: Contract, existing: list[FundingEntry], movement: Movement) -> None:
    """An allocation may not take a source past what the contract commits for it (004 §三6)."""
    over = overallocation(contract.committed(), movements_of(existing), movement)
    if movement.source not in over:
        return
    committed = contract.committed()[movement.source]
    total = committed + over[movement.source]
    label = pair_of(FundingEntry.Source(movement.source).label)
    raise ActionError(
        f"{label[0] if label else movement.source}拨付累计将达 {total} 万元，超过合同 {contract.number} 约定的 {committed} 万元"
        f"（多出 {over[movement.source]} 万元，004 §三6）；如金额有误请冲销原行，如追加经费请变更合同",
        f"{movement.source} allocations would reach {total} (10k yuan), above the {committed} committed in contract "
        f"{contract.number} by {over[movement.source]} (004 §三6); reverse a mistaken line, or amend the contract",
        field="amount",
    )


def default_ledger_date(contract: Contract, today: dt.date | None = None) -> dt.date:
    """The date a new ledger line starts with: today, moved into the contract's term when today is outside it."""
    today = today or dt.date.today()
    return min(max(today, contract.term_start), contract.term_end)


@transaction.atomic
def reverse_funding(*, entry: FundingEntry, by: User, reason: str, document_ref: str, on: dt.date | None = None) -> FundingEntry:
    """Reverse a mistaken ledger line (红字冲销): a new line with the opposite amount points at it,
    and both leave every total. Nothing is edited or deleted; the party that may record such a
    line reverses it, with a reason and the reference of the correcting document (004 §三6)."""
    contract = Contract.objects.select_for_update().select_related("town__region", "programme").get(pk=entry.contract_id)
    entry = FundingEntry.objects.select_related("contract__town__region").get(pk=entry.pk)
    perms.can_reverse_funding.require(by, entry)
    if contract.state not in (Contract.State.SIGNED, Contract.State.IN_FORCE):
        raise ActionError("只有三方签署后的合同可冲销经费", "lines are reversed only on a signed contract", field="reason")
    if entry.is_reversal:
        raise ActionError("冲销行不能再冲销", "a reversal line cannot itself be reversed", field="reason")
    if FundingEntry.objects.filter(reverses=entry).exists():
        raise ActionError(f"台账行 #{entry.pk} 已冲销", f"ledger line #{entry.pk} is already reversed", field="reason")
    if not reason.strip():
        raise ActionError("请说明冲销理由", "a reason is required", field="reason")
    if not document_ref.strip():
        raise ActionError("请填写文件或凭证号", "a document reference is required", field="document_ref")
    on = on or dt.date.today()
    _not_in_future(on, "on")
    existing = list(contract.funding_entries.all())
    left = [e for e in existing if e.pk != entry.pk]
    over = overspending(movements_of(left))
    if entry.kind == FundingEntry.Kind.ALLOCATION and over.get(entry.source):
        label = FundingEntry.Source(entry.source).label
        raise ActionError(f"冲销后{label}支出将超过到位金额 {over[entry.source]} 万元，请先冲销相应支出",
                          f"without this line the {entry.source} spending exceeds the money allocated by "
                          f"{over[entry.source]} (10k yuan): reverse that spending first", field="reason")
    reversal = FundingEntry.objects.create(
        contract=contract, kind=entry.kind, source=entry.source, amount=-entry.amount, on=on,
        document_ref=document_ref.strip(), note=f"冲销 #{entry.pk} / reverses #{entry.pk}: {reason.strip()}"[:200],
        recorded_by=by, reverses=entry,
    )
    _sync_funds_indicators(contract, [*existing, reversal], by)
    audit.record(actor=by, verb="reverse_funding", obj=contract, from_state="recorded", to_state="reversed",
                 reason=reason.strip(), data={
                     "entry": entry.pk, "reversal": reversal.pk, "kind": entry.kind, "source": entry.source,
                     "amount": entry.amount, "on": on, "document_ref": reversal.document_ref, "clause": "004 §三6"})
    return reversal


def _sync_funds_indicators(contract: Contract, entries: list[FundingEntry], by: User) -> None:
    """Write the running totals the programme's funding indicators report, one row per year."""
    policy = contract.programme.policy
    known = {i.id for i in policy.indicators if i.kind == "reported"}
    if not set(FUNDS_INDICATORS) & known or not entries:
        return
    last = max(e.on.year for e in entries)
    totals = running_totals_by_year(movements_of(entries), range(contract.term_start.year, last + 1))
    values = []
    for year, (provincial, local) in totals.items():
        row = {"provincial_funds_to_date": float(provincial), "local_matching_to_date": float(local),
               "local_matching_arranged": local > 0}
        values += [{"indicator": k, "period": str(year), "basis": "actual", "value": v}
                   for k, v in row.items() if k in known]
    record_indicator_values(town=contract.town, programme=contract.programme, values=values, by=by,
                            source=IndicatorValue.Source.MANUAL, source_ref=f"funding:{contract.number}",
                            reason="经费台账 / funding ledger")


# --- milestones, progress, acceptance (004 §三6) --------------------------------------------------
@transaction.atomic
def add_milestone(*, contract: Contract, year_no: int, title: str, planned_by: dt.date, by: User) -> Milestone:
    contract = Contract.objects.select_related("town__region").get(pk=contract.pk)
    perms.can_plan_milestones.require(by, contract)
    if not contract.is_open:
        raise ActionError("合同已结束", "the contract has ended", field="title")
    if not 1 <= int(year_no) <= contract.term_years:
        raise ActionError(f"项目年度须在1至{contract.term_years}之间",
                          f"the project year must be 1 to {contract.term_years}", field="year_no")
    if not title.strip():
        raise ActionError("请填写里程碑内容", "the milestone is required", field="title")
    if not contract.term_start <= planned_by <= contract.term_end:
        raise ActionError("计划日期须在实施期内", "the planned date must fall within the term", field="planned_by")
    milestone = Milestone.objects.create(contract=contract, year_no=int(year_no), title=title.strip(),
                                         planned_by=planned_by, created_by=by)
    audit.record(actor=by, verb="add_milestone", obj=milestone, to_state="planned",
                 data={"contract": contract.number, "year_no": int(year_no), "title": milestone.title,
                       "planned_by": planned_by})
    return milestone


@transaction.atomic
def complete_milestone(*, milestone: Milestone, by: User, done_on: dt.date | None = None, note: str = "") -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("contract__town__region").get(pk=milestone.pk)
    contract = milestone.contract
    perms.can_report_progress.require(by, contract)
    if milestone.is_done:
        raise ActionError("该里程碑已完成", "this milestone is already done", field="done_on")
    done_on = done_on or dt.date.today()
    _not_in_future(done_on, "done_on")
    if done_on < contract.term_start:
        raise ActionError("完成日期不能早于实施期", "the date cannot be before the term", field="done_on")
    milestone.done_on, milestone.done_note = done_on, note.strip()
    milestone.save(update_fields=["done_on", "done_note"])
    audit.record(actor=by, verb="complete_milestone", obj=milestone, from_state="planned", to_state="done",
                 reason=milestone.done_note, data={"contract": contract.number, "done_on": done_on})
    return milestone


@transaction.atomic
def submit_progress_report(
    *, contract: Contract, year: int, summary: str, by: User, values: Mapping[str, Any] | None = None,
) -> ProgressReport:
    """The town's yearly progress report (xiaozhen's default of a yearly report, 004 §三6), with
    the year's figures for the contract's targets recorded as indicator values."""
    contract = Contract.objects.select_related("town__region", "programme").get(pk=contract.pk)
    perms.can_report_progress.require(by, contract)
    if contract.state != Contract.State.IN_FORCE:
        raise ActionError("只有生效中的项目可报告进展", "only a project in force reports progress", field="year")
    if year not in contract.term_years_list:
        raise ActionError("年度须在实施期内", "the year must fall within the term", field="year")
    if year > dt.date.today().year:
        raise ActionError("不能报告未来年度", "a future year cannot be reported", field="year")
    if not summary.strip():
        raise ActionError("请填写年度进展", "the progress summary is required", field="summary")
    if contract.progress_reports.filter(year=year).exists():
        raise ActionError(f"{year}年度的进展报告已提交", f"the {year} report has already been submitted", field="year")
    targets = set(contract.targets.values_list("indicator_id", flat=True)) - set(FUNDS_INDICATORS)
    extra = sorted(set(values or {}) - targets)
    if extra:
        raise ActionError("只报告合同目标指标", "report only the contract's target indicators", field="values",
                          details=[f"{i}: 不是合同目标 / not a target of this contract" for i in extra])
    rows = [{"indicator": i, "period": str(year), "basis": "actual", "value": v}
            for i, v in (values or {}).items() if v not in (None, "")]
    report = ProgressReport.objects.create(contract=contract, year=year, summary=summary.strip(), submitted_by=by)
    if rows:
        record_indicator_values(town=contract.town, programme=contract.programme, values=rows, by=by,
                                source=IndicatorValue.Source.MANUAL, source_ref=f"progress:{contract.number}:{year}",
                                reason="年度进展报告 / yearly progress report")
    audit.record(actor=by, verb="submit_progress_report", obj=report, to_state="submitted",
                 data={"contract": contract.number, "year": year, "values": {r["indicator"]: r["value"] for r in rows}})
    return report


@transaction.atomic
def apply_for_acceptance(*, contract: Contract, by: User, summary: str = "", on: dt.date | None = None) -> Contract:
    """Once the term is over, the town applies to the province for acceptance (004 §三6).

    ``acceptance_applied`` is recorded for the term's last year, the year the acceptance judges.
    """
    contract = Contract.objects.select_for_update().select_related("town__region", "programme").get(pk=contract.pk)
    perms.can_apply_for_acceptance.require(by, contract)
    if contract.state != Contract.State.IN_FORCE:
        raise ActionError("只有生效中的项目可申请验收", "only a project in force can apply for acceptance", field="state")
    if contract.acceptance_applied_on:
        raise ActionError("已提出验收申请", "acceptance has already been applied for", field="state")
    on = on or dt.date.today()
    _not_in_future(on, "on")
    if on <= contract.term_end:
        raise ActionError(f"实施期至 {contract.term_end} 届满后方可申请验收(004 §三6)",
                          f"acceptance can be applied for once the term ends on {contract.term_end} (004 §三6)",
                          field="on")
    contract.acceptance_applied_on, contract.acceptance_applied_by = on, by
    contract.acceptance_summary = summary.strip()
    contract.save(update_fields=["acceptance_applied_on", "acceptance_applied_by", "acceptance_summary"])
    if "acceptance_applied" in {i.id for i in contract.programme.policy.indicators}:
        record_indicator_values(
            town=contract.town, programme=contract.programme, by=by, source=IndicatorValue.Source.MANUAL,
            source_ref=f"acceptance:{contract.number}", reason="验收申请 / acceptance applied",
            values=[{"indicator": "acceptance_applied", "period": str(contract.term_end.year), "basis": "actual",
                     "value": True}],
        )
    handed = _hand_over_to_reviews(contract, by, on)
    audit.record(actor=by, verb="apply_for_acceptance", obj=contract, from_state="in_force",
                 to_state="acceptance_applied", reason=contract.acceptance_summary,
                 data={"on": on, "term_end": contract.term_end, "clause": "004 §三6",
                       "acceptance": handed.pk if handed is not None else None})
    return contract


def _hand_over_to_reviews(contract: Contract, by: User, on: dt.date) -> Acceptance | None:
    """The acceptance itself — organised by the province or delegated to the city/county
    (004 §三6) — is the reviews app's generic acceptance: open it in the same transaction.
    Without the reviews app the project rests at "acceptance applied"."""
    if not apps.is_installed("reviews"):
        return None
    from reviews import actions as reviews_actions

    summary = contract.acceptance_summary or (
        f"三方合同 {contract.number} 实施期({contract.term_start}—{contract.term_end})届满，申请验收。"
        f" / Contract {contract.number}: the term is over; acceptance applied for.")
    return reviews_actions.apply_for_acceptance(enrolment=contract.enrolment, by=by, summary=summary,
                                                material_ref=acceptance_material_ref(contract), today=on)
