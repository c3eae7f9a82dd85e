"""URL map. Each app owns its urls.py; the project only mounts them."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.oidc import SignOutView
from portal import views as portal_views

urlpatterns = [
    path("", include("portal.urls")),
    path("login/", portal_views.LoginView.as_view(), name="login"),
    path("logout/", SignOutView.as_view(), name="logout"),  # also at the provider after an SSO sign-in
    path("oidc/", include("accounts.oidc")),  # single sign-on, 404 while off (config/oidc.py)
    # The language switch works before signing in too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("towns/", include("towns.urls")),
    path("audit/", include("audit.urls")),
    path("applications/", include("applications.urls")),
    path("reviews/", include("reviews.urls")),
    path("assessments/", include("assessments.urls")),
    path("projects/", include("projects.urls")),
    path("reports/", include("reports.urls")),
    path("vitality/", include("vitality.urls")),
    path("", include("lists.urls")),
    path("api/", include("api.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("boundaries/", include("boundaries.urls")),
    path("cockpit/", include("cockpit.urls")),
    path("", include("documents.urls")),
    path("chains/", include("industry_chains.urls")),
    path("inbox/", include("notifications.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
