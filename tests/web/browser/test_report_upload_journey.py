"""A town body files a quarterly report from the Excel template: an upload with a mistake is refused
with the cell named, the fixed workbook is accepted, and the report shows as submitted."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.actions import open_reporting_period
from reports.models import Report
from towns.models import IndicatorValue
from xiaozhen.periods import Period


def _fill(template: bytes, **cells) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book["报送 Report"]
    columns = {c.value: c.column for c in sheet[4]}
    for ident, value in cells.items():
        sheet.cell(row=5, column=columns[ident], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_town_body_downloads_the_template_fixes_an_upload_error_and_submits(
    page, live_server, sign_in, shot, tmp_path, town_clerk, programme, enrolment, province_officer, qingxiu_town
):
    period = str(Period.for_date(dt.date.today(), "quarter"))
    open_reporting_period(programme=programme, period=period, by=province_officer)
    sign_in(page, town_clerk)
    shot(page, "dashboard-with-report-due")

    page.get_by_role("link", name=f"{programme.short_name_zh} {period}").click()
    expect(page.locator("#report-status")).to_contain_text("未报送")
    shot(page, "report-page")

    with page.expect_download() as download_info:
        page.click("#download-template")
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    wrong = tmp_path / "wrong.xlsx"
    wrong.write_bytes(_fill(template.read_bytes(), investment=2, feature_investment=-1, has_maker_space="是"))
    page.set_input_files("input[name=workbook]", str(wrong))
    page.click("button[name=upload]")
    problems = page.locator("#problems tr.problem")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("报送 Report")
    expect(problems.first).to_contain_text("feature_investment")
    expect(problems.first.locator("td").nth(1)).to_have_text("5")
    shot(page, "upload-refused-with-the-cell")
    assert not IndicatorValue.objects.filter(town=qingxiu_town, period=period).exists()

    fixed = tmp_path / "fixed.xlsx"
    fixed.write_bytes(_fill(template.read_bytes(), investment=2, feature_investment=1.5, has_maker_space="是"))
    page.set_input_files("input[name=workbook]", str(fixed))
    page.click("button[name=upload]")
    expect(page.locator("#report-status")).to_contain_text("已报送")
    expect(page.locator("#revisions")).to_be_visible()
    shot(page, "submitted")

    report = Report.objects.get(town=qingxiu_town)
    assert report.status == Report.Status.SUBMITTED
    assert IndicatorValue.objects.get(town=qingxiu_town, period=period, indicator_id="feature_investment").number == 1.5
