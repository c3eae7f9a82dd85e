"""Demo accounts, whose passwords are printed, are hashed cheaply and re-hashed at first sign-in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.actions import create_user
from accounts.models import Role, User
from regions.models import Region

WEB = Path(__file__).resolve().parents[2] / "web"
REAL_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "accounts.hashers.PublishedPasswordHasher",
]


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS


def demo_officer(password: str = "demo-guo") -> User:
    return create_user(username="guo-demo", password=password, role=Role.PROVINCIAL_OFFICER,
                       region=Region.objects.get(code="450000"), check_password=False)


def test_a_demo_account_is_hashed_with_the_published_password_hasher(db, real_hashers):
    user = demo_officer()
    assert user.password.startswith("pbkdf2_sha256_published$1000$")
    assert user.check_password("demo-guo") and not user.check_password("demo-other")


def test_the_first_sign_in_re_hashes_a_demo_password_with_the_default_hasher(db, client, real_hashers):
    demo_officer()
    response = client.post(reverse("login"), {"username": "guo-demo", "password": "demo-guo"})
    assert response.status_code == 302
    stored = User.objects.get(username="guo-demo").password
    assert stored.startswith("pbkdf2_sha256$") and not stored.startswith("pbkdf2_sha256_published$")


def test_an_account_made_with_password_checks_uses_the_default_hasher(db, real_hashers):
    user = create_user(username="guo-real", password="a-long-enough-passphrase-9", role=Role.PROVINCIAL_OFFICER,
                       region=Region.objects.get(code="450000"))
    assert user.password.startswith("pbkdf2_sha256$")


def test_a_deployment_without_the_published_hasher_still_gets_a_working_hash(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = demo_officer()
    assert user.password.startswith("md5$") and user.check_password("demo-guo")


def site_hashers(debug: str) -> list[str]:
    """PASSWORD_HASHERS as config.settings computes them in a fresh process with DEBUG=debug."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(DEBUG=debug, SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org")
    code = "import json, config.settings as s; print(json.dumps(s.PASSWORD_HASHERS))"
    result = subprocess.run([sys.executable, "-c", code], cwd=WEB, env=env, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


def test_in_debug_the_site_lists_the_default_hasher_first_and_the_published_one_last():
    hashers = site_hashers("true")
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert hashers[-1] == "accounts.hashers.PublishedPasswordHasher"


def test_in_production_the_published_hasher_is_not_listed_so_a_cheap_hash_never_signs_in():
    hashers = site_hashers("false")
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert "accounts.hashers.PublishedPasswordHasher" not in hashers


def test_a_published_password_hash_does_not_sign_in_where_the_hasher_is_not_listed(db, client, settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS
    demo_officer()
    settings.PASSWORD_HASHERS = REAL_HASHERS[:1]
    response = client.post(reverse("login"), {"username": "guo-demo", "password": "demo-guo"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
