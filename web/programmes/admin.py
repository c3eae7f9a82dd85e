from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import Programme, ProgrammeVersion


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("policy_id", "short_name_zh", "programme_type", "region_code", "current_version", "is_active")


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyAdmin):
    list_display = ("programme", "number", "content_hash", "effective_from", "loaded_at")
