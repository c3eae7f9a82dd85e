from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_username", "role", "verb", "object_type", "object_id", "from_state", "to_state")
    list_filter = ("verb", "role")
    search_fields = ("object_repr", "actor_username", "object_id")
