from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import ApiToken, ReportPush


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created and revoked by their users on the API tokens page."""

    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    search_fields = ("name", "prefix", "user__username")
    exclude = ("secret_hash",)


@admin.register(ReportPush)
class ReportPushAdmin(ReadOnlyAdmin):
    list_display = ("town", "programme", "period", "key", "report", "by", "created_at")
    search_fields = ("key", "town__code")
