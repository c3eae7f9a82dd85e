"""The inbox: a user's messages, newest first; opening one marks it read and follows its link."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.pagination import page_of

from . import actions
from .models import Notification


def inbox(request: AuthedRequest) -> HttpResponse:
    messages = Notification.objects.filter(recipient=request.user)
    return render(request, "notifications/inbox.html", {"page_obj": page_of(request, messages)})


@require_POST
def open_message(request: AuthedRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    actions.mark_read(notification=note, by=request.user)
    return redirect(note.url)
