"""A town body applies online to the Guangxi innovation towns call, the Nanning reviewer checks
and recommends it, the provincial officer reviews and lists it, and the town sees itself enrolled.

Chain from policies/guangxi-innovation-towns.yaml: city_check → city_recommend → region_review → publish_list.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from applications.actions import open_call
from applications.models import Application
from programmes.actions import sync_programmes
from programmes.models import Programme
from towns.models import Enrolment

GUANGXI_FILE = Path(__file__).resolve().parents[3] / "policies" / "guangxi-innovation-towns.yaml"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ONCE_YES = ["leadership_mechanism", "conforms_urban_rural_plan", "conforms_land_use_plan", "independent_of_centre",
            "urban_rural_fringe", "contiguous_development", "convenient_transport", "public_services_complete",
            "maker_space", "city_policy_issued", "in_characteristic_town_programme"]
ONCE_NUMBERS = {"main_industry_count": "1", "linked_industry_count": "2", "above_scale_enterprises": "18",
                "above_scale_with_rd": "5", "industry_academia_enterprises": "12", "high_tech_enterprises": "4",
                "region_funds_to_date": "1000", "city_funds_to_date": "1200"}


@pytest.fixture
def guangxi_call(tmp_path, province_officer, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "policies"
    folder.mkdir()
    shutil.copy(GUANGXI_FILE, folder / GUANGXI_FILE.name)
    assert sync_programmes(directory=folder).ok
    programme = Programme.objects.get(policy_id="guangxi-innovation-towns")
    today = dt.date.today()
    return open_call(programme=programme, title=f"{today.year}年自治区创新小镇申报", by=province_officer,
                     opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=30))


def outcome_of(page, criterion: str):
    return page.locator(f"#live-verdict tr[data-criterion={criterion}]")


def decide(page, outcome: str, reason: str = "", rank: str | None = None) -> None:
    page.check(f"input[name=outcome][value={outcome}]")
    if reason:
        page.fill("textarea[name=reason]", reason)
    if rank is not None:
        page.fill("input[name=rank]", rank)
    page.click("section.decision button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_town_applies_online_the_city_recommends_the_region_lists_and_the_town_sees_its_tier(
    page, live_server, sign_in, shot, guangxi_call, town_clerk, nanning_reviewer, province_officer
):
    periods = guangxi_call.plan_periods

    # The town body finds the call and starts its application.
    sign_in(page, town_clerk)
    page.goto(f"{live_server.url}/applications/calls/")
    expect(page.get_by_text(guangxi_call.title)).to_be_visible()
    shot(page, "calls")
    page.get_by_role("button", name="在线申报").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#live-title")).to_be_visible()

    # Facts: a too-small investment plan first — the live verdict says the total fails.
    page.select_option("select[name=category]", "high_tech_zone")
    for period, (total, feature) in zip(periods, [("1", "0.8"), ("1", "0.8"), ("1", "0.8")], strict=True):
        page.fill(f"input[name=fixed_asset_investment__{period}]", total)
        page.fill(f"input[name=feature_investment__{period}]", feature)
    expect(outcome_of(page, "app_investment_total")).to_have_attribute("data-outcome", "fail")
    # the threshold by its label with its unit (三年内完成固定资产投资下限 10 亿元), never min_investment_3y=10
    line = Programme.objects.get(policy_id="guangxi-innovation-towns").policy.parameter("min_investment_3y").label.zh
    expect(outcome_of(page, "app_investment_total")).to_contain_text(line)
    expect(outcome_of(page, "app_investment_total").locator(".nowrap", has_text=line)).to_contain_text("10 亿元")
    expect(outcome_of(page, "app_investment_total")).not_to_contain_text("min_investment_3y")
    shot(page, "live-verdict-fails")

    # The real plan, and the rest of the facts: the criteria pass one by one.
    for period, (total, feature) in zip(periods, [("3.5", "2.8"), ("4.5", "3.6"), ("4", "3.2")], strict=True):
        page.fill(f"input[name=fixed_asset_investment__{period}]", total)
        page.fill(f"input[name=feature_investment__{period}]", feature)
    for name in ONCE_YES:
        page.select_option(f"select[name={name}]", "是")
    page.select_option("select[name=city_policy_drafting]", "否")
    for name, value in ONCE_NUMBERS.items():
        page.fill(f"input[name={name}]", value)
    expect(outcome_of(page, "app_investment_total")).to_have_attribute("data-outcome", "pass")
    expect(outcome_of(page, "app_high_tech_enterprises")).to_have_attribute("data-outcome", "pass")
    expect(outcome_of(page, "app_city_recommended")).to_have_attribute("data-outcome", "unknown")
    shot(page, "live-verdict-passes")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("草稿已保存")).to_be_visible()

    # Materials: a renamed file is refused with its name and why; real PDFs are accepted.
    page.set_input_files("#file-creation_plan", files=[{"name": "创建方案.pdf", "mimeType": "application/pdf",
                                                         "buffer": b"MZ not a pdf"}])
    page.locator("tr:has(#file-creation_plan) button").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("内容不是PDF")).to_be_visible()
    shot(page, "material-refused")
    for item in guangxi_call.programme.policy.materials:
        page.set_input_files(f"#file-{item.id}", files=[{"name": f"{item.label.zh}.pdf", "mimeType": "application/pdf",
                                                          "buffer": PDF}])
        page.locator(f"tr:has(#file-{item.id}) button").click()
        page.wait_for_load_state("networkidle")
    expect(page.get_by_role("link", name="创新小镇创建方案.pdf")).to_be_visible()
    shot(page, "materials-uploaded")

    page.get_by_role("button", name="提交申报").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("申报已提交")).to_be_visible()
    shot(page, "submitted")
    application = Application.objects.get(town=town_clerk.town)
    assert application.state == "submitted"

    # The Nanning reviewer: the queue, the check, the recommendation with its rank.
    sign_in(page, nanning_reviewer)
    page.goto(f"{live_server.url}/applications/queue/")
    page.get_by_role("link", name=town_clerk.town.name_zh).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="提交时结论")).to_be_visible()
    shot(page, "city-check")
    decide(page, "pass", "材料完整，规划可行")
    expect(page.get_by_text("审核意见已记录")).to_be_visible()
    decide(page, "pass", "择优推荐", rank="1")
    shot(page, "city-recommended")

    # The provincial officer reviews and publishes the list.
    sign_in(page, province_officer)
    page.goto(f"{live_server.url}/applications/queue/")
    page.get_by_role("link", name=town_clerk.town.name_zh).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".verdicts").get_by_text("符合").first).to_be_visible()
    decide(page, "pass", "审核通过")
    shot(page, "region-reviewed")
    decide(page, "pass", "列入2026年自治区创新小镇培育名单")
    expect(page.get_by_text("已列入名单").first).to_be_visible()
    shot(page, "listed")

    # The town sees the result: listed, its tier, and its town page with the enrolment.
    sign_in(page, town_clerk)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text("已列入名单").first).to_be_visible()
    expect(page.locator("dl.facts strong").get_by_text("培育", exact=True)).to_be_visible()
    shot(page, "town-sees-listed")
    page.get_by_role("link", name="查看小镇").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("自治区创新小镇培育").first).to_be_visible()
    shot(page, "town-page")
    assert Enrolment.objects.get(town=town_clerk.town, programme=guangxi_call.programme).tier == "cultivation"
