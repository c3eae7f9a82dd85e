"""Safe by default: DEBUG off unless set, no demo on a real database, throttled sign-in, strong
passwords, an API rate limit, the client's real address behind the proxy, CSP and HSTS."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from tests.web.conftest import PASSWORD

from accounts.actions import create_user
from accounts.models import Role, User
from portal.errors import ActionError
from regions.models import Region
from safety.client import client_address

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"


def settings_in_a_fresh_process(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT", "TRUSTED_PROXIES")}
    code = ("import json, config.settings as s; print(json.dumps({'DEBUG': s.DEBUG, 'MEDIA_ROOT': str(s.MEDIA_ROOT), "
            "'HSTS': getattr(s, 'SECURE_HSTS_SECONDS', None), 'PROXY': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=WEB, env={**clean, **env},
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- DEBUG and the demo --------------------------------------------------------------------------
def test_debug_is_off_when_the_environment_does_not_set_it():
    seen = settings_in_a_fresh_process(SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org")
    assert seen["DEBUG"] is False and seen["HSTS"] == 31_536_000


def test_make_demo_turns_debug_on():
    demo_recipe = (ROOT / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "export DEBUG=true" in demo_recipe and demo_recipe.index("DEBUG=true") < demo_recipe.index("load_demo")


def test_media_root_comes_from_the_environment(tmp_path):
    seen = settings_in_a_fresh_process(SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org", MEDIA_ROOT=str(tmp_path))
    assert seen["MEDIA_ROOT"] == str(tmp_path)


def test_the_proxy_ssl_header_is_believed_only_behind_a_trusted_proxy():
    assert settings_in_a_fresh_process(DEBUG="true")["PROXY"] is None
    assert settings_in_a_fresh_process(DEBUG="true", TRUSTED_PROXIES="10.0.0.5")["PROXY"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_load_demo_refuses_without_debug_and_creates_nothing(db, settings):
    settings.DEBUG = False
    users = User.objects.count()
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("load_demo", stdout=io.StringIO())
    assert User.objects.count() == users


def test_a_missing_page_with_debug_off_lists_no_urls(client, province_officer):
    client.force_login(province_officer)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in body
    assert "URLconf" not in body and "urlpatterns" not in body and "towns/" not in body.split("<main", 1)[-1]


# --- passwords -----------------------------------------------------------------------------------
@pytest.mark.parametrize("password", ["12345678", "password", "qwertyuiop", "1234567", "98765432101"])
def test_numeric_common_and_short_passwords_are_refused(db, password):
    with pytest.raises(ActionError) as caught:
        create_user(username="weak", password=password, role=Role.PROVINCIAL_OFFICER,
                    region=Region.objects.get(code="450000"))
    assert caught.value.field == "password" and not User.objects.filter(username="weak").exists()


def test_a_long_uncommon_password_is_accepted(db):
    user = create_user(username="strong", password="青秀-towns-2026-ledger", role=Role.PROVINCIAL_OFFICER,
                       region=Region.objects.get(code="450000"))
    assert user.check_password("青秀-towns-2026-ledger")


# --- sign-in throttling (django-axes) -----------------------------------------------------------
def sign_in(client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_four_wrong_passwords_still_let_the_right_one_in(client, province_officer, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, "guo", "wrong-password").status_code == 200
    assert sign_in(client, "guo", PASSWORD).status_code == 302


def test_five_wrong_passwords_lock_the_account_out_from_that_address_with_a_bilingual_message(client, province_officer):
    for _ in range(5):
        sign_in(client, "guo", "wrong-password")
    response = sign_in(client, "guo", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "登录已暂时锁定" in body and "Sign-in temporarily locked" in body
    assert "连续 5 次密码错误" in body and "15 分钟" in body and "15 minutes" in body
    assert response["Retry-After"] == "900"


def test_a_lock_out_holds_one_account_at_one_address_not_the_others(client, province_officer, nanning_reviewer):
    for _ in range(5):
        sign_in(client, "guo", "wrong-password")
    assert sign_in(client, "ning", PASSWORD).status_code == 302  # another account, same address
    client.logout()
    assert sign_in(client, "guo", PASSWORD, address="198.51.100.8").status_code == 302  # same account elsewhere


def test_sixty_fast_wrong_passwords_then_the_right_one_is_still_refused(client, province_officer):
    statuses = [sign_in(client, "guo", f"guess-{i}").status_code for i in range(60)]
    assert statuses[:4] == [200] * 4 and set(statuses[5:]) == {429}
    assert sign_in(client, "guo", PASSWORD).status_code == 429


# --- the client's real address -------------------------------------------------------------------
def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_address(request_from("10.0.0.5", "203.0.113.9")) == "203.0.113.9"


def test_a_forged_leftmost_address_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    # The client wrote "1.2.3.4" itself; our proxies appended what they saw, on the right.
    assert client_address(request_from("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


def test_a_request_not_from_a_trusted_proxy_is_its_own_client_whatever_it_forwards(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_address(request_from("203.0.113.50", "10.0.0.9")) == "203.0.113.50"


def test_a_malformed_forwarded_hop_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_address(request_from("10.0.0.5", "not-an-address")) == "10.0.0.5"


def test_ipv6_and_ports_are_read(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_address(request_from("::1", "[2001:db8::7]:4711")) == "2001:db8::7"
    assert client_address(request_from("::1", "203.0.113.9:5000")) == "203.0.113.9"


# --- headers: CSP, HSTS --------------------------------------------------------------------------
def test_every_page_carries_a_content_security_policy_without_inline_script(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_hsts_is_sent_on_https_only(client):
    assert client.get(reverse("login"), secure=True)["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get(reverse("login"))


def test_no_template_holds_an_inline_script_or_event_handler():
    offenders = []
    for path in WEB.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1) and "application/json" not in match.group(1):
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+=\"", text)]
    assert offenders == []


def test_the_test_clients_login_without_a_request_still_works_and_is_not_counted(client, province_officer):
    from axes.models import AccessAttempt

    assert not client.login(username="guo", password="wrong-password")
    assert client.login(username="guo", password=PASSWORD)
    assert not AccessAttempt.objects.exists()
