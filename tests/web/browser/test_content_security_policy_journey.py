"""Under the Content-Security-Policy the pages' scripts still run: the dashboard draws its chart
(ECharts loaded on demand), the town list filters through HTMX, and the browser reports no
blocked script or style."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_charts_and_htmx_work_and_nothing_is_blocked_by_the_policy(
    page, live_server, sign_in, shot, province_officer, enrolment, towns
):
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)

    sign_in(page, province_officer)
    expect(page.locator("[data-echart][data-drawn='1']").first).to_be_attached(timeout=15_000)
    expect(page.locator("[data-echart] svg").first).to_be_attached()
    shot(page, "dashboard-chart-under-csp")

    page.goto(f"{live_server.url}/towns/")
    expect(page.get_by_text(towns["liuzhou"].name_zh).first).to_be_visible()
    page.fill("input[name=q]", "青秀")
    with page.expect_request(lambda r: "/towns/?" in r.url and r.headers.get("hx-request") == "true",
                             timeout=15_000):
        page.press("input[name=q]", "Enter")  # submit → HTMX asks for the results, not a page load
    expect(page).to_have_url(re.compile(r"/towns/\?.*q="), timeout=15_000)  # hx-push-url after the swap
    expect(page.get_by_text(towns["qingxiu"].name_zh).first).to_be_visible()
    expect(page.get_by_text(towns["liuzhou"].name_zh)).to_have_count(0)
    shot(page, "town-filter-under-csp")

    assert blocked == []
