from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import Enrolment, Enterprise, ExpertAssignment, IndicatorValue, TierChange, Town


@admin.register(Town)
class TownAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "region", "category", "sub_sector")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("town", "programme", "tier", "started_on", "tier_since", "ended_on")
    list_filter = ("programme", "tier")


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "from_tier", "to_tier", "effective_on", "transition_id", "decision_ref")


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("credit_code", "name_zh", "town")
    search_fields = ("credit_code", "name_zh")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ("town", "programme", "indicator_id", "period", "basis", "number", "text", "source")
    list_filter = ("programme", "basis", "source")


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("expert", "town", "purpose", "active", "ends_on")
