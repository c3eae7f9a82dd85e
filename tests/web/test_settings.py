"""Settings come from the environment and a bad value stops the start, loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_database, env_list

WEB = Path(__file__).resolve().parents[2] / "web"


def test_a_boolean_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", True)


def test_a_list_with_an_empty_item_is_refused(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org,,x")
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("ALLOWED_HOSTS", [])


def test_a_database_other_than_sqlite_or_postgresql_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="SQLite and PostgreSQL only"):
        env_database("DATABASE_URL", "sqlite:///x")


def test_a_database_url_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nonsense")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///x")


def test_postgresql_runs_prepared_statements_unless_told_not_to(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/db")
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    assert env_database("DATABASE_URL", "sqlite:///x")["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")  # behind a pooler in transaction mode
    assert not env_database("DATABASE_URL", "sqlite:///x").get("OPTIONS")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///tmp/x.sqlite3")
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "true")
    assert not env_database("DATABASE_URL", "sqlite:///x").get("OPTIONS")


def test_a_live_postgresql_connection_prepares_a_query_it_runs_again(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    from accounts.models import User

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                           ['%"accounts_user"."email" = $1 AND "accounts_user"."full_name" = $2%'])
            return cursor.fetchone()[0]

    before = prepared()
    for _ in range(7):
        list(User.objects.filter(email="nobody@example.org", full_name="无人").values_list("pk"))
    assert prepared() == before + 1


def import_settings(code: str = "", **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS") and not k.startswith("OIDC_")}
    return subprocess.run(
        [sys.executable, "-c", f"import config.settings as settings\n{code}"], cwd=WEB, env={**clean, **env},
        capture_output=True, text=True, check=False,
    )


def test_production_without_a_secret_key_does_not_start():
    result = import_settings(DEBUG="false", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0 and "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_production_without_allowed_hosts_does_not_start():
    result = import_settings(DEBUG="false", SECRET_KEY="k" * 50)
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set" in result.stderr


def test_production_with_its_settings_starts():
    result = import_settings(DEBUG="false", SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def test_sign_out_at_the_government_login_lets_the_sign_out_form_go_on_to_the_provider():
    show = "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'], settings.OIDC_STORE_ID_TOKEN)"
    sso = {"OIDC_RP_CLIENT_ID": "xiaozhen", "OIDC_RP_CLIENT_SECRET": "s3cret", "OIDC_RP_SIGN_ALGO": "HS256",
           **{f"OIDC_OP_{name}_ENDPOINT": f"https://login.gov.example/{name.lower()}"
              for name in ("AUTHORIZATION", "TOKEN", "USER")}}

    here_only = import_settings(show, DEBUG="true", **sso)
    at_provider = import_settings(show, DEBUG="true", **sso,
                                  OIDC_OP_LOGOUT_ENDPOINT="https://login.gov.example/end-session")

    assert here_only.stdout.strip() == "[\"'self'\"] False", here_only.stderr
    assert at_provider.stdout.strip() == "[\"'self'\", 'https://login.gov.example'] True", at_provider.stderr
