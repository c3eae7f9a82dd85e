"""Acceptance and naming, end to end: a town applies for acceptance, the office checks it, experts
declare no conflict and score in the field (one of them far from the others), the officer sees
the flag and passes the panel, names the town — and the town page shows the named tier."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from tests.web.reviews.conftest import (  # noqa: F401  (fixtures)
    expert_a,
    expert_b,
    expert_c,
    reviewed_enrolment,
    reviewed_programme,
)

SCORES = {  # industry / 40, investment / 30, mechanism / 30
    "expert-a": ("34", "25", "24"),
    "expert-b": ("33", "26", "25"),
    "expert-c": ("20", "15", "16"),  # divergent: totals 83, 84 and 51
}


def test_a_town_applies_experts_score_in_the_field_the_officer_decides_and_the_town_is_named(
    page, live_server, sign_in, shot, town_clerk, province_officer,
    reviewed_enrolment, expert_a, expert_b, expert_c,  # noqa: F811  (the reviews fixtures imported above)
):
    url = live_server.url
    town = reviewed_enrolment.town

    # The town body applies for acceptance.
    sign_in(page, town_clerk)
    page.goto(f"{url}/reviews/acceptances/")
    page.get_by_role("link", name=re.compile("申请验收")).first.click()
    page.fill("#id_summary", "三年完成固定资产投资 12 亿元，特色产业占比 75%。")
    shot(page, "town-applies")
    page.get_by_role("button", name=re.compile("提交验收申请")).click()
    expect(page.locator(".message.success")).to_contain_text("验收申请已提交")
    expect(page.get_by_text("建设期投资达标")).to_be_visible()  # the engine's acceptance criteria, with clauses
    shot(page, "acceptance-applied")

    # The provincial officer checks it and sets up the field assessment.
    sign_in(page, province_officer)
    page.goto(f"{url}/reviews/acceptances/")
    page.get_by_role("link", name=re.compile(town.name_zh)).click()
    page.check("input[name=step-outcome][value=pass]")
    page.fill("#id_step-reason", "材料齐全，同意组织现场评估")
    page.get_by_role("button", name=re.compile("确认")).click()
    page.get_by_role("link", name=re.compile("组织专家评审")).click()
    page.get_by_role("button", name=re.compile("创建评审")).click()
    for expert in (expert_a, expert_b, expert_c):
        page.select_option("#id_add-expert", str(expert.pk))
        page.get_by_role("button", name=re.compile("添加专家")).click()
    expect(page.locator("text=未声明")).to_have_count(3)
    shot(page, "panel-set-up")
    panel_url = page.url

    # Each expert declares no conflict, then scores on their own.
    for expert in (expert_a, expert_b, expert_c):
        sign_in(page, expert)
        page.goto(f"{url}/reviews/")
        page.get_by_role("link", name=re.compile("验收现场评估")).click()
        page.check("input[name=conflicted][value=no]")
        page.get_by_role("button", name=re.compile("提交声明")).click()
        page.get_by_role("link", name=re.compile("开始评分")).click()
        industry, investment, mechanism = SCORES[expert.username]
        page.fill("#id_score_industry", industry)
        page.fill("#id_score_investment", investment)
        page.fill("#id_score_mechanism", mechanism)
        if expert == expert_c:
            page.get_by_role("button", name=re.compile("提交评分")).click()
            expect(page.locator("#id_comment_industry_error")).to_contain_text("须写明理由")
            shot(page, "low-score-needs-a-comment")
            for item in ("industry", "investment", "mechanism"):
                page.fill(f"#id_comment_{item}", "现场查看：主导产业集聚度不足")
        else:
            expect(page.locator("body")).not_to_contain_text("评分汇总")  # no other expert's scores before handing in
        page.get_by_role("button", name=re.compile("提交评分")).click()
        expect(page.locator(".message.success")).to_contain_text("评分已提交")
    shot(page, "expert-sees-aggregate-after-scoring")

    # The officer sees the aggregate, the divergent expert flagged, and passes the panel.
    sign_in(page, province_officer)
    page.goto(panel_url)
    flags = page.locator(".flags")
    expect(flags).to_contain_text("expert-c")
    expect(flags).not_to_contain_text("expert-a")
    expect(page.locator("td.flagged")).not_to_have_count(0)
    shot(page, "officer-sees-flags")
    page.check("input[name=outcome][value=pass]")
    page.fill("#id_reason", "三位专家中两位评分一致；离散评分已核实，现场评估合格")
    page.get_by_role("button", name=re.compile("确认决定")).click()
    expect(page.locator(".message.success")).to_contain_text("评审决定已记录")

    # Back on the acceptance: name the town.
    page.get_by_role("link", name=re.compile("验收申请 #")).click()
    page.check("input[name=step-outcome][value=pass]")
    page.fill("#id_step-reason", "验收合格，予以命名")
    page.fill("#id_step-decision_ref", "桂科〔2026〕12号")
    page.get_by_role("button", name=re.compile("确认并命名")).click()
    expect(page.locator(".status-named")).to_contain_text("通过并命名")
    shot(page, "acceptance-named")

    page.goto(f"{url}/towns/{town.code}/")
    expect(page.locator("dd strong").first).to_contain_text("命名")
    expect(page.get_by_text("桂科〔2026〕12号")).to_be_visible()
    shot(page, "town-page-named")
