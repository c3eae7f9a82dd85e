"""API tokens: a token acts as its user; revoked, expired, unknown or missing tokens get 401
in the one error shape; users create and revoke their own tokens on a page, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from api.actions import create_api_token, revoke_api_token
from api.models import ApiToken
from api.tokens import hash_secret
from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message_zh"] and body["error"]["message_en"]
    assert "Traceback" not in response.content.decode()
    return body["error"]


def test_a_token_acts_as_the_user_who_created_it(api_as, nanning_reviewer):
    me = api_as(nanning_reviewer).get("/api/me").json()
    assert (me["username"], me["role"], me["region_code"]) == ("ning", "city_reviewer", "450100")


def test_a_town_bodys_token_names_its_town(api_as, town_clerk, qingxiu_town):
    assert api_as(town_clerk).get("/api/me").json()["town_code"] == qingxiu_town.code


def test_only_a_hash_of_the_secret_is_stored(province_officer):
    issued = create_api_token(by=province_officer, name="省平台")
    token = ApiToken.objects.get()
    assert issued.secret.startswith("xz_") and len(issued.secret) > 40
    assert token.secret_hash == hash_secret(issued.secret) and issued.secret not in token.secret_hash
    assert issued.secret.startswith(token.prefix) and len(token.prefix) < 12


def test_no_token_is_refused_with_401(province_officer):
    assert_error(ApiClient(None).get("/api/towns/"), 401, "not_authenticated")


def test_a_token_sent_under_another_scheme_is_refused(token_for, province_officer):
    secret = token_for(province_officer)
    client = ApiClient(None)
    response = client.client.get("/api/towns/", headers={"Authorization": f"Token {secret}"})
    assert_error(response, 401, "not_authenticated")


def test_an_unknown_token_is_refused_with_401(token_for, province_officer):
    token_for(province_officer)
    assert_error(ApiClient("xz_not-a-token-anyone-was-given").get("/api/towns/"), 401, "token_unknown")


def test_a_revoked_token_is_refused_with_401(province_officer):
    issued = create_api_token(by=province_officer, name="旧平台")
    client = ApiClient(issued.secret)
    assert client.get("/api/towns/").status_code == 200
    revoke_api_token(token=issued.token, by=province_officer, reason="平台下线")
    assert_error(client.get("/api/towns/"), 401, "token_revoked")


def test_an_expired_token_is_refused_with_401(province_officer):
    issued = create_api_token(by=province_officer, name="短期", expires_at=timezone.now() + dt.timedelta(days=1))
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(ApiClient(issued.secret).get("/api/towns/"), 401, "token_expired")


def test_a_deactivated_users_token_is_refused(api_as, nanning_reviewer):
    client = api_as(nanning_reviewer)
    nanning_reviewer.is_active = False
    nanning_reviewer.save()
    assert_error(client.get("/api/towns/"), 401, "user_inactive")


def test_a_signed_in_session_does_not_open_the_api(signed_in, province_officer):
    response = signed_in(province_officer).get("/api/towns/")
    assert_error(response, 401, "not_authenticated")


def test_using_a_token_stamps_when_it_was_last_used(province_officer):
    issued = create_api_token(by=province_officer, name="省平台")
    assert issued.token.last_used_at is None
    ApiClient(issued.secret).get("/api/me")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_a_token_needs_a_name_and_a_future_expiry(province_officer):
    with pytest.raises(ActionError) as no_name:
        create_api_token(by=province_officer, name="  ")
    assert no_name.value.field == "name"
    with pytest.raises(ActionError) as past:
        create_api_token(by=province_officer, name="x", expires_at=timezone.now() - dt.timedelta(days=1))
    assert past.value.field == "expires_at"


def test_nobody_revokes_another_users_token(province_officer, nanning_reviewer):
    issued = create_api_token(by=nanning_reviewer, name="南宁平台")
    with pytest.raises(NotAllowed):
        revoke_api_token(token=issued.token, by=province_officer)
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_a_token_is_revoked_once(province_officer):
    issued = create_api_token(by=province_officer, name="省平台")
    revoke_api_token(token=issued.token, by=province_officer)
    with pytest.raises(ActionError):
        revoke_api_token(token=issued.token, by=province_officer)


def test_creating_and_revoking_a_token_are_audited(province_officer):
    issued = create_api_token(by=province_officer, name="省平台")
    revoke_api_token(token=issued.token, by=province_officer, reason="换新令牌")
    entries = list(AuditEntry.objects.filter(object_type="api.apitoken").order_by("id"))
    assert [(e.verb, e.to_state, e.actor_id) for e in entries] == [
        ("create_api_token", "active", province_officer.pk), ("revoke_api_token", "revoked", province_officer.pk)]
    assert entries[1].reason == "换新令牌"
    assert entries[0].region.code == "450000"
    assert all(issued.secret not in str(e.data) for e in entries)


# --- the page -------------------------------------------------------------------------------

def test_the_tokens_page_needs_sign_in(client):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_creating_a_token_on_the_page_shows_its_secret_once(signed_in, county_office):
    client = signed_in(county_office)
    response = client.post(reverse("api_tokens:list"), {"name": "青秀区平台", "lifetime": "90"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=county_office)
    html = response.content.decode()
    secret = html.split('id="new-secret" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith(token.prefix) and token.secret_hash == hash_secret(secret)
    assert "只显示这一次" in html and "shown only this once" in html
    assert (token.expires_at - timezone.now()).days in (89, 90)
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert "青秀区平台" in again and secret not in again


def test_the_page_asks_for_a_name(signed_in, county_office):
    response = signed_in(county_office).post(reverse("api_tokens:list"), {"name": "", "lifetime": "30"})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    assert 'aria-invalid' in response.content.decode() or "errorlist" in response.content.decode()


def test_the_page_lists_only_the_users_own_tokens(signed_in, province_officer, nanning_reviewer):
    create_api_token(by=nanning_reviewer, name="南宁平台")
    create_api_token(by=province_officer, name="自治区平台")
    html = signed_in(province_officer).get(reverse("api_tokens:list")).content.decode()
    assert "自治区平台" in html and "南宁平台" not in html


def test_revoking_on_the_page_stops_the_token(signed_in, province_officer):
    issued = create_api_token(by=province_officer, name="省平台")
    response = signed_in(province_officer).post(reverse("api_tokens:revoke", args=[issued.token.pk]))
    assert response.status_code == 302
    assert_error(ApiClient(issued.secret).get("/api/me"), 401, "token_revoked")


def test_another_users_token_cannot_be_revoked_on_the_page(signed_in, province_officer, nanning_reviewer):
    issued = create_api_token(by=nanning_reviewer, name="南宁平台")
    response = signed_in(province_officer).post(reverse("api_tokens:revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_the_navigation_offers_api_tokens(signed_in, town_clerk):
    html = signed_in(town_clerk).get("/").content.decode()
    assert reverse("api_tokens:list") in html and "API 令牌" in html


def test_a_town_bodys_token_is_audited_in_its_towns_county(town_clerk, qingxiu_town):
    create_api_token(by=town_clerk, name="小镇填报系统")
    assert AuditEntry.objects.get(verb="create_api_token").region == qingxiu_town.region
