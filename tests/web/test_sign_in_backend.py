"""A password sign-in is Django's, and the signed-in user comes with their region and town in one query."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import PasswordBackend

from .conftest import PASSWORD


def sign_in_through_the_form(client, username: str) -> None:
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_an_official_signed_in_with_a_password_is_loaded_with_their_region(client, nanning_reviewer):
    sign_in_through_the_form(client, "ning")
    session = client.session
    assert session["_auth_user_backend"] == "accounts.backends.PasswordBackend"
    with CaptureQueriesContext(connection) as ctx:
        user = PasswordBackend().get_user(session[SESSION_KEY])
        assert user is not None and user.region.code == "450100" and user.scope_prefix == "4501"
    assert len(ctx.captured_queries) == 1


def test_a_town_body_is_loaded_with_their_town_and_its_region(client, town_clerk):
    with CaptureQueriesContext(connection) as ctx:
        user = PasswordBackend().get_user(town_clerk.pk)
        assert user is not None and user.town.region.code == town_clerk.town.region.code
    assert len(ctx.captured_queries) == 1


def test_a_deactivated_or_deleted_account_is_not_signed_in(db, nanning_reviewer):
    nanning_reviewer.is_active = False
    nanning_reviewer.save(update_fields=["is_active"])
    assert PasswordBackend().get_user(nanning_reviewer.pk) is None
    assert PasswordBackend().get_user(10**9) is None


def test_the_home_page_of_a_password_sign_in_reads_the_region_with_the_user(client, nanning_reviewer):
    sign_in_through_the_form(client, "ning")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "regions_region"."id"')
                and f'"regions_region"."id" = {nanning_reviewer.region_id}' in q["sql"]]
