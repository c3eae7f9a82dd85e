"""A real OpenID Connect provider for the single sign-on tests, and the settings that point us at it.

``oidc_provider`` (session): migrates the provider in idp_site/ into a SQLite file under a temporary
folder, creates its signing key and our client, and runs it with ``manage.py runserver`` on a free
port in a subprocess, until the session ends. ``provider.provision(...)`` adds people and redirect
URIs (idp_site/provision.py). ``sso`` (per test): turns single sign-on on for the site under test the
way a deployment does — ``OIDC_*`` environment variables read by config/oidc.py — with the provider's
role and division claims mapped to ours, and sign-out ending at the provider's end-session endpoint;
``sso_signing_out_here_only``: the same without ``OIDC_OP_LOGOUT_ENDPOINT``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from config.oidc import BACKEND, content_security_policy, oidc_settings

SSO_DIR = Path(__file__).resolve().parent
CLIENT_ID = "xiaozhen"
#: The provider's role values and ours (OIDC_ROLE_MAP).
ROLE_MAP = "PROV_ADMIN=provincial_officer,CITY_REVIEW=city_reviewer,COUNTY_OFFICE=county_office,AUDIT=auditor"


@dataclass
class Provider:
    url: str
    env: dict[str, str]
    client_secret: str
    process: subprocess.Popen | None = field(default=None, repr=False)

    def run(self, *args: str) -> None:
        done = subprocess.run([sys.executable, *args], cwd=SSO_DIR, env=self.env, timeout=120,
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"the test provider's {' '.join(args)} failed:\n{done.stderr}")

    def provision(self, *, users: list[dict] | None = None, redirect_uris: list[str] | None = None,
                  post_logout_redirect_uris: list[str] | None = None) -> None:
        spec: dict = {"users": users or []}
        if redirect_uris or post_logout_redirect_uris:
            spec["client"] = {"client_id": CLIENT_ID, "client_secret": self.client_secret,
                              "redirect_uris": redirect_uris or [],
                              "post_logout_redirect_uris": post_logout_redirect_uris or []}
        self.run("-m", "idp_site.provision", json.dumps(spec))

    def relying_party_environ(self) -> dict[str, str]:
        """The environment a deployment would set to use this provider (docs/deploy.md)."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/openid/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/openid/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/openid/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/openid/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.url}/openid/end-session",
            "OIDC_RP_SCOPES": "openid email profile gov",
            "OIDC_ROLE_CLAIM": "gov_role",
            "OIDC_REGION_CLAIM": "division",
            "OIDC_ROLE_MAP": ROLE_MAP,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc-provider")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(PYTHONPATH=str(SSO_DIR), DJANGO_SETTINGS_MODULE="idp_site.settings",
               IDP_DATABASE=str(folder / "provider.sqlite3"), IDP_SITE_URL=url)
    provider = Provider(url=url, env=env, client_secret=secrets.token_urlsafe(24))
    provider.run("-m", "django", "migrate", "--noinput")
    provider.provision(redirect_uris=["http://testserver/oidc/callback/"],
                       post_logout_redirect_uris=["http://testserver/login/"])
    log = (folder / "provider.log").open("w")
    provider.process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=SSO_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/openid/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if provider.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the test provider did not start: {(folder / 'provider.log').read_text()}")
            time.sleep(0.2)
        yield provider
    finally:
        provider.process.terminate()
        provider.process.wait(timeout=10)
        log.close()


def _turn_on(provider: Provider, settings, monkeypatch, *without: str) -> Provider:
    """Single sign-on on as config/settings.py turns it on, from the provider's environment less ``without``."""
    for name, value in provider.relying_party_environ().items():
        if name in without:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    values = oidc_settings()
    for name, value in values.items():
        setattr(settings, name, value)
    settings.CONTENT_SECURITY_POLICY = content_security_policy(settings.CONTENT_SECURITY_POLICY, values)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    return provider


@pytest.fixture
def sso(oidc_provider, settings, monkeypatch) -> Provider:
    """Single sign-on on, through config/oidc.py, pointed at the test provider."""
    return _turn_on(oidc_provider, settings, monkeypatch)


@pytest.fixture
def sso_signing_out_here_only(oidc_provider, settings, monkeypatch) -> Provider:
    """Single sign-on on, without the provider's end-session endpoint (OIDC_OP_LOGOUT_ENDPOINT unset)."""
    return _turn_on(oidc_provider, settings, monkeypatch, "OIDC_OP_LOGOUT_ENDPOINT")
