"""A list on public notice (公示): anyone objects without signing in; the officer upholds it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from lists.actions import create_list, open_notice
from towns.actions import enrol_town


def test_a_member_of_the_public_objects_and_the_officer_upholds_it(
    page, live_server, sign_in, shot, programme, province_officer, qingxiu_town, liuzhou_town
):
    for town in (qingxiu_town, liuzhou_town):
        enrol_town(town=town, programme=programme, tier="creation", started_on=dt.date(2024, 1, 1), by=province_officer)
    today = timezone.localdate()
    draft = create_list(programme=programme, tier="creation", year=2025, by=province_officer,
                        title_zh="2025年度创新小镇创建名单", title_en="2025 creation list", document_number="桂科〔2025〕1号")
    publication = open_notice(publication=draft, by=province_officer, opens_on=today,
                              closes_on=today + dt.timedelta(days=7))

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="公示").first.click()
    page.get_by_role("link", name="2025年度创新小镇创建名单").click()
    expect(page.get_by_role("cell", name=liuzhou_town.name_zh)).to_be_visible()
    shot(page, "public-notice")

    page.select_option("select[name=entry]", label=f"2. {liuzhou_town.name_zh}（柳北区）")
    page.get_by_label("姓名或单位").fill("张三")
    page.get_by_label("联系方式").fill("13800000000")
    page.get_by_label("异议理由").fill("该镇第一年投资未达到计划的20%。")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_text("异议已提交")).to_be_visible()
    expect(page.get_by_text("回执编号").first).to_be_visible()  # the objector's receipt, with its number
    shot(page, "objection-received")
    page.goto(f"{live_server.url}/public/lists/{publication.pk}/")

    page.emulate_media(media="print")
    expect(page.locator("form.stacked")).to_be_hidden()
    shot(page, "printed")
    page.emulate_media(media="screen")

    sign_in(page, province_officer)
    page.goto(f"{live_server.url}/lists/{publication.pk}/")
    page.get_by_label("异议成立：移出正式名单").check()
    page.get_by_label("处理理由").fill("经核实，第一年投资未达标。")
    page.get_by_role("button", name="处理异议").click()
    expect(page.get_by_text("异议已处理")).to_be_visible()
    expect(page.get_by_role("heading", name="经异议核实移出的小镇")).to_be_visible()
    shot(page, "objection-upheld")
