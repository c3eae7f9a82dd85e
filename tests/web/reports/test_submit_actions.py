"""Submitting reports: checks shared with Excel, values stored as actuals, revisions, idempotent API pushes."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from reports.actions import ReportRejected, save_report_draft, submit_report_values
from reports.models import LedgerProject, Report, ReportRevision
from towns.models import IndicatorValue

from .conftest import PAST, current_quarter, tongzhou_ledger, tongzhou_values


def test_submitted_values_land_as_actual_quarterly_report_values_with_the_report_as_source(
    programme, past_period, town_clerk, qingxiu_town
):
    report = submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                                  values={"investment": "2.5", "feature_investment": 2, "has_maker_space": "是"},
                                  source="online")
    stored = {v.indicator_id: v for v in IndicatorValue.objects.filter(town=qingxiu_town, period=PAST)}
    assert stored["investment"].number == 2.5
    assert stored["has_maker_space"].number == 1.0
    assert {v.basis for v in stored.values()} == {"actual"}
    assert {v.source for v in stored.values()} == {"quarterly_report"}
    assert stored["investment"].source_ref == f"report:{report.pk}"
    assert AuditEntry.objects.filter(verb="record_indicator_values", object_id=str(qingxiu_town.pk)).exists()


def test_a_report_filed_after_the_due_date_is_marked_late(programme, past_period, town_clerk, qingxiu_town):
    report = submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                                  values={"investment": 1})
    assert report.status == Report.Status.LATE


def test_a_report_filed_before_the_due_date_is_submitted_on_time(programme, current_period, town_clerk, qingxiu_town):
    report = submit_report_values(town=qingxiu_town, programme=programme, period=current_quarter(), by=town_clerk,
                                  values={"investment": 1})
    assert report.status == Report.Status.SUBMITTED
    assert report.submitted_by == town_clerk


def test_online_values_are_refused_with_the_same_rules_as_excel_and_nothing_is_saved(
    programme, past_period, town_clerk, qingxiu_town
):
    with pytest.raises(ReportRejected) as caught:
        submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                             values={"investment": "-1", "feature_investment": "3", "feature_share": "72"})
    problems = {p.indicator: p for p in caught.value.problems}
    assert "negative" in problems["investment"].message_en
    assert "72" in problems["feature_share"].message_en  # a bare number above 1 is refused, as in Excel
    assert not IndicatorValue.objects.filter(town=qingxiu_town, period=PAST).exists()
    assert not Report.objects.filter(town=qingxiu_town, status__in=Report.SUBMITTED_STATES).exists()


def test_a_part_larger_than_its_whole_is_refused_online(programme, past_period, town_clerk, qingxiu_town):
    with pytest.raises(ReportRejected) as caught:
        submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                             values={"investment": "2", "feature_investment": "3"})
    assert [p.indicator for p in caught.value.problems] == ["feature_investment"]
    assert "part cannot exceed its whole" in caught.value.problems[0].message_en


def test_an_indicator_the_programme_does_not_report_is_refused(programme, past_period, town_clerk, qingxiu_town):
    with pytest.raises(ReportRejected) as caught:
        submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                             values={"investment": "2", "happiness": "9"})
    assert caught.value.problems[0].indicator == "happiness"


def test_a_repeated_push_with_the_same_key_is_a_no_op_returning_the_same_report(
    programme, past_period, town_clerk, qingxiu_town
):
    first = submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                                 values={"investment": 2}, key="push-1")
    again = submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                                 values={"investment": 9}, key="push-1")
    assert again.pk == first.pk
    assert IndicatorValue.objects.get(town=qingxiu_town, period=PAST, indicator_id="investment").number == 2
    assert first.revisions.count() == 1


def test_every_revision_keeps_who_what_changed_from_what_to_what_and_how(
    programme, past_period, town_clerk, county_office, qingxiu_town
):
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                         values={"investment": 2, "has_maker_space": "否"}, source="online")
    report = submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=county_office,
                                  values={"investment": 2.4, "has_maker_space": "否"}, source="api", key="k")
    first, second = report.revisions.order_by("number")
    assert (first.by, first.source) == (town_clerk, ReportRevision.Source.ONLINE)
    assert (second.by, second.source, second.key) == (county_office, ReportRevision.Source.API, "k")
    assert second.changes == [{"indicator": "investment", "old": 2.0, "new": 2.4}]
    assert IndicatorValue.objects.get(town=qingxiu_town, period=PAST, indicator_id="investment").number == 2.4


def test_a_figure_left_blank_in_a_correction_becomes_unknown(programme, past_period, town_clerk, qingxiu_town):
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                         values={"investment": 2, "feature_investment": 1})
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                         values={"investment": 2})
    value = IndicatorValue.objects.get(town=qingxiu_town, period=PAST, indicator_id="feature_investment")
    assert value.number is None


def test_a_draft_keeps_invalid_values_and_submitting_checks_them(programme, past_period, town_clerk, qingxiu_town):
    report = save_report_draft(town=qingxiu_town, reporting_period=past_period, by=town_clerk,
                               values={"investment": "很多", "feature_share": ""})
    assert report.status == Report.Status.DRAFT
    assert report.values == {"investment": "很多"}
    with pytest.raises(ReportRejected):
        submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                             values=report.values)
    assert not IndicatorValue.objects.filter(town=qingxiu_town, period=PAST).exists()


def test_a_period_not_opened_is_refused_by_name(programme, enrolment, town_clerk, qingxiu_town):
    with pytest.raises(ActionError) as caught:
        submit_report_values(town=qingxiu_town, programme=programme, period="2024Q1", by=town_clerk,
                             values={"investment": 1})
    assert caught.value.field == "period"


def test_a_town_body_cannot_report_for_another_town(programme, past_period, town_clerk, xixiangtang_town):
    with pytest.raises(NotAllowed):
        submit_report_values(town=xixiangtang_town, programme=programme, period=PAST, by=town_clerk,
                             values={"investment": 1})


def test_a_county_office_cannot_report_for_another_countys_town(programme, past_period, county_office,
                                                                 xixiangtang_town):
    with pytest.raises(NotAllowed):
        submit_report_values(town=xixiangtang_town, programme=programme, period=PAST, by=county_office,
                             values={"investment": 1})


def test_the_auditor_cannot_report(programme, past_period, auditor, qingxiu_town):
    with pytest.raises(NotAllowed):
        submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=auditor,
                             values={"investment": 1})


def test_a_city_reviewer_files_no_report(programme, past_period, nanning_reviewer, qingxiu_town):
    with pytest.raises(NotAllowed):
        submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=nanning_reviewer,
                             values={"investment": 1})


# --- the ledger (Tongzhou: residential projects do not count, 003 §三(四)) ---------------------


def test_the_ledger_is_stored_with_residential_projects_left_out_of_what_counts(
    tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town
):
    submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                         values=tongzhou_values(), ledger=tongzhou_ledger(), source="online")
    projects = {p.name: p for p in LedgerProject.objects.filter(town=chuanjiang_town)}
    assert projects["家纺产业园二期"].counted is True
    assert projects["川姜人才公寓"].counted is False


def test_reported_investment_disagreeing_with_the_ledger_is_refused_at_the_investment(
    tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town
):
    with pytest.raises(ReportRejected) as caught:
        submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                             values=tongzhou_values(investment=5.0), ledger=tongzhou_ledger())
    assert [p.indicator for p in caught.value.problems] == ["investment"]
    assert "ledger" in caught.value.problems[0].message_en
    assert not LedgerProject.objects.exists()


def test_a_bad_ledger_row_is_named_by_its_number_and_field(tongzhou, tongzhou_period, chuanjiang_clerk,
                                                            chuanjiang_town):
    ledger = tongzhou_ledger()
    ledger[1]["project_type"] = "别墅"
    with pytest.raises(ReportRejected) as caught:
        submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                             values=tongzhou_values(), ledger=ledger)
    located = [(p.row, p.indicator) for p in caught.value.problems if p.indicator == "project_type"]
    assert located == [(2, "project_type")]


def test_a_patch_with_one_ledger_line_keeps_the_other_lines_and_values(
    tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town
):
    submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                         values=tongzhou_values(), ledger=tongzhou_ledger())
    report = submit_report_values(
        town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk, mode="patch",
        values={"investment": 3.5, "feature_investment": 2.5},
        ledger=[{"project_name": "家纺产业园二期", "project_type": "feature_industry", "planned_investment": 20,
                 "completed_investment": 2.5}])
    assert report.values == {**tongzhou_values(investment=3.5, feature=2.5), "planning_area_km2": 3.2,
                             "town_parlour": True}
    assert {p.name: p.completed_investment for p in LedgerProject.objects.filter(report=report)} == {
        "家纺产业园二期": 2.5, "川姜人才公寓": 1.0}


def test_a_patch_is_checked_as_a_whole_report(tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town):
    submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                         values=tongzhou_values(), ledger=tongzhou_ledger())
    with pytest.raises(ReportRejected) as caught:  # the ledger still says 2 + 1 = 3
        submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                             mode="patch", values={"investment": 4.0})
    assert [p.indicator for p in caught.value.problems] == ["investment"]
    assert IndicatorValue.objects.get(town=chuanjiang_town, indicator_id="investment").number == 3.0


def test_the_same_report_submitted_twice_makes_one_revision(programme, past_period, town_clerk, qingxiu_town):
    for _ in range(2):
        report = submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                                      values={"investment": "2.5", "feature_investment": 2}, source="online")
    assert report.revisions.count() == 1
    assert AuditEntry.objects.filter(verb="submit_report").count() == 1


def test_an_unknown_submission_mode_is_refused(programme, past_period, town_clerk, qingxiu_town):
    with pytest.raises(ActionError) as caught:
        submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk,
                             values={"investment": 1}, mode="merge")
    assert caught.value.field == "mode" and not Report.objects.exists()


def test_the_same_draft_saved_twice_makes_one_revision(programme, past_period, town_clerk, qingxiu_town):
    for _ in range(2):
        report = save_report_draft(town=qingxiu_town, reporting_period=past_period, by=town_clerk,
                                   values={"investment": "abc"})
    assert report.revisions.count() == 1 and report.values == {"investment": "abc"}


def test_an_implausible_figure_is_refused_once_by_the_report_reader_and_nothing_is_stored(
        tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town):
    before = IndicatorValue.objects.count()
    with pytest.raises(ReportRejected) as caught:  # A-levels run 1–5 (the programme file's range)
        submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                             values={**tongzhou_values(), "scenic_standard_level": 7}, ledger=tongzhou_ledger())
    about = [p for p in caught.value.problems if p.indicator == "scenic_standard_level"]
    assert len(about) == 1 and "1–5" in about[0].message_en
    assert IndicatorValue.objects.count() == before
