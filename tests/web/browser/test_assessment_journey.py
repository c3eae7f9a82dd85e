"""The provincial officer runs the annual assessment, sees a town proposed for demotion with the
numbers behind it, publishes, and the town's page shows the new tier with its clause."""

from __future__ import annotations

from playwright.sync_api import expect
from tests.web.assessments.conftest import DOC, assessed, assessed_programme  # noqa: F401  (fixtures)

from xiaozhen.glossary import Glossary


def test_officer_runs_the_assessment_sees_a_demotion_with_its_reasons_publishes_and_the_town_page_shows_it(
    page, live_server, sign_in, shot, province_officer, assessed, assessed_programme  # noqa: F811
):
    town = assessed["qingxiu"].town
    sign_in(page, province_officer)
    page.goto(f"{live_server.url}/assessments/")
    page.get_by_role("link", name=assessed_programme.name_zh).click()
    page.fill("input[name=year]", "2020")
    page.fill("input[name=document_number]", DOC)
    shot(page, "start-form")
    page.get_by_role("button", name="开始计算").click()

    expect(page.locator("h1")).to_contain_text("2020")
    page.select_option("select[name=action]", "demote")
    rows = page.locator("tr.proposal")
    expect(rows).to_have_count(1)
    row = page.locator(f"tr.proposal[data-town='{town.code}']")
    expect(row).to_contain_text("降格")
    expect(row).to_contain_text("A §4")
    page.locator("tr.reasons-row details summary").first.click()
    reasons = page.locator("tr.reasons-row details").first
    # the numbers by their labels with units (累计投资 4 亿元 … 三年投资下限 9 亿元), never cum_investment=4
    words = Glossary(assessed_programme.policy)
    for name, shown in (("cum_investment", "4 亿元"), ("min_investment_3y", "9 亿元")):
        expect(reasons).to_contain_text(f"{words.label(name).zh} {shown}")
        expect(reasons).not_to_contain_text(name)
    shot(page, "demotion-with-its-numbers")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish")
    expect(page.locator("h1")).to_contain_text("年度考核结果")
    shot(page, "published-results")

    page.goto(f"{live_server.url}/towns/{town.code}/")
    section = page.locator("section", has_text=assessed_programme.name_zh).first
    expect(section.locator("dd strong").first).to_contain_text("培育")
    history = section.locator("table", has_text="层级变更记录")
    expect(history).to_contain_text(f"{words.label('creation').zh} {words.label('creation').en} → "
                                    f"{words.label('cultivation').zh} {words.label('cultivation').en}")
    expect(history).not_to_contain_text("creation → cultivation")
    expect(history).to_contain_text("A §4")
    expect(history).to_contain_text(DOC)
    expect(page.locator("#assessment-results").locator("..")).to_contain_text("降格")
    shot(page, "town-page-after-publishing")
