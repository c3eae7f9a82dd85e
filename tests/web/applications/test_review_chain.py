"""The review chain as the programme file declares it: pass, return with a reason,
resubmit keeping the history, reject, rank the recommended, list (enrol) at the last step."""

from __future__ import annotations

import pytest

from applications.actions import decide_step, submit_application
from applications.models import Application, StepDecision
from applications.workflow import ApplicationTransitionNotAllowed, apply_transition
from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from towns.models import Enrolment, IndicatorValue

from .conftest import fill_in

State = Application.State


def through_city(application, reviewer, rank=1):
    decide_step(application=application, step_id="city_check", outcome="pass", reason="", by=reviewer)
    decide_step(application=application, step_id="city_recommend", outcome="pass", reason="择优", by=reviewer,
                rank=rank)


def test_a_submitted_application_waits_at_the_first_step_of_the_programmes_chain(submitted, town_clerk):
    application = submitted(town_clerk)
    assert application.state == State.SUBMITTED and application.current_step == "city_check"
    [submission] = application.submissions.all()
    assert submission.programme_version == application.programme.current_version
    assert submission.verdict["verdict"] == "unknown"  # materials and recommendation not yet confirmed
    unknown = {o["criterion_id"] for o in submission.verdict["outcomes"] if o["outcome"] == "unknown"}
    assert unknown == {"app_materials_complete", "app_city_recommended"}


def test_the_submitted_facts_become_plan_values_of_the_town_from_the_application(submitted, town_clerk):
    application = submitted(town_clerk)
    values = IndicatorValue.objects.filter(town=application.town, source="application",
                                           source_ref=f"application:{application.pk}")
    periods = application.call.plan_periods
    investment = {v.period: v.number for v in values.filter(indicator_id="fixed_asset_investment")}
    assert investment == {periods[0]: 3.5, periods[1]: 4.5, periods[2]: 4.0}
    assert values.get(indicator_id="leadership_mechanism").period == periods[0]
    assert set(values.values_list("basis", flat=True)) == {"plan"}


def test_the_whole_chain_lists_the_town_in_the_entry_tier(submitted, town_clerk, nanning_reviewer,
                                                          province_officer):
    application = submitted(town_clerk)
    through_city(application, nanning_reviewer)
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW and application.current_step == "region_review"
    assert application.rank == 1
    decide_step(application=application, step_id="region_review", outcome="pass", reason="材料齐全",
                by=province_officer)
    decide_step(application=application, step_id="publish_list", outcome="pass", reason="列入培育名单",
                by=province_officer)
    application.refresh_from_db()
    assert application.state == State.LISTED and application.current_step == ""
    enrolment = Enrolment.objects.get(town=application.town, programme=application.programme)
    assert application.enrolment == enrolment and enrolment.tier == "cultivation"
    assert enrolment.category == "high_tech_zone"  # the town's own category is not the programme's


def test_passing_a_step_that_confirms_records_the_fact_and_the_verdict_now_passes(
    submitted, town_clerk, nanning_reviewer, province_officer
):
    from applications.verdicts import application_verdict

    application = submitted(town_clerk)
    through_city(application, nanning_reviewer)
    application.refresh_from_db()
    ref = f"application:{application.pk}"
    confirmed = IndicatorValue.objects.filter(town=application.town, source_ref=ref,
                                              indicator_id__in=["materials_complete", "city_recommended"])
    assert {v.indicator_id: v.number for v in confirmed} == {"materials_complete": 1.0, "city_recommended": 1.0}
    assert application_verdict(application).outcome == "pass"
    decide_step(application=application, step_id="region_review", outcome="pass", reason="", by=province_officer)
    seen = StepDecision.objects.get(application=application, step_id="region_review").verdict
    assert seen["verdict"] == "pass" and seen["programme_version"] == application.programme.current_version.number


def test_a_return_needs_a_reason(submitted, town_clerk, nanning_reviewer):
    application = submitted(town_clerk)
    with pytest.raises(ActionError) as err:
        decide_step(application=application, step_id="city_check", outcome="return", reason="  ", by=nanning_reviewer)
    assert err.value.field == "reason" and "理由" in str(err.value)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_a_returned_application_resubmitted_keeps_every_submission_and_decision(
    submitted, town_clerk, nanning_reviewer
):
    application = submitted(town_clerk)
    decide_step(application=application, step_id="city_check", outcome="return", reason="建设范围图不清晰",
                by=nanning_reviewer)
    application.refresh_from_db()
    assert application.state == State.RETURNED and application.current_step == ""
    fill_in(application, town_clerk, high_tech_enterprises="6")
    submit_application(application=application, by=town_clerk)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.current_step == "city_check"
    assert list(application.submissions.values_list("number", flat=True)) == [1, 2]
    [returned] = application.decisions.all()
    assert returned.outcome == "return" and returned.reason == "建设范围图不清晰" and returned.submission.number == 1
    verbs = list(AuditEntry.objects.filter(object_id=str(application.pk), object_type="applications.application")
                 .values_list("verb", "from_state", "to_state"))
    assert ("decide_step", "submitted", "returned") in verbs
    assert ("submit_application", "returned", "submitted") in verbs


def test_a_rejection_is_final_with_its_reason(submitted, town_clerk, nanning_reviewer):
    application = submitted(town_clerk)
    decide_step(application=application, step_id="city_check", outcome="reject", reason="不在城乡结合部",
                by=nanning_reviewer)
    application.refresh_from_db()
    assert application.state == State.REJECTED
    with pytest.raises(NotAllowed):
        submit_application(application=application, by=town_clerk)
    with pytest.raises(NotAllowed):
        decide_step(application=application, step_id="city_check", outcome="pass", reason="", by=nanning_reviewer)


def test_a_recommendation_needs_a_rank_and_two_cannot_share_one(
    submitted, town_clerk, xixiangtang_clerk, nanning_reviewer
):
    first, second = submitted(town_clerk), submitted(xixiangtang_clerk)
    for application in (first, second):
        decide_step(application=application, step_id="city_check", outcome="pass", reason="", by=nanning_reviewer)
    with pytest.raises(ActionError) as err:
        decide_step(application=first, step_id="city_recommend", outcome="pass", reason="", by=nanning_reviewer)
    assert err.value.field == "rank"
    decide_step(application=first, step_id="city_recommend", outcome="pass", reason="", by=nanning_reviewer, rank=1)
    with pytest.raises(ActionError) as err:
        decide_step(application=second, step_id="city_recommend", outcome="pass", reason="", by=nanning_reviewer,
                    rank=1)
    assert err.value.field == "rank" and first.town.code in str(err.value)
    decide_step(application=second, step_id="city_recommend", outcome="pass", reason="", by=nanning_reviewer, rank=2)
    ranks = dict(Application.objects.values_list("town__code", "rank"))
    assert ranks == {first.town.code: 1, second.town.code: 2}


def test_a_step_is_decided_only_at_the_applications_current_step(submitted, town_clerk, province_officer):
    application = submitted(town_clerk)
    with pytest.raises(NotAllowed):
        decide_step(application=application, step_id="region_review", outcome="pass", reason="", by=province_officer)


def test_when_enrolment_refuses_nothing_is_decided(submitted, town_clerk, nanning_reviewer, province_officer):
    from towns.actions import enrol_town

    application = submitted(town_clerk)
    through_city(application, nanning_reviewer)
    decide_step(application=application, step_id="region_review", outcome="pass", reason="", by=province_officer)
    # The town got on the list some other way meanwhile: enrol_town refuses a second enrolment.
    import datetime as dt
    enrol_town(town=application.town, programme=application.programme, tier="cultivation",
               started_on=dt.date.today(), by=province_officer, category="high_tech_zone")
    with pytest.raises(ActionError) as err:
        decide_step(application=application, step_id="publish_list", outcome="pass", reason="", by=province_officer)
    assert "已在此项目名单中" in str(err.value)
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW and application.current_step == "publish_list"
    assert not application.decisions.filter(step_id="publish_list").exists()


def test_the_state_table_refuses_a_move_it_does_not_have(submitted, town_clerk):
    application = submitted(town_clerk)
    with pytest.raises(ApplicationTransitionNotAllowed) as err:
        apply_transition(application, "submit")
    assert err.value.state == "submitted"


def test_a_rank_held_by_a_listed_application_does_not_block_the_applications_still_being_ranked(
    submitted, town_clerk, xixiangtang_clerk, nanning_reviewer, province_officer
):
    first, second = submitted(town_clerk), submitted(xixiangtang_clerk)
    through_city(first, nanning_reviewer, rank=1)
    for step in ("region_review", "publish_list"):
        decide_step(application=first, step_id=step, outcome="pass", reason="", by=province_officer)
    first.refresh_from_db()
    assert first.state == State.LISTED and first.rank == 1
    through_city(second, nanning_reviewer, rank=1)  # rank 1 is free again among those still being ranked
    second.refresh_from_db()
    assert second.rank == 1 and second.state == State.IN_REVIEW
