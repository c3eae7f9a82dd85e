"""The demo shows lists in every state, readable by the public."""

from __future__ import annotations

from django.urls import reverse

from lists.models import ListPublication, Objection


def test_the_demo_has_lists_in_every_state_and_a_pending_objection(db, client, demo_output):
    statuses = set(ListPublication.objects.values_list("status", flat=True))
    assert statuses == set(ListPublication.Status.values)
    assert Objection.objects.filter(status="pending", publication__status="notice").exists()
    superseded = ListPublication.objects.get(status="superseded")
    correction = superseded.corrections.get()
    assert correction.status == "final" and correction.entries.count() < superseded.entries.count()
    assert {p.programme.policy_id for p in ListPublication.objects.all()} >= {"tongzhou-towns", "zhejiang-towns",
                                                                             "guangxi-innovation-towns"}
    for publication in ListPublication.objects.filter(noticed_at__isnull=False):
        assert client.get(reverse("lists:public_detail", args=[publication.pk])).status_code == 200
    draft = ListPublication.objects.get(status="draft")
    assert client.get(reverse("lists:public_detail", args=[draft.pk])).status_code == 404
