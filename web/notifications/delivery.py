"""From audit rows to messages: each rule reads one verb's audit row and names who should hear of it.

A rule runs inside the transaction of the change (the audit row's post_save), so a change that rolls
back leaves no message; the e-mail copy is sent after the commit (Django's e-mail backend: the console
in the demo, SMTP by settings). Another app adds a rule with ``@rule("its_verb")``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import Role, User
from audit.models import AuditEntry

from .models import Notification


@dataclass(frozen=True)
class Message:
    recipients: list[User]
    kind: str
    title_zh: str
    title_en: str
    body: str
    url: str


Rule = Callable[[AuditEntry], Message | None]
_RULES: dict[str, Rule] = {}


def rule(verb: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        _RULES[verb] = func
        return func

    return register


def town_users(town_ids: list[int]) -> list[User]:
    return list(User.objects.filter(role=Role.TOWN_BODY, town_id__in=town_ids, is_active=True))


@rule("decide_step")
def application_decided(entry: AuditEntry) -> Message | None:
    from applications.models import Application

    application = Application.objects.select_related("town").filter(pk=entry.object_id).first()
    if application is None:
        return None
    outcome = entry.data.get("outcome", "")
    if outcome == "pass" and entry.to_state not in ("listed",):
        return None  # a step passed on the way: the town hears when it is listed, returned or rejected
    url = reverse("applications:detail", args=[application.pk])
    if outcome == "return":
        return Message(town_users([application.town_id]), Notification.Kind.RETURN,
                       f"申报被退回修改：{application.town.name_zh}", "Your application was returned",
                       f"退回理由 Reason: {entry.reason}", url)
    labels = {"reject": ("未通过", "rejected"), "pass": ("已列入名单", "listed")}
    zh, en = labels.get(outcome, ("已决定", "decided"))
    return Message(town_users([application.town_id]), Notification.Kind.DECISION,
                   f"申报审核结果：{zh}（{application.town.name_zh}）", f"Your application was {en}",
                   f"理由 Reason: {entry.reason}" if entry.reason else "", url)


@rule("add_panel_member")
def panel_invitation(entry: AuditEntry) -> Message | None:
    from reviews.models import PanelMember

    member = PanelMember.objects.select_related("panel", "expert").filter(pk=entry.object_id).first()
    if member is None:
        return None
    return Message([member.expert], Notification.Kind.PANEL, f"评审邀请：{member.panel}",
                   f"Invitation to the panel {member.panel}",
                   "请先声明是否存在利益冲突，再评分。Declare any conflict of interest first, then score.",
                   reverse("reviews:panel", args=[member.panel_id]))


@rule("submit_objection")
def objection_received(entry: AuditEntry) -> Message | None:
    from lists.models import Objection
    from lists.permissions import can_manage_lists

    objection = Objection.objects.select_related("publication__programme__region", "entry").filter(
        pk=entry.object_id).first()
    if objection is None:
        return None
    programme = objection.publication.programme
    officers = [u for u in User.objects.filter(is_active=True, role__in=[Role.PROVINCIAL_OFFICER, Role.COUNTY_OFFICE,
                                                                         Role.CITY_REVIEWER])
                .select_related("region") if can_manage_lists(u, programme)]
    return Message(officers, Notification.Kind.OBJECTION, f"收到异议：{objection.entry.town_name_zh}",
                   f"An objection to {objection.entry.town_code}", objection.grounds[:500],
                   reverse("lists:detail", args=[objection.publication_id]))


@rule("send_report_reminders")
def report_reminder(entry: AuditEntry) -> Message | None:
    from towns.models import Town

    codes = entry.data.get("towns") or []
    towns = list(Town.objects.filter(code__in=codes).values_list("pk", flat=True))
    overdue = entry.data.get("kind") == "overdue"
    return Message(town_users(towns), Notification.Kind.DEADLINE,
                   f"{'季度报送已逾期' if overdue else '季度报送即将截止'}：{entry.object_repr}",
                   f"Quarterly report {'overdue' if overdue else 'due soon'}: {entry.object_repr}",
                   f"截止日期 Due on: {entry.data.get('due_on', '')}", reverse("reports:index"))


@rule("publish_assessment")
def assessment_published(entry: AuditEntry) -> Message | None:
    from assessments.models import AssessmentRun

    run = AssessmentRun.objects.select_related("programme").filter(pk=entry.object_id).first()
    if run is None:
        return None
    towns = list(run.proposals.values_list("town_id", flat=True))
    return Message(town_users(towns), Notification.Kind.DECISION,
                   f"{run.programme.short_name_zh}{run.year}年度考核结果已发布", f"{run.year} assessment results published",
                   f"文号 Document: {run.document_number}", reverse("assessments:list"))


def _email(pks: list[int]) -> None:
    for note in Notification.objects.filter(pk__in=pks).select_related("recipient"):
        if note.recipient.email:
            link = settings.XIAOZHEN_PUBLIC_URL.rstrip("/") + note.url
            send_mail(f"[小镇 xiaozhen] {note.title_zh}", f"{note.title_zh}\n{note.title_en}\n\n{note.body}\n\n{link}",
                      None, [note.recipient.email], fail_silently=True)


@receiver(post_save, sender=AuditEntry, dispatch_uid="notifications.from_audit")
def deliver(sender: type[AuditEntry], instance: AuditEntry, created: bool, **kwargs: object) -> None:
    func = _RULES.get(instance.verb)
    if not created or func is None:
        return
    message = func(instance)
    if message is None:
        return
    recipients = {u.pk: u for u in message.recipients if u.pk != instance.actor_id}
    notes = Notification.objects.bulk_create([
        Notification(recipient=user, kind=message.kind, title_zh=message.title_zh[:200],
                     title_en=message.title_en[:200], body=message.body, url=message.url, audit_entry=instance)
        for user in recipients.values()
    ])
    pks = [n.pk for n in notes if n.pk is not None]
    if pks:
        transaction.on_commit(lambda: _email(pks))
