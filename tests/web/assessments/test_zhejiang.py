"""Zhejiang (002 §三(三)(四)): grades, star ratings of named towns, the five-year risk review."""

from __future__ import annotations

import pytest

from assessments import actions
from portal.errors import ActionError
from towns.models import IndicatorValue, TierChange


def run_for(zhejiang, by, year=2024):
    return actions.start_assessment(programme=zhejiang, year=year, by=by, document_number="浙特镇〔2025〕2号")


def test_a_named_town_gets_its_star_rating_from_the_documented_default(zhejiang, zhejiang_towns, hangzhou_officer):
    run = run_for(zhejiang, hangzhou_officer)
    named = run.proposals.get(enrolment=zhejiang_towns["named"])
    assert (named.proposed_action, named.proposed_star_rating, named.star_rating) == ("star_rate", 4, 4)
    assert named.next_tier == "named"


def test_a_creation_town_is_graded_with_its_score(zhejiang, zhejiang_towns, hangzhou_officer):
    run = run_for(zhejiang, hangzhou_officer)
    creation = run.proposals.get(enrolment=zhejiang_towns["creation"])
    # completion 10/10 → 40, share 8/10 ≥ 70 % → 30, green 30 % → 15, 15 incubated → 15: 100 → 优秀.
    assert (creation.proposed_grade, creation.score) == ("优秀", 100)


def test_a_creation_town_five_years_in_is_due_for_the_risk_review(zhejiang, zhejiang_towns, hangzhou_officer):
    run = run_for(zhejiang, hangzhou_officer)
    creation = run.proposals.get(enrolment=zhejiang_towns["creation"])
    assert creation.years_in_tier == 5
    assert creation.risk_review_due
    named = run.proposals.get(enrolment=zhejiang_towns["named"])
    assert not named.risk_review_due


def test_a_high_risk_finding_turns_the_proposal_into_termination_with_its_clause(zhejiang, zhejiang_towns, hangzhou_officer):
    run = run_for(zhejiang, hangzhou_officer)
    creation = run.proposals.get(enrolment=zhejiang_towns["creation"])
    creation = actions.record_risk_review(proposal=creation, risk_grade="高", reason="主导产业空心化，招商停滞",
                                          by=hangzhou_officer)
    assert (creation.risk_grade, creation.proposed_transition_id, creation.next_tier) == ("高", "terminate_high_risk", "terminated")
    assert creation.risk_reason == "主导产业空心化，招商停滞"
    stored = IndicatorValue.objects.get(town=creation.town, indicator_id="risk_grade_reported", period="2024")
    assert (stored.text, stored.source) == ("高", "annual_assessment")
    actions.publish_assessment(run=run, by=hangzhou_officer)
    change = TierChange.objects.get(enrolment=zhejiang_towns["creation"], decision_ref="浙特镇〔2025〕2号")
    assert (change.to_tier, change.transition_id, change.clause) == ("terminated", "terminate_high_risk", "002 §三(四)")


def test_a_low_risk_finding_proposes_the_extension(zhejiang, zhejiang_towns, hangzhou_officer):
    run = run_for(zhejiang, hangzhou_officer)
    creation = actions.record_risk_review(proposal=run.proposals.get(enrolment=zhejiang_towns["creation"]),
                                          risk_grade="低", reason="进度正常，待验收", by=hangzhou_officer)
    assert (creation.proposed_action, creation.next_tier) == ("extend", "creation_extended")


def test_a_risk_review_without_findings_or_for_a_town_not_due_is_refused(zhejiang, zhejiang_towns, hangzhou_officer):
    run = run_for(zhejiang, hangzhou_officer)
    with pytest.raises(ActionError) as err:
        actions.record_risk_review(proposal=run.proposals.get(enrolment=zhejiang_towns["creation"]), risk_grade="高",
                                   reason="", by=hangzhou_officer)
    assert err.value.field == "reason"
    with pytest.raises(ActionError) as err:
        actions.record_risk_review(proposal=run.proposals.get(enrolment=zhejiang_towns["named"]), risk_grade="高",
                                   reason="x", by=hangzhou_officer)
    assert err.value.field == "risk_grade"
    assert not IndicatorValue.objects.filter(indicator_id="risk_grade_reported").exists()


def test_an_officer_may_change_a_star_rating_and_grade_with_a_reason(zhejiang, zhejiang_towns, hangzhou_officer):
    run = run_for(zhejiang, hangzhou_officer)
    named = run.proposals.get(enrolment=zhejiang_towns["named"])
    named = actions.override_proposal(proposal=named, by=hangzhou_officer, reason="亩均税收经核实更高",
                                      next_tier="named", star_rating=5)
    assert (named.star_rating, named.proposed_star_rating) == (5, 4)
    with pytest.raises(ActionError) as err:
        actions.override_proposal(proposal=named, by=hangzhou_officer, reason="x", next_tier="named", grade="特优")
    assert err.value.field == "grade"


def test_the_town_page_shows_the_published_star_rating(zhejiang, zhejiang_towns, hangzhou_officer, signed_in):
    run = run_for(zhejiang, hangzhou_officer)
    actions.publish_assessment(run=run, by=hangzhou_officer)
    page = signed_in(hangzhou_officer).get(f"/towns/{zhejiang_towns['named'].town.code}/").content.decode()
    assert "★★★★☆" in page


def test_a_named_town_below_the_named_standard_two_years_running_is_eliminated_on_publishing(
    zhejiang, zhejiang_towns, hangzhou_officer
):
    from towns.actions import record_indicator_values

    named = zhejiang_towns["named"]
    record_indicator_values(town=named.town, programme=zhejiang, by=hangzhou_officer, source="manual", values=[
        {"indicator": "feature_output", "period": str(y), "basis": "actual", "value": 50} for y in (2023, 2024)])
    run = run_for(zhejiang, hangzhou_officer)
    proposal = run.proposals.get(enrolment=named)
    assert (proposal.proposed_transition_id, proposal.missed_streak, proposal.next_tier) == ("eliminate_named", 2, "eliminated")
    actions.publish_assessment(run=run, by=hangzhou_officer)
    named.refresh_from_db()
    assert named.tier == "eliminated" and not named.is_open


def test_a_grade_vetoed_by_a_red_line_is_shown_as_a_veto_not_beside_a_bare_score(
        zhejiang, zhejiang_towns, hangzhou_officer, signed_in):
    from django.urls import reverse

    from towns.actions import record_indicator_values

    creation = zhejiang_towns["creation"]
    record_indicator_values(town=creation.town, programme=zhejiang, by=hangzhou_officer, source="manual",
                            values=[{"indicator": "crosses_ecological_red_line", "period": "2024", "basis": "actual",
                                     "value": True}])
    run = run_for(zhejiang, hangzhou_officer)
    proposal = run.proposals.get(enrolment=creation)
    assert (proposal.proposed_grade, proposal.score) == ("降格", 100)  # the score alone would be 优秀
    html = signed_in(hangzhou_officer).get(reverse("assessments:detail", args=[run.pk])).content.decode()
    row = html[html.index(f'data-town="{creation.town.code}"'):]
    row = row[:row.index("</tr>")]
    assert "降格 · 100.0" in row
    assert "一票否决" in row and "100 ≥ 90，年度考核优秀分数线" in row and "002 §三(四)" in row


def test_a_grade_by_the_score_names_its_band_line_on_the_results(zhejiang, zhejiang_towns, hangzhou_officer,
                                                                  signed_in):
    from django.urls import reverse

    run = run_for(zhejiang, hangzhou_officer)
    actions.publish_assessment(run=run, by=hangzhou_officer)
    html = signed_in(hangzhou_officer).get(reverse("assessments:results", args=["zhejiang-towns", 2024])).content.decode()
    assert "优秀 (100.0)" in html and "优秀：得分 100 ≥ 90，年度考核优秀分数线（002 §三(四)）" in html
    assert "一票否决——" not in html
