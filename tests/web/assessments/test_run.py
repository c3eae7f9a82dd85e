"""Running, overriding, selecting and publishing an annual assessment (003 §四(三))."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import actions
from assessments.models import AssessmentRun
from assessments.selectors import published_results
from audit.models import AuditEntry
from portal.errors import ActionError
from towns.models import TierChange

from .conftest import DOC


def start(programme, by, year=2020):
    return actions.start_assessment(programme=programme, year=year, by=by, document_number=DOC)


def by_town(run):
    return {p.town.code: p for p in run.proposals.select_related("town")}


def test_the_run_proposes_a_decision_for_every_enrolled_town_with_its_reasons(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    proposals = by_town(run)
    assert len(proposals) == 3
    qingxiu = proposals[assessed["qingxiu"].town.code]
    assert (qingxiu.proposed_action, qingxiu.proposed_next_tier, qingxiu.proposed_clause) == ("demote", "cultivation", "A §4")
    assert qingxiu.annual_met is False
    progress = next(o for o in qingxiu.outcomes if o["criterion_id"] == "annual_progress")
    assert progress["outcome"] == "fail"
    assert progress["values"]["cum_investment"] == 4
    assert progress["thresholds"]["min_investment_3y"] == 9
    assert any("A §4" in r for r in qingxiu.reasons)
    assert proposals[assessed["liuzhou"].town.code].proposed_action == "promote"
    assert proposals[assessed["xixiangtang"].town.code].proposed_action == "stay"
    assert run.programme_version == assessed_programme.current_version
    assert AuditEntry.objects.filter(verb="start_assessment", object_id=str(run.pk)).exists()


def test_the_excellent_town_is_the_best_score_among_those_that_met_the_standard(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    excellent = [p for p in run.proposals.all() if p.excellent]
    assert [p.town for p in excellent] == [assessed["xixiangtang"].town]
    assert excellent[0].excellence_score == 10


def test_a_second_run_for_the_same_year_is_refused_naming_the_year(assessed, assessed_programme, province_officer):
    start(assessed_programme, province_officer)
    with pytest.raises(ActionError) as err:
        start(assessed_programme, province_officer)
    assert err.value.field == "year"


def test_a_year_before_the_programme_began_is_refused(assessed, assessed_programme, province_officer):
    with pytest.raises(ActionError) as err:
        start(assessed_programme, province_officer, year=2010)
    assert err.value.field == "year"
    assert not AssessmentRun.objects.exists()


def test_an_override_without_a_reason_is_refused_and_changes_nothing(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    qingxiu = by_town(run)[assessed["qingxiu"].town.code]
    with pytest.raises(ActionError) as err:
        actions.override_proposal(proposal=qingxiu, by=province_officer, reason="  ", next_tier="creation")
    assert err.value.field == "reason"
    qingxiu.refresh_from_db()
    assert (qingxiu.next_tier, qingxiu.overridden) == ("cultivation", False)


def test_an_override_with_a_reason_keeps_the_town_where_it_is_and_survives_a_rerun(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    qingxiu = by_town(run)[assessed["qingxiu"].town.code]
    actions.override_proposal(proposal=qingxiu, by=province_officer, reason="受疫情影响，项目顺延", next_tier="creation")
    qingxiu.refresh_from_db()
    assert (qingxiu.action, qingxiu.next_tier, qingxiu.proposed_next_tier) == ("stay", "creation", "cultivation")
    actions.rerun_assessment(run=run, by=province_officer)
    qingxiu.refresh_from_db()
    assert (qingxiu.next_tier, qingxiu.override_reason) == ("creation", "受疫情影响，项目顺延")
    entry = AuditEntry.objects.get(verb="override_proposal")
    assert (entry.from_state, entry.to_state, entry.reason) == ("cultivation", "creation", "受疫情影响，项目顺延")


def test_an_override_to_a_tier_the_programme_does_not_allow_is_refused(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    qingxiu = by_town(run)[assessed["qingxiu"].town.code]
    with pytest.raises(ActionError) as err:
        actions.override_proposal(proposal=qingxiu, by=province_officer, reason="试试", next_tier="named")
    assert err.value.field == "to_tier"


def test_choosing_an_excellent_town_that_missed_the_standard_is_refused_with_the_clause(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    qingxiu = by_town(run)[assessed["qingxiu"].town.code]
    with pytest.raises(ActionError) as err:
        actions.select_excellent(proposal=qingxiu, excellent=True, by=province_officer, reason="表现突出")
    assert "A §4(3)" in str(err.value)


def test_changing_the_excellent_selection_needs_a_reason_then_is_kept(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    liuzhou = by_town(run)[assessed["liuzhou"].town.code]
    with pytest.raises(ActionError):
        actions.select_excellent(proposal=liuzhou, excellent=True, by=province_officer)
    actions.select_excellent(proposal=liuzhou, excellent=True, by=province_officer, reason="升格势头好，一并表扬")
    liuzhou.refresh_from_db()
    assert liuzhou.excellent and not liuzhou.proposed_excellent


def test_publishing_applies_each_tier_change_with_clause_and_document_number_and_freezes_the_run(
    assessed, assessed_programme, province_officer
):
    run = start(assessed_programme, province_officer)
    actions.publish_assessment(run=run, by=province_officer)
    qingxiu = assessed["qingxiu"]
    qingxiu.refresh_from_db()
    assert qingxiu.tier == "cultivation"
    change = TierChange.objects.get(enrolment=qingxiu, decision_ref=DOC)
    assert (change.transition_id, change.clause, change.effective_on) == ("demote", "A §4", dt.date(2021, 1, 1))
    assert "2020" in change.reason
    assert by_town(run)[qingxiu.town.code].tier_change == change
    assessed["liuzhou"].refresh_from_db()
    assert assessed["liuzhou"].tier == "creation"
    assert TierChange.objects.filter(decision_ref=DOC).count() == 2  # the town that stays has none
    assert AuditEntry.objects.filter(verb="change_tier", data__decision_ref=DOC).count() == 2
    run.refresh_from_db()
    assert run.is_published
    with pytest.raises(ActionError):
        actions.override_proposal(proposal=by_town(run)[qingxiu.town.code], by=province_officer, reason="晚了",
                                  next_tier="creation")
    with pytest.raises(ActionError):
        actions.publish_assessment(run=run, by=province_officer)


def test_publishing_an_override_applies_the_officer_s_decision_not_the_engine_s(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    actions.override_proposal(proposal=by_town(run)[assessed["qingxiu"].town.code], by=province_officer,
                              reason="整改到位", next_tier="creation")
    actions.publish_assessment(run=run, by=province_officer)
    assessed["qingxiu"].refresh_from_db()
    assert assessed["qingxiu"].tier == "creation"
    assert not TierChange.objects.filter(enrolment=assessed["qingxiu"], decision_ref=DOC).exists()


def test_published_results_are_empty_until_the_run_is_published(assessed, assessed_programme, province_officer):
    run = start(assessed_programme, province_officer)
    assert list(published_results(province_officer, assessed_programme, 2020)) == []
    actions.publish_assessment(run=run, by=province_officer)
    results = list(published_results(province_officer, assessed_programme, 2020))
    assert [r.town.code for r in results] == sorted(p.town.code for p in run.proposals.all())
    assert {r.action for r in results} == {"demote", "promote", "stay"}


def test_a_town_whose_tier_changed_since_the_run_must_be_rerun_before_publishing(assessed, assessed_programme, province_officer):
    from towns.actions import change_tier

    run = start(assessed_programme, province_officer)
    change_tier(enrolment=assessed["qingxiu"], to_tier="cultivation", by=province_officer, reason="提前处理",
                decision_ref="另文", transition_id="demote", effective_on=dt.date(2021, 1, 1))
    with pytest.raises(ActionError) as err:
        actions.publish_assessment(run=run, by=province_officer)
    assert assessed["qingxiu"].town.code in str(err.value)
    run.refresh_from_db()
    assert not run.is_published
