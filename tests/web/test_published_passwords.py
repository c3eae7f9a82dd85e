"""Demo accounts, whose passwords are printed, are hashed cheaply and re-hashed at first sign-in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.actions import create_user
from accounts.models import Role, User
from regions.models import Region

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


def test_the_site_lists_the_default_hasher_first_and_the_published_one_last():
    from config import settings as site

    assert site.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert site.PASSWORD_HASHERS[-1] == "accounts.hashers.PublishedPasswordHasher"
