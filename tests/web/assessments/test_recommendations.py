"""A recommendation (争创国家级 in 001, 推荐 in 003 §四(四)) is a flag on the result, never a tier change.

The test programme is test-assessed-towns with one more transition: a creation town that met the year
with 10 or more invested is recommended for national status (``action: recommend``, no ``to``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assessments import actions
from assessments.selectors import action_label
from programmes.actions import sync_programmes
from programmes.models import Programme
from towns.actions import enrol_town
from towns.models import TierChange

from .conftest import DOC, figures

POLICIES = Path(__file__).parent / "policies_recommend"


@pytest.fixture
def recommended(db, province_officer, xixiangtang_town, qingxiu_town):
    report = sync_programmes(directory=POLICIES)
    assert report.ok, report.problems
    programme = Programme.objects.get(policy_id="test-recommended-towns")
    enrolments = {}
    for key, town in (("xixiangtang", xixiangtang_town), ("qingxiu", qingxiu_town)):
        enrolments[key] = enrol_town(town=town, programme=programme, tier="creation", started_on=dt.date(2019, 1, 1),
                                     by=province_officer)
    figures(xixiangtang_town, programme, province_officer, {2019: 5, 2020: 5})  # 10 invested, met → recommended
    figures(qingxiu_town, programme, province_officer, {2019: 3, 2020: 1})  # behind → demoted
    return programme, enrolments


def test_a_recommendation_is_proposed_as_a_flag_that_keeps_the_tier(recommended, province_officer):
    programme, enrolments = recommended
    run = actions.start_assessment(programme=programme, year=2020, by=province_officer, document_number=DOC)
    proposal = run.proposals.get(enrolment=enrolments["xixiangtang"])
    assert proposal.action == "recommend"
    assert proposal.next_tier == proposal.tier == "creation"
    assert not proposal.changes_tier
    assert str(action_label("recommend").zh) == "推荐(不改层级)"


def test_publishing_a_run_with_a_recommendation_leaves_the_tier_unchanged(recommended, province_officer):
    programme, enrolments = recommended
    run = actions.start_assessment(programme=programme, year=2020, by=province_officer, document_number=DOC)
    actions.publish_assessment(run=run, by=province_officer)
    recommended_town = enrolments["xixiangtang"]
    recommended_town.refresh_from_db()
    assert recommended_town.tier == "creation"
    assert not TierChange.objects.filter(enrolment=recommended_town).exists()
    # The published result still carries the recommendation, with its clause, for exports and the API.
    published = run.proposals.get(enrolment=recommended_town)
    assert (published.action, published.transition_id, published.clause) == ("recommend", "recommend_to_state", "A §4(4)")
    # The town behind schedule in the same run is demoted as before: only the recommendation is a flag.
    enrolments["qingxiu"].refresh_from_db()
    assert enrolments["qingxiu"].tier == "cultivation"
