"""The API tokens page: a user's own tokens, create one (its secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.bilingual import bi_text
from portal.errors import ActionError
from portal.forms_util import run_action

from . import actions
from .forms import CreateTokenForm
from .permissions import can_create_api_token, can_revoke_api_token, visible_api_tokens


def token_list(request: AuthedRequest) -> HttpResponse:
    can_create_api_token.require(request.user)
    form = CreateTokenForm(request.POST or None)
    issued = None
    if done := run_action(request, form,
                          lambda d: actions.create_api_token(by=request.user, name=d["name"], expires_at=form.expires_at()),
                          success=None):
        issued, form = done.result, CreateTokenForm()
    context = {"form": form, "issued": issued, "tokens": visible_api_tokens(request.user),
               "docs_url": reverse("api:openapi-view"), "openapi_url": reverse("api:openapi-json"),
               "base_url": request.build_absolute_uri("/api/")}
    return render(request, "api/token_list.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(visible_api_tokens(request.user), pk=pk)
    can_revoke_api_token.require(request.user, token)
    try:
        actions.revoke_api_token(token=token, by=request.user)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, bi_text(f"令牌“{token.name}”已吊销", f"Token “{token.name}” revoked"))
    return redirect("api_tokens:list")
