from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import ListEntry, ListPublication, Objection


@admin.register(ListPublication)
class ListPublicationAdmin(ReadOnlyAdmin):
    list_display = ("title_zh", "programme", "tier", "year", "status", "notice_opens_on", "notice_closes_on")
    list_filter = ("programme", "status")


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ("publication", "position", "town_name_zh", "category", "sub_sector", "removed")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("publication", "entry", "name", "submitted_at", "status")
    list_filter = ("status",)
