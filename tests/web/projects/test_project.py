"""The three-year project (004 §三6): milestones, yearly progress reports, the acceptance application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from projects import actions
from projects.models import Contract
from towns.models import IndicatorValue

from .conftest import draft


def test_the_town_plans_milestones_within_the_term_and_marks_them_done(in_force, gd_clerk):
    milestone = actions.add_milestone(contract=in_force, year_no=1, title="平台扩建", planned_by=dt.date(2024, 10, 1),
                                      by=gd_clerk)
    for year_no, day, field in ((4, dt.date(2024, 5, 1), "year_no"), (1, dt.date(2027, 1, 1), "planned_by")):
        with pytest.raises(ActionError) as info:
            actions.add_milestone(contract=in_force, year_no=year_no, title="x", planned_by=day, by=gd_clerk)
        assert info.value.field == field
    done = actions.complete_milestone(milestone=milestone, by=gd_clerk, done_on=dt.date(2024, 9, 20), note="已完成")
    assert done.is_done
    assert AuditEntry.objects.filter(verb="complete_milestone", from_state="planned", to_state="done").exists()
    with pytest.raises(ActionError, match="already done"):
        actions.complete_milestone(milestone=milestone, by=gd_clerk)


def test_another_town_a_city_office_and_the_auditor_cannot_touch_the_milestones(
        in_force, gd_clerk, other_clerk, guangzhou_reviewer, auditor):
    for user in (other_clerk, guangzhou_reviewer, auditor):
        with pytest.raises(NotAllowed):
            actions.add_milestone(contract=in_force, year_no=1, title="x", planned_by=dt.date(2024, 5, 1), by=user)
    milestone = actions.add_milestone(contract=in_force, year_no=1, title="x", planned_by=dt.date(2024, 5, 1),
                                      by=gd_clerk)
    for user in (other_clerk, auditor):
        with pytest.raises(NotAllowed):
            actions.complete_milestone(milestone=milestone, by=user)


def test_a_progress_report_records_the_years_figures_for_the_contracts_targets(in_force, gd_clerk, signed_in):
    actions.submit_progress_report(contract=in_force, year=2024, summary="平台服务企业 120 家", by=gd_clerk,
                                   values={"platform_services": True})
    value = IndicatorValue.objects.get(indicator_id="platform_services", period="2024", basis="actual")
    assert value.number == 1 and value.source_ref == f"progress:{in_force.number}:2024"
    html = signed_in(gd_clerk).get(reverse("projects:project", args=[in_force.pk])).content.decode()
    assert "平台服务企业 120 家" in html and "达到" in html


def test_a_progress_report_is_refused_for_a_year_outside_the_term_twice_or_for_other_indicators(in_force, gd_clerk):
    with pytest.raises(ActionError) as info:
        actions.submit_progress_report(contract=in_force, year=2023, summary="x", by=gd_clerk)
    assert info.value.field == "year"
    with pytest.raises(ActionError) as info:
        actions.submit_progress_report(contract=in_force, year=2024, summary="x", by=gd_clerk,
                                       values={"acceptance_passed": True})
    assert info.value.field == "values" and "acceptance_passed" in str(info.value)
    with pytest.raises(ActionError) as info:  # the ledger writes the funds; a report does not
        actions.submit_progress_report(contract=in_force, year=2024, summary="x", by=gd_clerk,
                                       values={"local_matching_to_date": 10})
    assert info.value.field == "values"
    actions.submit_progress_report(contract=in_force, year=2024, summary="x", by=gd_clerk)
    with pytest.raises(ActionError, match="already been submitted"):
        actions.submit_progress_report(contract=in_force, year=2024, summary="y", by=gd_clerk)


def test_only_the_town_reports_progress(in_force, gd_officer, other_clerk, auditor):
    for user in (gd_officer, other_clerk, auditor):
        with pytest.raises(NotAllowed):
            actions.submit_progress_report(contract=in_force, year=2024, summary="x", by=user)


def test_acceptance_can_be_applied_for_only_once_the_term_is_over(approved, gd_officer, guangzhou_reviewer, gd_clerk):
    contract = draft(approved, gd_officer, term_start=dt.date(2023, 6, 1))  # ends 2026-05-31
    for party, user in (("province", gd_officer), ("local", guangzhou_reviewer), ("town", gd_clerk)):
        actions.sign_contract(contract=contract, party=party, by=user, signed_on=dt.date(2023, 5, 20))
    actions.bring_contract_into_force(contract=contract, by=gd_officer, on=dt.date(2023, 6, 1))
    with pytest.raises(ActionError) as info:
        actions.apply_for_acceptance(contract=contract, by=gd_clerk, on=dt.date(2026, 5, 31))
    assert info.value.field == "on" and "004 §三6" in str(info.value)
    applied = actions.apply_for_acceptance(contract=contract, by=gd_clerk, on=dt.date(2026, 6, 2), summary="期满申请")
    assert applied.acceptance_applied_on == dt.date(2026, 6, 2)
    assert IndicatorValue.objects.get(indicator_id="acceptance_applied", period="2026").number == 1
    with pytest.raises(ActionError, match="already been applied"):
        actions.apply_for_acceptance(contract=contract, by=gd_clerk, on=dt.date(2026, 6, 3))


def test_only_the_towns_own_government_applies_for_acceptance(in_force, gd_officer, other_clerk, auditor):
    for user in (gd_officer, other_clerk, auditor):
        with pytest.raises(NotAllowed):
            actions.apply_for_acceptance(contract=in_force, by=user, on=dt.date(2027, 1, 5))


def test_a_contract_not_in_force_cannot_apply_for_acceptance(contract, gd_clerk):
    with pytest.raises(ActionError) as info:
        actions.apply_for_acceptance(contract=contract, by=gd_clerk, on=dt.date(2027, 1, 5))
    assert info.value.field == "state"
    assert Contract.objects.get(pk=contract.pk).acceptance_applied_on is None


def test_the_project_page_shows_the_acceptance_criteria_one_by_one_with_clauses(in_force, gd_officer, signed_in):
    from projects.actions import record_funding

    record_funding(contract=in_force, kind="allocation", source="provincial", amount="100", on=dt.date(2024, 3, 1),
                   document_ref="x", by=gd_officer)
    html = signed_in(gd_officer).get(reverse("projects:project", args=[in_force.pk])).content.decode()
    policy = in_force.programme.policy
    for criterion in policy.criteria_for("acceptance"):
        assert criterion.label.zh in html and criterion.clause in html
    assert "local_matching_arranged" in html  # the numbers behind each outcome


def test_applying_for_acceptance_hands_over_to_the_acceptance_the_province_organises_or_delegates(
        approved, gd_officer, guangzhou_reviewer, gd_clerk, signed_in):
    from reviews.models import Acceptance

    contract = draft(approved, gd_officer, term_start=dt.date(2023, 6, 1))
    for party, user in (("province", gd_officer), ("local", guangzhou_reviewer), ("town", gd_clerk)):
        actions.sign_contract(contract=contract, party=party, by=user, signed_on=dt.date(2023, 5, 20))
    actions.bring_contract_into_force(contract=contract, by=gd_officer, on=dt.date(2023, 6, 1))
    actions.apply_for_acceptance(contract=contract, by=gd_clerk, on=dt.date(2026, 6, 2))
    acceptance = Acceptance.objects.get(enrolment=approved)
    assert acceptance.status == Acceptance.Status.IN_REVIEW
    assert acceptance.material_ref == f"contract:{contract.number}" and contract.number in acceptance.summary
    html = signed_in(gd_clerk).get(reverse("projects:project", args=[contract.pk])).content.decode()
    assert reverse("reviews:acceptance", args=[acceptance.pk]) in html and "验收中" in html
    assert AuditEntry.objects.get(verb="apply_for_acceptance", object_type__icontains="contract").data[
        "acceptance"] == acceptance.pk
