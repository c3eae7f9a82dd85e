"""Single sign-on in a browser: an officer clicks 统一身份认证登录, signs in at the government login (a real
OpenID Connect provider in its own process, tests/web/sso/provider.py), and lands on the dashboard as the
role and region its claims name; a person whose claims name no known role comes back to the sign-in page,
which says why; signing out signs out of the government login too, so the next person is asked who they are."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from accounts.models import Role, User


def sign_in_at_the_government_login(page, live_server, sso, username: str, password: str, shot=None) -> None:
    sso.provision(redirect_uris=[f"{live_server.url}/oidc/callback/"],
                  post_logout_redirect_uris=[f"{live_server.url}/login/"])
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    button = page.get_by_role("link", name=re.compile("统一身份认证登录"))
    expect(button).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()  # the local password form stays
    if shot:
        shot(page, "sign-in-page")
    button.click()
    page.wait_for_url(re.compile(re.escape(sso.url) + "/login/"))
    expect(page.get_by_role("heading", name=re.compile("统一身份认证平台"))).to_be_visible()
    page.fill("#idp-username", username)
    page.fill("#idp-password", password)
    if shot:
        shot(page, "government-login")
    page.click("#idp-submit")
    page.wait_for_url(re.compile(re.escape(live_server.url)))
    page.wait_for_load_state("load")


def test_a_county_officer_signs_in_through_the_government_login_and_lands_on_their_dashboard(
    page, live_server, sso, shot
):
    sso.provision(users=[{"username": "qing.gov", "password": "provider-pass-2", "name": "青秀县办",
                          "gov_role": "COUNTY_OFFICE", "division": "450103"}])

    sign_in_at_the_government_login(page, live_server, sso, "qing.gov", "provider-pass-2", shot)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=re.compile("工作台"))).to_contain_text("县(区)级办公室")
    expect(page.locator(".who")).to_contain_text("青秀县办")
    expect(page.locator(".who")).to_contain_text("青秀")
    shot(page, "dashboard")
    user = User.objects.get(full_name="青秀县办")
    assert user.role == Role.COUNTY_OFFICE and user.region.code == "450103"


def test_a_person_whose_claims_name_no_known_role_is_sent_back_with_the_reason(page, live_server, sso, shot):
    sso.provision(users=[{"username": "guest.gov", "password": "provider-pass-3", "name": "访客",
                          "gov_role": "VISITOR", "division": "450103"}])

    sign_in_at_the_government_login(page, live_server, sso, "guest.gov", "provider-pass-3")

    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.locator(".messages")).to_contain_text("角色本系统不认可")
    shot(page, "refused")
    assert not User.objects.filter(full_name="访客").exists()


def test_signing_out_ends_the_government_login_too_so_the_next_person_is_asked_who_they_are(
    page, live_server, sso, shot
):
    sso.provision(users=[{"username": "qing.gov", "password": "provider-pass-2", "name": "青秀县办",
                          "gov_role": "COUNTY_OFFICE", "division": "450103"}])
    sign_in_at_the_government_login(page, live_server, sso, "qing.gov", "provider-pass-2")
    expect(page.locator(".who")).to_contain_text("青秀县办")

    page.get_by_role("button", name=re.compile("退出")).click()  # through the provider's end-session page

    page.wait_for_url(f"{live_server.url}/login/")
    expect(page.locator(".who")).to_have_count(0)
    shot(page, "signed-out")
    page.get_by_role("link", name=re.compile("统一身份认证登录")).click()
    page.wait_for_url(re.compile(re.escape(sso.url) + "/login/"))
    expect(page.locator("#idp-password")).to_be_visible()
    shot(page, "government-login-asks-again")
