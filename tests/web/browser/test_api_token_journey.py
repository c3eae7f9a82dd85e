"""A city reviewer creates an API token, a local platform uses it, the reviewer revokes it."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_city_reviewer_creates_a_token_the_platform_reads_its_city_then_it_is_revoked(
    page, live_server, sign_in, shot, nanning_reviewer, qingxiu_town, liuzhou_town
):
    sign_in(page, nanning_reviewer)
    page.get_by_role("link", name="API 令牌").first.click()
    page.fill("input[name=name]", "南宁市平台")
    page.select_option("select[name=lifetime]", "90")
    page.get_by_role("button", name="创建令牌").click()
    secret = page.input_value("#new-secret")
    expect(page.get_by_text("只显示这一次").first).to_be_visible()
    shot(page, "token-created")

    towns = page.request.get(f"{live_server.url}/api/towns/", headers={"Authorization": f"Bearer {secret}"}).json()
    assert [t["code"] for t in towns["items"]] == [qingxiu_town.code]

    page.goto(f"{live_server.url}/api/tokens/")
    expect(page.locator("#new-secret")).to_have_count(0)
    page.get_by_role("button", name="南宁市平台").click()
    expect(page.get_by_text("已吊销").first).to_be_visible()
    shot(page, "token-revoked")
    refused = page.request.get(f"{live_server.url}/api/towns/", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status == 401 and refused.json()["error"]["code"] == "token_revoked"


def test_the_api_documentation_opens_without_signing_in(page, live_server, shot):
    page.goto(f"{live_server.url}/api/docs")
    expect(page.get_by_text("xiaozhen API").first).to_be_visible()
    expect(page.get_by_text("/api/reports/").first).to_be_visible()
    shot(page, "api-docs")
