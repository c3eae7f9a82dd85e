"""Single sign-on settings (OpenID Connect, mozilla-django-oidc), read from the environment.

Off unless ``OIDC_RP_CLIENT_ID`` is set; then the provider's endpoints and the client secret are
required, and the claim mapping is checked at start-up, so a half-configured or mistyped single
sign-on is an error when the server starts, never a sign-in that silently fails. See docs/deploy.md,
"Single sign-on".

* ``OIDC_RP_CLIENT_ID`` / ``OIDC_RP_CLIENT_SECRET`` — this site's client at the provider.
* ``OIDC_OP_AUTHORIZATION_ENDPOINT``, ``OIDC_OP_TOKEN_ENDPOINT``, ``OIDC_OP_USER_ENDPOINT`` — the
  provider's endpoints; ``OIDC_OP_JWKS_ENDPOINT`` too when ``OIDC_RP_SIGN_ALGO`` is RS256 (the default).
* ``OIDC_RP_SCOPES`` — requested scopes (default ``openid email profile``; add the scope that
  carries the role and region claims if the provider needs one).
* ``OIDC_ROLE_CLAIM`` / ``OIDC_REGION_CLAIM`` — the claims naming the role and the region code
  (default ``role`` and ``region``).
* ``OIDC_ROLE_MAP`` — ``claim value=role`` pairs separated by commas, e.g.
  ``PROV_ADMIN=provincial_officer,CITY_REVIEW=city_reviewer``. Default: our own role names map to
  themselves. Only region-scoped roles (officers, auditors) may be given this way: a town body's town
  and an expert's assignments are set by an officer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .env import env_list, env_str

#: Roles single sign-on may give (accounts.models.REGION_SCOPED_ROLES, spelt out: settings load
#: before the apps).
SSO_ROLES = ("provincial_officer", "city_reviewer", "county_office", "auditor")
SIGN_ALGORITHMS = ("RS256", "HS256")
_REQUIRED = ("OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
             "OIDC_OP_USER_ENDPOINT")
BACKEND = "accounts.oidc.GovernmentLoginBackend"
#: mozilla-django-oidc's OIDC_OP_LOGOUT_URL_METHOD: builds the provider's end-session URL.
LOGOUT_URL_METHOD = "accounts.oidc.provider_sign_out_url"


def http_url(name: str, value: str) -> str:
    """``value`` if it is an absolute http(s) URL without a fragment, else ImproperlyConfigured."""
    try:
        parts = urlsplit(value)
        usable = (parts.scheme in ("https", "http") and bool(parts.hostname) and not parts.fragment
                  and (parts.port is None or parts.port > 0))  # .port raises on a port that is no number
    except ValueError:
        usable = False
    if not usable:
        raise ImproperlyConfigured(f"{name}={value!r} is not an http(s) URL such as "
                                   "https://login.gov.example/end-session (and has no #fragment)")
    return value


def role_map(name: str = "OIDC_ROLE_MAP") -> dict[str, str]:
    pairs = env_list(name, [f"{role}={role}" for role in SSO_ROLES])
    mapping: dict[str, str] = {}
    for pair in pairs:
        value, sep, role = (part.strip() for part in pair.partition("="))
        if not sep or not value or not role:
            raise ImproperlyConfigured(f"{name}: {pair!r} is not 'claim value=role'")
        if role not in SSO_ROLES:
            raise ImproperlyConfigured(
                f"{name}: {role!r} is not a role single sign-on may give; use one of {list(SSO_ROLES)}"
            )
        if value in mapping:
            raise ImproperlyConfigured(f"{name}: the claim value {value!r} is mapped twice")
        mapping[value] = role
    return mapping


def oidc_settings() -> dict[str, Any]:
    """The settings single sign-on adds: ``{"OIDC_ENABLED": False}`` when it is off."""
    client_id = env_str("OIDC_RP_CLIENT_ID")
    if client_id is None:
        return {"OIDC_ENABLED": False}
    values: dict[str, Any] = {"OIDC_ENABLED": True, "OIDC_RP_CLIENT_ID": client_id}
    for name in _REQUIRED:
        value = env_str(name)
        if value is None:
            raise ImproperlyConfigured(f"OIDC_RP_CLIENT_ID is set, so {name} must be set too")
        values[name] = value
    algorithm = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    if algorithm not in SIGN_ALGORITHMS:
        raise ImproperlyConfigured(f"OIDC_RP_SIGN_ALGO={algorithm!r}; use one of {list(SIGN_ALGORITHMS)}")
    values["OIDC_RP_SIGN_ALGO"] = algorithm
    jwks = env_str("OIDC_OP_JWKS_ENDPOINT")
    if algorithm == "RS256" and jwks is None:
        raise ImproperlyConfigured("OIDC_RP_SIGN_ALGO is RS256, so OIDC_OP_JWKS_ENDPOINT must be set")
    if jwks is not None:
        values["OIDC_OP_JWKS_ENDPOINT"] = jwks
    values["OIDC_RP_SCOPES"] = env_str("OIDC_RP_SCOPES", "openid email profile")
    values["OIDC_ROLE_CLAIM"] = env_str("OIDC_ROLE_CLAIM", "role")
    values["OIDC_REGION_CLAIM"] = env_str("OIDC_REGION_CLAIM", "region")
    values["OIDC_ROLE_MAP"] = role_map()
    # Sign-out at the provider: the ID token is kept in the session for its id_token_hint.
    logout = env_str("OIDC_OP_LOGOUT_ENDPOINT")
    values["OIDC_OP_LOGOUT_ENDPOINT"] = None if logout is None else http_url("OIDC_OP_LOGOUT_ENDPOINT", logout)
    values["OIDC_STORE_ID_TOKEN"] = logout is not None
    values["OIDC_OP_LOGOUT_URL_METHOD"] = "" if logout is None else LOGOUT_URL_METHOD
    return values


def content_security_policy(policy: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``policy`` (django-csp's CONTENT_SECURITY_POLICY), letting forms go on to the provider's
    end-session endpoint when sign-out ends there: browsers apply ``form-action`` to where a form's
    POST is redirected, so with ``'self'`` alone the sign-out button's redirect would be blocked."""
    endpoint = values.get("OIDC_OP_LOGOUT_ENDPOINT")
    if not values.get("OIDC_ENABLED") or not endpoint:
        return policy
    parts = urlsplit(endpoint)
    directives = dict(policy.get("DIRECTIVES", {}))
    directives["form-action"] = [*directives.get("form-action", ["'self'"]), f"{parts.scheme}://{parts.netloc}"]
    return {**policy, "DIRECTIVES": directives}
