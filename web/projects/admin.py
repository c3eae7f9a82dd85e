from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import Contract, ContractSignature, FundingEntry, Milestone, ProgressReport


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "town", "state", "term_start", "provincial_amount", "matching_ratio")
    list_filter = ("state",)
    search_fields = ("number", "town__name_zh", "town__code")


@admin.register(ContractSignature)
class ContractSignatureAdmin(ReadOnlyAdmin):
    list_display = ("contract", "party", "signed_by", "signed_on")


@admin.register(FundingEntry)
class FundingEntryAdmin(ReadOnlyAdmin):
    list_display = ("contract", "on", "kind", "source", "amount", "document_ref")
    list_filter = ("kind", "source")


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ("contract", "year_no", "title", "planned_by", "done_on")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("contract", "year", "submitted_by", "submitted_at")
