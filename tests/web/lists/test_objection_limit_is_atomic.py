"""The objection limit (3 a minute per address) holds under simultaneous submissions, and is
keyed on the client's real address behind the configured proxy, not the proxy's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from lists.actions import OBJECTIONS_PER_MINUTE, submit_objection
from lists.models import Objection
from portal.errors import ActionError

from ..races import at_once
from .test_pages import objection_form


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent writers need PostgreSQL; SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_objections_from_one_address_let_exactly_three_through(on_notice):
    entry = on_notice.entries.first()

    def submit() -> str:
        try:
            submit_objection(publication=on_notice, entry=entry, name="张三", contact="13800000000",
                             grounds="该镇投资数据不实", ip_address="203.0.113.9")
            return "accepted"
        except ActionError:
            return "refused"

    outcomes = at_once(10, submit)
    assert sorted(outcomes) == ["accepted"] * OBJECTIONS_PER_MINUTE + ["refused"] * (10 - OBJECTIONS_PER_MINUTE)
    assert Objection.objects.filter(ip_address="203.0.113.9").count() == OBJECTIONS_PER_MINUTE


def test_behind_the_proxy_each_client_has_its_own_limit(client, on_notice, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    url = reverse("lists:public_detail", args=[on_notice.pk])
    entry = on_notice.entries.first()

    def post(client_ip: str):
        return client.post(url, objection_form(entry), REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=client_ip)

    assert [post("203.0.113.9").status_code for _ in range(3)] == [302, 302, 302]
    assert post("203.0.113.9").status_code == 400
    assert post("203.0.113.10").status_code == 302  # another client behind the same proxy
    assert set(Objection.objects.values_list("ip_address", flat=True)) == {"203.0.113.9", "203.0.113.10"}


def test_a_forged_forwarded_address_does_not_escape_the_limit(client, on_notice, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    url = reverse("lists:public_detail", args=[on_notice.pk])
    entry = on_notice.entries.first()
    statuses = [client.post(url, objection_form(entry), REMOTE_ADDR="10.0.0.5",
                            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.9").status_code for i in range(5)]
    assert statuses == [302, 302, 302, 400, 400]
