"""/api/: the token pages (signed in, for people) and the ninja API (tokens, for machines)."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path, re_path, reverse

from . import views
from .api import api
from .errors import json_error, not_found

token_pages = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]


def _without_sign_in(patterns):
    """API operations authenticate by token, not by session: LoginRequiredMiddleware lets them through."""
    for pattern in patterns:
        pattern.callback.login_required = False
    return patterns


@login_not_required
def index(request):
    """/api/ itself: where the documentation is."""
    return JsonResponse({"name": api.title, "version": api.version, "docs": reverse("api:openapi-view"),
                         "openapi": reverse("api:openapi-json"), "guide": "docs/api.md"})


@login_not_required
def unknown_address(request, rest: str = ""):
    return json_error(not_found("没有这个接口地址", f"No API operation at {request.path}"))


ninja_patterns, ninja_app, ninja_namespace = api.urls
urlpatterns = [
    path("tokens/", include((token_pages, "api_tokens"))),
    path("", index, name="index"),
    path("", include((_without_sign_in(ninja_patterns), ninja_app), namespace=ninja_namespace)),
    re_path(r"^(?P<rest>.*)$", unknown_address),
]
