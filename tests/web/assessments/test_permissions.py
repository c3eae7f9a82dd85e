"""Who may run, decide, publish and read an assessment — every refusal."""

from __future__ import annotations

import pytest
from tests.web.conftest import persona

from accounts.models import Role
from assessments import actions
from assessments.permissions import can_run_assessment, can_view_run
from assessments.selectors import published_results
from portal.errors import NotAllowed

from .conftest import DOC


@pytest.fixture
def run(assessed, assessed_programme, province_officer):
    return actions.start_assessment(programme=assessed_programme, year=2020, by=province_officer, document_number=DOC)


def test_a_city_reviewer_cannot_run_the_province_s_assessment(assessed, assessed_programme, nanning_reviewer):
    assert not can_run_assessment(nanning_reviewer, assessed_programme)
    with pytest.raises(NotAllowed):
        actions.start_assessment(programme=assessed_programme, year=2020, by=nanning_reviewer, document_number=DOC)


def test_another_province_s_officer_cannot_run_it(assessed, assessed_programme, hangzhou_officer):
    with pytest.raises(NotAllowed):
        actions.start_assessment(programme=assessed_programme, year=2020, by=hangzhou_officer, document_number=DOC)


def test_a_city_reviewer_cannot_override_or_publish_the_province_s_assessment(run, nanning_reviewer):
    proposal = run.proposals.first()
    with pytest.raises(NotAllowed):
        actions.override_proposal(proposal=proposal, by=nanning_reviewer, reason="不同意", next_tier=proposal.tier)
    with pytest.raises(NotAllowed):
        actions.publish_assessment(run=run, by=nanning_reviewer)
    run.refresh_from_db()
    assert not run.is_published


def test_the_auditor_reads_the_run_but_changes_nothing(run, auditor):
    assert can_view_run(auditor, run)
    with pytest.raises(NotAllowed):
        actions.publish_assessment(run=run, by=auditor)
    with pytest.raises(NotAllowed):
        actions.rerun_assessment(run=run, by=auditor)
    with pytest.raises(NotAllowed):
        actions.select_excellent(proposal=run.proposals.first(), excellent=False, by=auditor, reason="x")


def test_a_town_body_sees_no_draft_and_only_its_own_published_result(run, town_clerk, province_officer, assessed_programme):
    assert not can_view_run(town_clerk, run)
    actions.publish_assessment(run=run, by=province_officer)
    run.refresh_from_db()
    assert can_view_run(town_clerk, run)
    results = list(published_results(town_clerk, assessed_programme, 2020))
    assert [r.town for r in results] == [town_clerk.town]


def test_a_city_reviewer_sees_only_its_own_city_s_published_results(run, nanning_reviewer, province_officer, assessed_programme):
    actions.publish_assessment(run=run, by=province_officer)
    codes = {r.town.region.code[:4] for r in published_results(nanning_reviewer, assessed_programme, 2020)}
    assert codes == {"4501"}


def test_a_town_body_of_a_town_outside_the_run_gets_403_on_the_results_page(run, province_officer, hangzhou_town, signed_in):
    actions.publish_assessment(run=run, by=province_officer)
    other = persona("other-clerk", Role.TOWN_BODY, town=hangzhou_town)
    response = signed_in(other).get(f"/assessments/results/{run.programme.policy_id}/2020/")
    assert response.status_code == 403


def test_the_city_reviewer_gets_403_on_starting_and_publishing_through_the_pages(run, nanning_reviewer, signed_in):
    client = signed_in(nanning_reviewer)
    assert client.get(f"/assessments/start/{run.programme.policy_id}/").status_code == 403
    assert client.post(f"/assessments/runs/{run.pk}/publish/").status_code == 403
    run.refresh_from_db()
    assert not run.is_published


def test_the_auditor_gets_403_on_overriding_through_the_page(run, auditor, signed_in):
    proposal = run.proposals.first()
    response = signed_in(auditor).post(f"/assessments/proposals/{proposal.pk}/override/",
                                       {f"p{proposal.pk}-next_tier": proposal.tier, f"p{proposal.pk}-reason": "x"})
    assert response.status_code == 403


def test_the_run_list_shows_a_city_reviewer_the_run_touching_its_towns_and_a_town_body_only_published_ones(
    run, nanning_reviewer, town_clerk, hangzhou_officer, province_officer
):
    from assessments.permissions import visible_runs

    assert list(visible_runs(nanning_reviewer)) == [run]
    assert list(visible_runs(hangzhou_officer)) == []
    assert list(visible_runs(town_clerk)) == []
    actions.publish_assessment(run=run, by=province_officer)
    assert list(visible_runs(town_clerk)) == [run]
