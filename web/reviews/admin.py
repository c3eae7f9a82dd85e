"""Read-only admin: panels and acceptances change only through reviews/actions.py."""

from django.contrib import admin

from .models import Acceptance, AcceptanceStepRecord, Delegation, Panel, PanelMember, ScoreSheet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ("title", "town", "programme", "purpose", "status", "outcome", "created_at")
    list_filter = ("status", "purpose")


for model in (PanelMember, ScoreSheet, Delegation, Acceptance, AcceptanceStepRecord):
    admin.site.register(model, ReadOnlyAdmin)
