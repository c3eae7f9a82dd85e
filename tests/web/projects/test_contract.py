"""The three-party contract (004 §三5): drafting, the three signatures, coming into force, ending."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.web.conftest import region

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from projects import actions
from projects.models import Contract, Party
from towns.models import IndicatorValue

from .conftest import draft


def test_a_drafted_contract_has_a_three_year_term_the_policy_ratio_and_the_chosen_targets(contract):
    assert contract.state == Contract.State.DRAFT
    assert contract.term_years == 3 and contract.term_end == dt.date(2026, 12, 31)
    assert contract.matching_ratio == Decimal("1")  # local_matching_ratio_min, 004 §三6
    assert {t.indicator_id: t.target for t in contract.targets.all()} == {
        "platform_services": 1.0, "local_matching_to_date": 300.0}
    entry = AuditEntry.objects.get(verb="draft_contract")
    assert entry.to_state == "draft" and entry.data["clause"] == "004 §三5"


def test_only_the_provincial_officer_of_the_towns_province_drafts_the_contract(
        approved, guangzhou_reviewer, province_officer, gd_clerk, auditor):
    for user in (guangzhou_reviewer, province_officer, gd_clerk, auditor):
        with pytest.raises(NotAllowed):
            draft(approved, user)
    assert not Contract.objects.exists()


def test_the_city_county_party_must_be_the_towns_own_city_or_county(approved, gd_officer):
    with pytest.raises(ActionError) as info:
        draft(approved, gd_officer, local_party_region=region("440300"))
    assert info.value.field == "local_party_region"
    assert draft(approved, gd_officer, local_party_region=region("440106")).local_party_region.code == "440106"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"provincial_amount": "0"}, "provincial_amount"),
    ({"city_amount": "-5"}, "city_amount"),
    ({"town_amount": "abc"}, "town_amount"),
    ({"term_start": dt.date(2020, 1, 1)}, "term_start"),
    ({"town_duties": "  "}, "town_duties"),
    ({"targets": {"no_such_indicator": 1}}, "targets"),
    ({"targets": {"platform_services": 3}}, "targets"),
])
def test_bad_contract_input_is_refused_naming_the_field(approved, gd_officer, overrides, field):
    with pytest.raises(ActionError) as info:
        draft(approved, gd_officer, **overrides)
    assert info.value.field == field
    assert not Contract.objects.exists()


def test_a_town_has_one_open_contract_at_a_time(contract, approved, gd_officer):
    with pytest.raises(ActionError, match="open project contract"):
        draft(approved, gd_officer, number="another")


def test_the_third_signature_makes_it_signed_by_all_three_and_then_it_can_come_into_force(
        in_force, gd_officer):
    assert in_force.state == Contract.State.IN_FORCE and in_force.in_force_on == dt.date(2024, 1, 1)
    signatures = {s.party: s.signed_by.username for s in in_force.signatures.all()}
    assert signatures == {"province": "chen", "local": "sui", "town": "tianhe-town"}
    states = list(AuditEntry.objects.filter(verb="sign_contract").order_by("id").values_list("to_state", flat=True))
    assert states == ["draft", "draft", "signed"]
    assert IndicatorValue.objects.filter(indicator_id="contract_signed", period="2024", number=1).exists()


def test_a_contract_cannot_come_into_force_before_all_three_have_signed(contract, gd_officer, guangzhou_reviewer):
    actions.sign_contract(contract=contract, party=Party.PROVINCE, by=gd_officer)
    actions.sign_contract(contract=contract, party=Party.LOCAL, by=guangzhou_reviewer)
    with pytest.raises(ActionError) as info:
        actions.bring_contract_into_force(contract=contract, by=gd_officer)
    assert "town" in str(info.value) and "三方签署" in str(info.value)
    contract.refresh_from_db()
    assert contract.state == Contract.State.DRAFT


@pytest.mark.parametrize(("party", "who"), [
    ("province", "province_officer"),     # another province's officer
    ("province", "guangzhou_reviewer"),   # the right region, the wrong role
    ("local", "shenzhen_reviewer"),       # another city's office
    ("local", "tianhe_office"),           # the county, when the contract names the city
    ("local", "gd_officer"),
    ("town", "other_clerk"),              # another town's body
    ("town", "auditor"),
])
def test_each_party_signs_only_through_a_user_of_that_partys_role_and_scope(contract, request, party, who):
    with pytest.raises(NotAllowed):
        actions.sign_contract(contract=contract, party=party, by=request.getfixturevalue(who))
    assert not contract.signatures.exists()


def test_a_party_signs_once(contract, gd_officer):
    actions.sign_contract(contract=contract, party=Party.PROVINCE, by=gd_officer)
    with pytest.raises(ActionError, match="already signed"):
        actions.sign_contract(contract=contract, party=Party.PROVINCE, by=gd_officer)


def test_a_signature_cannot_be_dated_in_the_future(contract, gd_officer):
    with pytest.raises(ActionError) as info:
        actions.sign_contract(contract=contract, party=Party.PROVINCE, by=gd_officer,
                              signed_on=dt.date.today() + dt.timedelta(days=1))
    assert info.value.field == "signed_on"


def test_only_the_provincial_officer_brings_it_into_force_or_ends_it(in_force, guangzhou_reviewer, gd_clerk, auditor):
    for user in (guangzhou_reviewer, gd_clerk, auditor):
        with pytest.raises(NotAllowed):
            actions.terminate_contract(contract=in_force, by=user, reason="x")
        with pytest.raises(NotAllowed):
            actions.complete_contract(contract=in_force, by=user)


def test_terminating_needs_a_reason_and_closes_the_contract(in_force, gd_officer):
    with pytest.raises(ActionError) as info:
        actions.terminate_contract(contract=in_force, by=gd_officer, reason=" ")
    assert info.value.field == "reason"
    ended = actions.terminate_contract(contract=in_force, by=gd_officer, reason="连续两年未履行义务")
    assert ended.state == Contract.State.TERMINATED and not ended.is_open
    entry = AuditEntry.objects.get(verb="terminate_contract")
    assert (entry.from_state, entry.to_state, entry.reason) == ("in_force", "terminated", "连续两年未履行义务")
