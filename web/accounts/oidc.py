"""Single sign-on through the government login (OpenID Connect, mozilla-django-oidc).

Off unless the settings say otherwise (config/oidc.py; docs/deploy.md, "Single sign-on"). When on,
the sign-in page offers 统一身份认证登录 beside the local password form, which stays for the embedded
default. The provider vouches for who the person is; their role and region come from its claims,
mapped by ``OIDC_ROLE_CLAIM``, ``OIDC_REGION_CLAIM`` and ``OIDC_ROLE_MAP``, and the account is created
or updated by ``accounts.actions.provision_sso_user`` (audited). Claims naming no role or region this
system knows are refused with a bilingual message on the sign-in page, and nobody is created.

Signing out (``SignOutView``, the site's /logout/) ends our session; for a person who signed in
through the government login it then sends the browser to the provider's end-session endpoint
(``OIDC_OP_LOGOUT_ENDPOINT``; OpenID Connect RP-Initiated Logout 1.0), so the provider's session ends
too and the next person at a shared computer is asked for their own credentials. Without that
setting, signing out ends our session only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.module_loading import import_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from config.oidc import BACKEND
from portal.bilingual import bi_text
from portal.errors import ActionError

from .actions import provision_sso_user
from .models import User


def identity_from_claims(claims: dict[str, Any]) -> dict[str, str]:
    """The keyword arguments of ``provision_sso_user`` for these claims, mapped by settings.

    A claim may hold one value or a list (the first value this system maps wins)."""
    role_claim = getattr(settings, "OIDC_ROLE_CLAIM", "role")
    region_claim = getattr(settings, "OIDC_REGION_CLAIM", "region")
    role_map: dict[str, str] = getattr(settings, "OIDC_ROLE_MAP", {})
    values = claims.get(role_claim)
    values = values if isinstance(values, list) else [values]
    roles = [role_map[str(value)] for value in values if value is not None and str(value) in role_map]
    name = claims.get("name") or " ".join(
        part for part in (claims.get("family_name"), claims.get("given_name")) if part
    )
    return {
        "subject": str(claims.get("sub") or ""),
        "role": roles[0] if roles else "",
        "region_code": str(claims.get(region_claim) or ""),
        "full_name": str(name or claims.get("preferred_username") or ""),
        "email": str(claims.get("email") or ""),
        "issuer": str(claims.get("iss") or ""),
    }


class GovernmentLoginBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow; the account comes from our action, never from the e-mail match."""

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            messages.error(self.request, bi_text("统一身份认证的用户信息与身份令牌不符，未能登录",
                                                 "the government login's user info does not match its ID "
                                                 "token; you are not signed in"))
            return None
        try:
            return provision_sso_user(**identity_from_claims(claims))
        except ActionError as refusal:
            messages.error(self.request, str(refusal))
            return None


def _only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The sign-in pages answer 404 while single sign-on is off; they need no signed-in user."""

    @login_not_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(settings, "OIDC_ENABLED", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def provider_sign_out_url(request: HttpRequest) -> str:
    """The provider's end-session URL for this session (``OIDC_OP_LOGOUT_URL_METHOD``).

    RP-Initiated Logout 1.0: the ID token this sign-in received as ``id_token_hint`` (kept in the
    session by ``OIDC_STORE_ID_TOKEN``), our client id, and the sign-in page as
    ``post_logout_redirect_uri`` (absolute, from the request; register it at the provider). A query
    the endpoint already has is kept."""
    endpoint = urlsplit(getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", ""))
    query = [
        *parse_qsl(endpoint.query, keep_blank_values=True),
        ("id_token_hint", request.session["oidc_id_token"]),
        ("client_id", getattr(settings, "OIDC_RP_CLIENT_ID", "")),
        ("post_logout_redirect_uri", request.build_absolute_uri(reverse("login"))),
    ]
    return urlunsplit(endpoint._replace(query=urlencode(query)))


def signed_in_through_the_provider(request: HttpRequest) -> bool:
    """Whether this session's sign-in was the government login's, with its ID token kept.

    The backend Django recorded at sign-in decides: a refused government sign-in also leaves an ID
    token in the session, and a local password sign-in after it must still sign out locally."""
    session = request.session
    return (request.user.is_authenticated and session.get(BACKEND_SESSION_KEY) == BACKEND
            and bool(session.get("oidc_id_token")))


class SignOutView(auth_views.LogoutView):
    """Django's sign-out (POST only, CSRF-checked, never cached, then ``LOGOUT_REDIRECT_URL``); after a
    government sign-in it goes on to the provider's end-session endpoint, when one is configured.

    The URL comes from ``OIDC_OP_LOGOUT_URL_METHOD``, called before our session ends as
    mozilla-django-oidc's ``OIDCLogoutView`` does; that view is not used itself because it would change
    the sign-out of local password accounts (it accepts no ``next`` and is not marked never-cache)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        method = getattr(settings, "OIDC_OP_LOGOUT_URL_METHOD", "")
        provider_url = None
        if getattr(settings, "OIDC_ENABLED", False) and method and signed_in_through_the_provider(request):
            provider_url = import_string(method)(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_url) if provider_url else response


urlpatterns = [
    path("authenticate/", _only_when_enabled(OIDCAuthenticationRequestView.as_view()),
         name="oidc_authentication_init"),
    path("callback/", _only_when_enabled(OIDCAuthenticationCallbackView.as_view()),
         name="oidc_authentication_callback"),
]
