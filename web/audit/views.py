"""The audit trail page (filters, pagination) and its CSV / XLSX export."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.forms_util import query_without_page
from portal.pagination import page_of

from .export import csv_lines, xlsx_bytes
from .forms import AuditFilterForm
from .permissions import can_export_audit, can_view_audit, visible_audit_entries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audit_list(request: HttpRequest) -> HttpResponse:
    can_view_audit.require(request.user)
    form = AuditFilterForm(request.GET or None)
    entries = form.filter(visible_audit_entries(request.user)).select_related("region", "actor")
    page = page_of(request, entries)
    return render(request, "audit/audit_list.html",
                  {"form": form, "page_obj": page, "query_without_page": query_without_page(request)})


def audit_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    can_export_audit.require(request.user)
    entries = AuditFilterForm(request.GET or None).filter(visible_audit_entries(request.user))
    name = f"xiaozhen-audit-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(csv_lines(entries), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(entries), content_type=XLSX)
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
