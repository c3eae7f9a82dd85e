from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import Bulletin, LedgerProject, Reminder, Report, ReportingPeriod, ReportRevision


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("programme", "period", "due_on", "status")
    list_filter = ("programme", "status")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("town", "reporting_period", "status", "submitted_at", "submitted_by")
    list_filter = ("status",)


@admin.register(ReportRevision)
class ReportRevisionAdmin(ReadOnlyAdmin):
    list_display = ("report", "number", "kind", "source", "by", "at", "key")


@admin.register(LedgerProject)
class LedgerProjectAdmin(ReadOnlyAdmin):
    list_display = ("town", "reporting_period", "name", "project_type", "completed_investment", "counted")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("town", "reporting_period", "kind", "created_at")


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ("reporting_period", "status", "measure", "generated_at", "published_at")
