"""站内信: returns and decisions on applications reach the town clerk's inbox, with a link and an e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from applications.actions import decide_step
from notifications.models import Notification


def test_a_returned_application_reaches_the_town_clerks_inbox_with_the_reason_and_a_link(
        submitted, town_clerk, nanning_reviewer, signed_in, django_capture_on_commit_callbacks):
    town_clerk.email = "clerk@example.gov.cn"
    town_clerk.save()
    application = submitted(town_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        decide_step(application=application, step_id="city_check", outcome="return", reason="建设范围图不清晰",
                    by=nanning_reviewer)
    [note] = Notification.objects.filter(recipient=town_clerk)
    assert note.kind == Notification.Kind.RETURN and "建设范围图不清晰" in note.body
    assert note.url == reverse("applications:detail", args=[application.pk])
    assert not Notification.objects.filter(recipient=nanning_reviewer).exists()  # not to the one who acted
    assert mail.outbox and "申报被退回修改" in mail.outbox[0].subject and mail.outbox[0].to == ["clerk@example.gov.cn"]
    client = signed_in(town_clerk)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "申报被退回修改" in inbox and "未读" in inbox
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_step_passed_on_the_way_sends_no_message(submitted, town_clerk, nanning_reviewer):
    application = submitted(town_clerk)
    decide_step(application=application, step_id="city_check", outcome="pass", reason="", by=nanning_reviewer)
    assert not Notification.objects.exists()


def test_nobody_opens_another_users_message(submitted, town_clerk, nanning_reviewer, xixiangtang_clerk, signed_in):
    application = submitted(town_clerk)
    decide_step(application=application, step_id="city_check", outcome="reject", reason="不在城乡结合部",
                by=nanning_reviewer)
    note = Notification.objects.get(recipient=town_clerk)
    assert note.kind == Notification.Kind.DECISION
    response = signed_in(xixiangtang_clerk).post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("count", [0])
def test_an_empty_inbox_says_so(signed_in, province_officer, count):
    page = signed_in(province_officer).get(reverse("notifications:inbox")).content.decode()
    assert Notification.objects.count() == count and "暂无消息" in page
