"""The smallest journey: a town clerk signs in, sees only their town, and switches to English."""

from __future__ import annotations

from playwright.sync_api import expect


def test_town_clerk_signs_in_sees_only_their_town_and_switches_to_english(
    page, live_server, sign_in, shot, town_clerk, qingxiu_town, liuzhou_town
):
    sign_in(page, town_clerk)
    shot(page, "dashboard-zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    page.goto(f"{live_server.url}/towns/")
    expect(page.get_by_text(qingxiu_town.name_zh).first).to_be_visible()
    expect(page.get_by_text(liuzhou_town.name_zh)).to_have_count(0)
    shot(page, "town-list")

    page.click("form.lang-switch button[value=en]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, "town-list-en")


def test_the_officers_dashboard_draws_the_tier_chart(page, live_server, sign_in, shot, province_officer, enrolment):
    sign_in(page, province_officer)
    chart = page.locator("[data-echart=towns-by-tier-chart]")
    expect(chart).to_have_attribute("data-drawn", "1")
    expect(chart.locator("svg")).to_have_count(1)
    shot(page, "dashboard-chart")
