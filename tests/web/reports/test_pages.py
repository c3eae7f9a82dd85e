"""Report pages as people see them: the form, Excel uploads with errors by cell, the late list, refusals."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from reports.actions import save_report_draft, submit_report_values
from reports.models import Report, ReportRevision
from towns.models import IndicatorValue

from .conftest import PAST, tongzhou_ledger, tongzhou_values


def report_url(programme, code, period=PAST):
    return reverse("reports:report", args=[programme.policy_id, period, code])


def filled_template(client, programme, code, period=PAST, **cells) -> bytes:
    response = client.get(reverse("reports:template", args=[programme.policy_id, period]) + f"?town={code}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["报送 Report"]
    columns = {c.value: c.column for c in sheet[4]}
    for ident, value in cells.items():
        sheet.cell(row=5, column=columns[ident], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_town_body_sees_the_form_with_bilingual_labels_and_units(signed_in, town_clerk, programme, past_period,
                                                                     qingxiu_town):
    page = signed_in(town_clerk).get(report_url(programme, qingxiu_town.code)).content.decode()
    assert "投资" in page and "Investment" in page and "亿元" in page
    assert "下载本期模板" in page


def test_a_submitted_online_report_shows_as_submitted_late(signed_in, town_clerk, programme, past_period, qingxiu_town):
    client = signed_in(town_clerk)
    response = client.post(report_url(programme, qingxiu_town.code), {
        "investment": "2", "feature_investment": "1.5", "feature_share": "75%", "has_maker_space": "是",
        "intent": "submit", "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0",
    }, follow=True)
    assert response.status_code == 200
    assert "逾期报送" in response.content.decode()
    assert IndicatorValue.objects.get(town=qingxiu_town, period=PAST, indicator_id="feature_share").number == 0.75


def test_an_online_error_is_shown_next_to_its_field_and_nothing_is_saved(signed_in, town_clerk, programme,
                                                                          past_period, qingxiu_town):
    response = signed_in(town_clerk).post(report_url(programme, qingxiu_town.code), {
        "investment": "-2", "intent": "submit", "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0",
    })
    assert response.status_code == 400
    assert "negative" in response.content.decode()
    assert not Report.objects.filter(status__in=Report.SUBMITTED_STATES).exists()


def test_a_draft_with_an_invalid_value_can_be_saved(signed_in, town_clerk, programme, past_period, qingxiu_town):
    response = signed_in(town_clerk).post(report_url(programme, qingxiu_town.code), {
        "investment": "不详", "intent": "draft", "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0",
    }, follow=True)
    assert "草稿已保存" in response.content.decode()
    assert Report.objects.get(town=qingxiu_town).values == {"investment": "不详"}


def test_a_failed_upload_lists_its_errors_by_sheet_row_and_column_and_saves_nothing(
    signed_in, town_clerk, programme, past_period, qingxiu_town
):
    client = signed_in(town_clerk)
    data = filled_template(client, programme, qingxiu_town.code, investment=2, feature_investment=-1)
    response = client.post(reverse("reports:report_upload", args=[programme.policy_id, PAST, qingxiu_town.code]),
                           {"workbook": _file(data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "报送 Report" in page and "feature_investment" in page
    assert ">5<" in page  # row 5, the town's row
    assert not IndicatorValue.objects.filter(town=qingxiu_town, period=PAST).exists()
    assert not ReportRevision.objects.exists()


def test_a_good_upload_is_submitted_with_the_workbook_kept(signed_in, town_clerk, programme, past_period, qingxiu_town):
    client = signed_in(town_clerk)
    data = filled_template(client, programme, qingxiu_town.code, investment=2, feature_investment=1)
    response = client.post(reverse("reports:report_upload", args=[programme.policy_id, PAST, qingxiu_town.code]),
                           {"workbook": _file(data)}, follow=True)
    assert response.status_code == 200
    revision = ReportRevision.objects.get()
    assert revision.source == "excel" and bytes(revision.workbook.content) == data
    kept = client.get(reverse("reports:revision_workbook", args=[revision.pk]))
    assert kept.content == data


def test_the_template_is_prefilled_with_the_town_and_its_previous_levels(signed_in, town_clerk, programme,
                                                                         past_period, province_officer, qingxiu_town):
    from towns.actions import record_indicator_values

    record_indicator_values(town=qingxiu_town, programme=programme, by=province_officer, source="manual",
                            values=[{"indicator": "has_maker_space", "period": "2025Q2", "basis": "actual",
                                     "value": True}])
    response = signed_in(town_clerk).get(reverse("reports:template", args=[programme.policy_id, PAST]))
    sheet = load_workbook(io.BytesIO(response.content))["报送 Report"]
    columns = {c.value: c.column for c in sheet[4]}
    assert sheet.cell(row=5, column=1).value == qingxiu_town.code
    assert sheet.cell(row=5, column=columns["has_maker_space"]).value == "是"


def _file(data: bytes, name: str = "report.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- refusals --------------------------------------------------------------------------------


def test_a_town_body_cannot_open_another_towns_report(signed_in, town_clerk, programme, past_period, xixiangtang_town):
    assert signed_in(town_clerk).get(report_url(programme, xixiangtang_town.code)).status_code == 403


def test_a_town_body_cannot_download_a_template_for_another_town(signed_in, town_clerk, programme, past_period,
                                                                  xixiangtang_town):
    url = reverse("reports:template", args=[programme.policy_id, PAST]) + f"?town={xixiangtang_town.code}"
    assert signed_in(town_clerk).get(url).status_code == 403


def test_another_citys_reviewer_cannot_see_the_report(signed_in, liuzhou_reviewer, town_clerk, programme,
                                                       past_period, qingxiu_town):
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk, values={"investment": 1})
    client = signed_in(liuzhou_reviewer)
    assert client.get(report_url(programme, qingxiu_town.code)).status_code == 403
    period_page = client.get(reverse("reports:period", args=[programme.policy_id, PAST])).content.decode()
    assert qingxiu_town.name_zh not in period_page


def test_the_auditor_reads_the_report_but_gets_no_form_to_submit(signed_in, auditor, town_clerk, programme,
                                                                 past_period, qingxiu_town):
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk, values={"investment": 1})
    client = signed_in(auditor)
    page = client.get(report_url(programme, qingxiu_town.code)).content.decode()
    assert "检查并报送" not in page and "disabled" in page
    response = client.post(report_url(programme, qingxiu_town.code), {
        "investment": "5", "intent": "submit", "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    assert IndicatorValue.objects.get(town=qingxiu_town, period=PAST, indicator_id="investment").number == 1


def test_the_auditor_cannot_upload(signed_in, auditor, programme, past_period, qingxiu_town):
    response = signed_in(auditor).post(
        reverse("reports:report_upload", args=[programme.policy_id, PAST, qingxiu_town.code]),
        {"workbook": _file(b"PK not really")})
    assert response.status_code == 403


def test_a_town_body_cannot_see_the_period_overview(signed_in, town_clerk, programme, past_period):
    assert signed_in(town_clerk).get(reverse("reports:period", args=[programme.policy_id, PAST])).status_code == 403


# --- the late list ---------------------------------------------------------------------------


def test_the_period_page_lists_late_and_missing_towns(signed_in, province_officer, town_clerk, programme, past_period,
                                                      qingxiu_town, xixiangtang_town):
    import datetime as dt

    from towns.actions import enrol_town

    enrol_town(town=xixiangtang_town, programme=programme, tier="creation", started_on=dt.date(2019, 1, 1),
               by=province_officer)
    submit_report_values(town=qingxiu_town, programme=programme, period=PAST, by=town_clerk, values={"investment": 1})
    page = signed_in(province_officer).get(reverse("reports:period", args=[programme.policy_id, PAST])).content.decode()
    late_section = page.split('id="late"')[1].split('id="all"')[0]
    assert qingxiu_town.name_zh in late_section and "逾期报送" in late_section
    assert xixiangtang_town.name_zh in late_section and "未报送" in late_section


def test_a_draft_saved_after_the_due_date_still_counts_as_late(signed_in, province_officer, town_clerk, programme,
                                                               past_period, qingxiu_town):
    save_report_draft(town=qingxiu_town, reporting_period=past_period, by=town_clerk, values={"investment": "x"})
    page = signed_in(province_officer).get(reverse("reports:period", args=[programme.policy_id, PAST])).content.decode()
    assert "草稿" in page.split('id="late"')[1].split('id="all"')[0]


# --- the ledger on the town page -------------------------------------------------------------


def test_the_town_page_shows_the_ledger_with_the_counted_total(signed_in, tongzhou, tongzhou_period, chuanjiang_clerk,
                                                                chuanjiang_town):
    submit_report_values(town=chuanjiang_town, programme=tongzhou, period=PAST, by=chuanjiang_clerk,
                         values=tongzhou_values(), ledger=tongzhou_ledger())
    page = signed_in(chuanjiang_clerk).get(reverse("towns:detail", args=[chuanjiang_town.code])).content.decode()
    assert "家纺产业园二期" in page and "川姜人才公寓" in page
    assert 'class="counted-total">2<' in page  # the residential project's 1亿元 is left out (003 §三(四))


def test_a_saved_draft_shows_what_submitting_would_refuse(signed_in, town_clerk, programme, past_period, qingxiu_town):
    save_report_draft(town=qingxiu_town, reporting_period=past_period, by=town_clerk,
                      values={"investment": "约2亿", "has_maker_space": "是"})
    page = signed_in(town_clerk).get(report_url(programme, qingxiu_town.code)).content.decode()
    assert "草稿中有以下问题" in page and "约2亿" in page
    assert Report.objects.get(town=qingxiu_town).status == Report.Status.DRAFT


def test_a_county_office_cannot_submit_through_the_page_for_another_countys_town(
    signed_in, county_office, province_officer, programme, past_period, xixiangtang_town
):
    import datetime as dt

    from towns.actions import enrol_town

    enrol_town(town=xixiangtang_town, programme=programme, tier="creation", started_on=dt.date(2019, 1, 1),
               by=province_officer)
    response = signed_in(county_office).post(report_url(programme, xixiangtang_town.code), {
        "investment": "1", "intent": "submit", "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_closed_period_takes_no_more_reports(signed_in, province_officer, town_clerk, programme, past_period,
                                               qingxiu_town):
    client = signed_in(province_officer)
    client.post(reverse("reports:close_period", args=[programme.policy_id, PAST]))
    past_period.refresh_from_db()
    assert past_period.status == "closed"
    response = signed_in(town_clerk).post(report_url(programme, qingxiu_town.code), {
        "investment": "1", "intent": "submit", "ledger-TOTAL_FORMS": "0", "ledger-INITIAL_FORMS": "0"})
    assert response.status_code == 400
    assert "已关闭" in response.content.decode()
    assert not Report.objects.filter(status__in=Report.SUBMITTED_STATES).exists()
