from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import Organisation, User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "full_name", "role", "region", "town", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    exclude = ("password",)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name_zh", "kind", "region")
    list_filter = ("kind",)
