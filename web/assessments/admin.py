from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import AssessmentRun, FraudFinding, Proposal


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ReadOnlyAdmin):
    list_display = ("programme", "year", "status", "document_number", "published_at")
    list_filter = ("programme", "status")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("run", "town", "tier", "action", "next_tier", "grade", "star_rating", "excellent", "overridden")
    list_filter = ("run", "action")


@admin.register(FraudFinding)
class FraudFindingAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "found_on", "source", "decision_ref")
