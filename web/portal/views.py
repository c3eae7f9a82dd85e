"""Sign-in, the role dashboard and the error pages (bilingual, never a traceback)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from .dashboard import panels_for
from .errors import NotAllowed
from .forms import SignInForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html", {"panels": panels_for(request)})


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if isinstance(exception, NotAllowed) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may come from them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
