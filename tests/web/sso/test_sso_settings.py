"""Single sign-on settings (config/oidc.py): off by default, and loud about a half or wrong set-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.oidc import LOGOUT_URL_METHOD, SSO_ROLES, content_security_policy, oidc_settings

COMPLETE = {
    "OIDC_RP_CLIENT_ID": "xiaozhen",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.gov.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.gov.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.gov.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.gov.example/jwks",
}


@pytest.fixture
def environ(monkeypatch):
    for name in [*COMPLETE, "OIDC_RP_SIGN_ALGO", "OIDC_ROLE_MAP", "OIDC_ROLE_CLAIM", "OIDC_REGION_CLAIM",
                 "OIDC_OP_LOGOUT_ENDPOINT"]:
        monkeypatch.delenv(name, raising=False)

    def _set(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return _set


def test_single_sign_on_is_off_unless_a_client_id_is_set(environ):
    assert oidc_settings() == {"OIDC_ENABLED": False}


def test_a_complete_set_up_maps_our_own_role_names_by_default(environ):
    environ(**COMPLETE)
    values = oidc_settings()
    assert values["OIDC_ENABLED"] is True and values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert values["OIDC_ROLE_MAP"]["city_reviewer"] == "city_reviewer"
    assert "town_body" not in values["OIDC_ROLE_MAP"] and "expert" not in values["OIDC_ROLE_MAP"]
    assert (values["OIDC_ROLE_CLAIM"], values["OIDC_REGION_CLAIM"]) == ("role", "region")


def test_a_client_id_without_the_token_endpoint_stops_the_start(environ):
    environ(**{name: value for name, value in COMPLETE.items() if name != "OIDC_OP_TOKEN_ENDPOINT"})
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_TOKEN_ENDPOINT must be set"):
        oidc_settings()


def test_rs256_without_the_provider_keys_stops_the_start(environ):
    environ(**{name: value for name, value in COMPLETE.items() if name != "OIDC_OP_JWKS_ENDPOINT"})
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_JWKS_ENDPOINT"):
        oidc_settings()


@pytest.mark.parametrize(
    ("mapping", "complaint"),
    [
        ("PROV_ADMIN=provincial_officer,CLERK=town_body", "not a role single sign-on may give"),
        ("PROV_ADMIN", "is not 'claim value=role'"),
        ("A=auditor,A=city_reviewer", "mapped twice"),
    ],
)
def test_a_role_map_that_gives_a_role_we_do_not_give_this_way_stops_the_start(environ, mapping, complaint):
    environ(**COMPLETE, OIDC_ROLE_MAP=mapping)
    with pytest.raises(ImproperlyConfigured, match=complaint):
        oidc_settings()


def test_an_unknown_signing_algorithm_stops_the_start(environ):
    environ(**COMPLETE, OIDC_RP_SIGN_ALGO="none")
    with pytest.raises(ImproperlyConfigured, match="OIDC_RP_SIGN_ALGO"):
        oidc_settings()


def test_without_an_end_session_endpoint_sign_out_stays_here_and_no_id_token_is_kept(environ):
    environ(**COMPLETE)
    values = oidc_settings()
    assert values["OIDC_OP_LOGOUT_ENDPOINT"] is None and values["OIDC_OP_LOGOUT_URL_METHOD"] == ""
    assert values["OIDC_STORE_ID_TOKEN"] is False


def test_an_end_session_endpoint_keeps_the_id_token_for_the_providers_sign_out(environ):
    environ(**COMPLETE, OIDC_OP_LOGOUT_ENDPOINT="https://login.gov.example/end-session?realm=gx")
    values = oidc_settings()
    assert values["OIDC_OP_LOGOUT_ENDPOINT"] == "https://login.gov.example/end-session?realm=gx"
    assert values["OIDC_STORE_ID_TOKEN"] is True and values["OIDC_OP_LOGOUT_URL_METHOD"] == LOGOUT_URL_METHOD


@pytest.mark.parametrize(
    "endpoint",
    ["login.gov.example/end-session", "/openid/end-session", "ftp://login.gov.example/end-session",
     "https:///end-session", "https://login.gov.example/end-session#top", "https://[::1/end-session",
     "https://login.gov.example:https/end-session"],
    ids=["no-scheme", "relative", "ftp", "no-host", "fragment", "malformed", "port-not-a-number"],
)
def test_an_end_session_endpoint_that_is_not_an_http_url_stops_the_start(environ, endpoint):
    environ(**COMPLETE, OIDC_OP_LOGOUT_ENDPOINT=endpoint)
    with pytest.raises(ImproperlyConfigured, match=r"OIDC_OP_LOGOUT_ENDPOINT=.* is not an http"):
        oidc_settings()


def test_forms_may_go_on_to_the_providers_end_session_endpoint_and_nowhere_else(environ):
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "form-action": ["'self'"]}}
    environ(**COMPLETE)
    assert content_security_policy(policy, oidc_settings()) == policy
    environ(OIDC_OP_LOGOUT_ENDPOINT="https://login.gov.example:8443/end-session?realm=gx")

    widened = content_security_policy(policy, oidc_settings())

    assert widened["DIRECTIVES"]["form-action"] == ["'self'", "https://login.gov.example:8443"]
    assert widened["DIRECTIVES"]["default-src"] == ["'self'"]
    assert policy["DIRECTIVES"]["form-action"] == ["'self'"]  # the settings' own policy is not changed


def test_the_settings_offer_exactly_the_roles_the_accounts_app_lets_single_sign_on_give():
    from accounts.models import SSO_ROLES as ACCOUNT_SSO_ROLES

    assert set(SSO_ROLES) == {str(role) for role in ACCOUNT_SSO_ROLES}
