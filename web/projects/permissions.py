"""Who may see and change demonstration projects: named predicates, scoped through the town.

    visible_contracts(user)                 contracts of the towns the user may see
    can_view_contract(user, contract)
    offers_contracts(programme)             the programme's file sets ``project_years`` (004 §三6)
    can_draft_contract(user, enrolment)     the provincial officer whose province holds the town
    can_sign_contract(user, contract, party)
        province: that provincial officer; local: a city reviewer or county office whose region
        *is* the contract's city/county party; town: the town's own body
    can_manage_contract(user, contract)     the provincial officer (into force, complete, terminate)
    can_record_allocation(user, contract, source)
        provincial money: only the provincial officer; city: the city reviewer of the town's city;
        county: the county office of the town's county; town self-raised: the town body
    can_record_disbursement(user, contract) the town body (the project spends the money)
    can_plan_milestones(user, contract)     the town body or the provincial officer
    can_report_progress(user, contract)     the town body
    can_apply_for_acceptance(user, contract) the town body (004 §三6: 镇向省科技厅提出验收申请)

Auditors see everything in scope and change nothing: every ``can_*`` above is False for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import in_scope, is_active
from portal.rules import rule
from towns.permissions import can_view_town, visible_towns

from .models import Contract, Party

if TYPE_CHECKING:
    from programmes.models import Programme
    from towns.models import Enrolment, Town

    from .models import FundingEntry



def visible_contracts(user: Any) -> QuerySet[Contract]:
    return Contract.objects.filter(town__in=visible_towns(user))


@rule("您无权查看此项目合同", "you may not see this contract")
def can_view_contract(user: Any, contract: Contract) -> bool:
    return can_view_town(user, contract.town)


def offers_contracts(programme: Programme) -> bool:
    try:
        programme.policy.parameter("project_years")
    except (KeyError, LookupError):
        return False
    return True


def _is_provincial_officer_for(user: Any, town: Town) -> bool:
    return is_active(user) and user.role == Role.PROVINCIAL_OFFICER and in_scope(user, town.region)


def _is_town_body_of(user: Any, town: Town) -> bool:
    return is_active(user) and user.role == Role.TOWN_BODY and user.town_id == town.pk


def _is_local_party(user: Any, contract: Contract) -> bool:
    return (
        is_active(user)
        and user.role in (Role.CITY_REVIEWER, Role.COUNTY_OFFICE)
        and user.region_id is not None
        and user.region_id == contract.local_party_region_id
    )


@rule("只有省科技厅可起草此镇的项目合同", "only the provincial S&T department drafts this town's project contract")
def can_draft_contract(user: Any, enrolment: Enrolment) -> bool:
    return (
        _is_provincial_officer_for(user, enrolment.town)
        and enrolment.is_open
        and offers_contracts(enrolment.programme)
    )


@rule("您不能代表该方签署此合同", "you may not sign this contract for that party")
def can_sign_contract(user: Any, contract: Contract, party: str) -> bool:
    if party == Party.PROVINCE:
        return _is_provincial_officer_for(user, contract.town)
    if party == Party.LOCAL:
        return _is_local_party(user, contract)
    if party == Party.TOWN:
        return _is_town_body_of(user, contract.town)
    return False


def parties_user_may_sign(user: Any, contract: Contract) -> list[str]:
    return [p for p in Party.values if can_sign_contract(user, contract, p)]


@rule("您不是此合同的签约方", "you are not a party to this contract")
def is_party_to(user: Any, contract: Contract) -> bool:
    return bool(parties_user_may_sign(user, contract))


@rule("只有省科技厅可管理项目合同", "only the provincial S&T department manages project contracts")
def can_manage_contract(user: Any, contract: Contract) -> bool:
    return _is_provincial_officer_for(user, contract.town)


@rule("您不能登记该来源的拨付经费", "you may not record allocations from this source")
def can_record_allocation(user: Any, contract: Contract, source: str) -> bool:
    town = contract.town
    if source == "provincial":
        return _is_provincial_officer_for(user, town)
    if source == "city":
        return (is_active(user) and user.role == Role.CITY_REVIEWER and user.region is not None
                and town.region.code.startswith(user.region.scope_prefix))
    if source == "county":
        return (is_active(user) and user.role == Role.COUNTY_OFFICE and user.region is not None
                and town.region.code.startswith(user.region.scope_prefix))
    if source == "town":
        return _is_town_body_of(user, town)
    return False


def allocation_sources_for(user: Any, contract: Contract) -> list[str]:
    return [s for s in ("provincial", "city", "county", "town") if can_record_allocation(user, contract, s)]


@rule("您不能登记此项目的经费", "you may not record this project's funds")
def can_record_funding(user: Any, contract: Contract) -> bool:
    return bool(allocation_sources_for(user, contract)) or can_record_disbursement(user, contract)


@rule("只有镇政府可登记项目支出", "only the town government records the project's spending")
def can_record_disbursement(user: Any, contract: Contract) -> bool:
    return _is_town_body_of(user, contract.town)


@rule("您不能冲销此台账行", "you may not reverse this ledger line")
def can_reverse_funding(user: Any, entry: FundingEntry) -> bool:
    """The party that may record a line may reverse it: its source's office for an allocation,
    the town body for spending."""
    if entry.kind == "allocation":
        return can_record_allocation(user, entry.contract, entry.source)
    return can_record_disbursement(user, entry.contract)


@rule("您不能为此项目安排里程碑", "you may not plan this project's milestones")
def can_plan_milestones(user: Any, contract: Contract) -> bool:
    return _is_town_body_of(user, contract.town) or _is_provincial_officer_for(user, contract.town)


@rule("只有镇政府可报告项目进展", "only the town government reports the project's progress")
def can_report_progress(user: Any, contract: Contract) -> bool:
    return _is_town_body_of(user, contract.town)


@rule("只有镇政府可提出验收申请", "only the town government applies for acceptance")
def can_apply_for_acceptance(user: Any, contract: Contract) -> bool:
    return _is_town_body_of(user, contract.town)
