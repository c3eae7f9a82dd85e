"""Single sign-on over HTTP, against a real OpenID Connect provider (django-oidc-provider in its own
process, tests/web/sso/provider.py): the whole authorisation-code flow, our site through Django's test
client and the provider through ``requests``, as a browser would hop between them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from tests.web.conftest import PASSWORD

from accounts.models import Role, User, sso_username
from audit.models import AuditEntry


def at_provider(browser: requests.Session, url: str) -> requests.Response:
    """Open ``url`` at the provider in ``browser``, following its redirects until one leaves it."""
    answer = browser.get(url, allow_redirects=False, timeout=30)
    while answer.status_code == 302 and not answer.headers["Location"].startswith("http://testserver/"):
        answer = browser.get(requests.compat.urljoin(answer.url, answer.headers["Location"]),
                             allow_redirects=False, timeout=30)
    return answer


def sign_in_at_provider(client, provider, username: str, password: str, next_url: str = "",
                        browser: requests.Session | None = None):
    """Click 统一身份认证登录, sign in at the provider, come back to our callback; our last response.

    ``browser`` is the provider's side of the browser (its cookies); a fresh one unless given."""
    start = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/openid/authorize")
    browser = browser or requests.Session()
    login_page = at_provider(browser, start["Location"])
    assert urlsplit(login_page.url).path == "/login/" and "统一身份认证平台" in login_page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    next_field = re.search(r'name="next" value="([^"]*)"', login_page.text).group(1).replace("&amp;", "&")
    answer = browser.post(login_page.url, data={"csrfmiddlewaretoken": token, "username": username,
                                                "password": password, "next": next_field},
                          allow_redirects=False, timeout=30)
    if answer.status_code == 302 and not answer.headers["Location"].startswith("http://testserver/"):
        answer = at_provider(browser, requests.compat.urljoin(answer.url, answer.headers["Location"]))
    return back_at_our_callback(client, answer)


def back_at_our_callback(client, answer: requests.Response):
    """Follow the provider's redirect to our callback, and on; our last response."""
    assert answer.status_code == 302, answer.text[:500]
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == reverse("oidc_authentication_callback")
    return client.get(f"{callback.path}?{callback.query}", follow=True)


NING = {"username": "ning.gov", "password": "provider-pass-1", "name": "宁审核", "email": "ning@gov.example",
        "gov_role": "CITY_REVIEW", "division": "450100"}


def test_a_city_reviewer_signs_in_through_the_government_login_as_a_nanning_reviewer(client, db, sso):
    sso.provision(users=[NING])
    login = client.get(reverse("login")).content.decode()
    assert "统一身份认证登录" in login and 'name="password"' in login  # the password form stays

    dashboard = sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1")

    assert dashboard.redirect_chain[-1][0] == reverse("portal:dashboard")
    page = dashboard.content.decode()
    assert "宁审核" in page and "设区市审核员" in page and "南宁" in page
    user = User.objects.get(full_name="宁审核")
    assert user.username.startswith("sso-") and user.role == Role.CITY_REVIEWER
    assert user.region.code == "450100" and user.email == "ning@gov.example"
    assert not user.has_usable_password()  # no local password: only the government login signs them in
    entry = AuditEntry.objects.get(verb="provision_sso_user")
    assert entry.actor == user and entry.data["created"] is True and entry.region.code == "450100"


def test_the_next_sign_in_follows_a_change_of_role_at_the_provider_and_records_it(client, db, sso):
    sso.provision(users=[NING])
    sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1")
    client.logout()
    sso.provision(users=[{**NING, "gov_role": "PROV_ADMIN", "division": "450000"}])

    page = sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1", next_url="/towns/")

    assert page.redirect_chain[-1][0] == "/towns/"
    user = User.objects.get(full_name="宁审核")
    assert user.role == Role.PROVINCIAL_OFFICER and user.region.code == "450000"
    assert User.objects.filter(username__startswith="sso-").count() == 1
    changed = AuditEntry.objects.filter(verb="provision_sso_user").order_by("pk").last()
    assert changed.data["created"] is False and set(changed.data["changed"]) == {"role", "region"}


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"gov_role": "JANITOR", "division": "450100"}, "角色本系统不认可"),
        ({"gov_role": "", "division": "450100"}, "角色本系统不认可"),
        ({"gov_role": "CITY_REVIEW", "division": "999999"}, "行政区划代码“999999”本系统不认可"),
        ({"gov_role": "CITY_REVIEW", "division": "450000"}, "此角色的管辖范围须为地市级行政区"),
    ],
    ids=["unknown-role", "no-role", "unknown-region", "region-of-the-wrong-level"],
)
def test_claims_naming_no_known_role_or_region_are_refused_and_nobody_is_created(client, db, sso, claims, says):
    sso.provision(users=[{**NING, **claims}])

    page = sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1")

    assert page.redirect_chain[-1][0] == "/login/"
    body = page.content.decode()
    assert says in body and "you are not signed in" in body
    assert not page.wsgi_request.user.is_authenticated
    assert not User.objects.filter(username__startswith="sso-").exists()
    assert not AuditEntry.objects.filter(verb="provision_sso_user").exists()


def test_a_local_password_account_cannot_be_taken_over_through_the_government_login(client, db, sso):
    sso.provision(users=[NING])
    sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1")
    taken = User.objects.get(full_name="宁审核")
    taken.set_password("a-local-password-9")
    taken.save()
    client.logout()

    page = sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1")

    assert page.redirect_chain[-1][0] == "/login/" and "本地密码账号" in page.content.decode()


def test_local_passwords_still_sign_in_while_single_sign_on_is_on(client, sso, province_officer):
    answer = client.post(reverse("login"), {"username": "guo", "password": PASSWORD}, follow=True)
    assert answer.wsgi_request.user == province_officer


def test_without_single_sign_on_settings_there_is_no_government_login(client, db):
    assert "统一身份认证登录" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_the_sso_username_is_stable_and_fits_the_username_column():
    assert sso_username("42") == "sso-42" == sso_username("42")
    assert len(sso_username("x" * 300)) <= 150 and sso_username("x" * 300) != sso_username("y" * 300)


# --- signing out (OpenID Connect RP-Initiated Logout 1.0) ----------------------------------------


def test_signing_out_after_a_government_sign_in_also_signs_out_of_the_government_login(client, db, sso):
    sso.provision(users=[NING])
    browser = requests.Session()  # the provider's cookies in the same browser
    sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1", browser=browser)
    id_token = client.session["oidc_id_token"]

    out = client.post(reverse("logout"))

    assert out.status_code == 302
    end_session = urlsplit(out["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == f"{sso.url}/openid/end-session"
    assert parse_qs(end_session.query) == {"id_token_hint": [id_token], "client_id": ["xiaozhen"],
                                           "post_logout_redirect_uri": ["http://testserver/login/"]}
    assert "_auth_user_id" not in client.session  # our session ended before the browser leaves
    assert client.get(reverse("portal:dashboard"))["Location"].startswith("/login/")

    back = at_provider(browser, out["Location"])
    assert back.status_code == 302 and back.headers["Location"] == "http://testserver/login/"
    assert "统一身份认证登录" in client.get("/login/").content.decode()

    # The next person at this computer clicks 统一身份认证登录: the provider asks who they are.
    start = client.get(reverse("oidc_authentication_init"))
    again = at_provider(browser, start["Location"])
    assert again.status_code == 200 and urlsplit(again.url).path == "/login/"
    assert "统一身份认证平台" in again.text and 'name="password"' in again.text


def test_without_the_end_session_endpoint_signing_out_ends_our_session_only(
    client, db, sso_signing_out_here_only
):
    sso = sso_signing_out_here_only
    sso.provision(users=[NING])
    browser = requests.Session()
    sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1", browser=browser)
    assert "oidc_id_token" not in client.session  # kept only for the provider's sign-out

    out = client.post(reverse("logout"))

    assert out.status_code == 302 and out["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
    # The provider still knows the browser: 统一身份认证登录 signs the same official straight back in
    # (docs/deploy.md says so, and why to set OIDC_OP_LOGOUT_ENDPOINT).
    start = client.get(reverse("oidc_authentication_init"))
    again = back_at_our_callback(client, at_provider(browser, start["Location"]))
    assert again.wsgi_request.user.full_name == "宁审核"


def test_a_local_password_account_signs_out_here_as_before_while_single_sign_on_is_on(
    client, sso, province_officer
):
    client.post(reverse("login"), {"username": "guo", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(province_officer.pk)

    out = client.post(reverse("logout"))

    assert out.status_code == 302 and out["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_a_local_sign_in_after_a_refused_government_sign_in_still_signs_out_here(
    client, sso, province_officer
):
    sso.provision(users=[{**NING, "gov_role": "JANITOR"}])
    sign_in_at_provider(client, sso, "ning.gov", "provider-pass-1")  # refused, but the ID token was kept
    assert client.session.get("oidc_id_token")
    client.post(reverse("login"), {"username": "guo", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(province_officer.pk)

    out = client.post(reverse("logout"))

    assert out.status_code == 302 and out["Location"] == "/login/"


def test_without_single_sign_on_signing_out_is_post_only_csrf_checked_and_back_to_the_sign_in_page(
    db, province_officer
):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = page.cookies["csrftoken"].value
    client.post(reverse("login"), {"username": "guo", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert client.session["_auth_user_id"] == str(province_officer.pk)

    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 403  # no CSRF token
    assert client.session["_auth_user_id"] == str(province_officer.pk)
    token = client.cookies["csrftoken"].value
    out = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert out.status_code == 302 and out["Location"] == "/login/"
    assert "_auth_user_id" not in client.session and "no-cache" in out["Cache-Control"]
