"""Document downloads (PDF), the public document index, the town profile (/t/<code>/) and its QR code,
objection receipts by signed link, and the office's letterhead settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from accounts.requests import AuthedRequest
from lists.models import Objection
from lists.receipts import objection_from_token, objection_number
from portal.forms_util import run_action
from programmes.models import Programme

from . import actions
from .forms import OfficeProfileForm
from .kinds import KINDS, profile_context
from .models import OfficeProfile
from .office import office_for
from .pdf import render_pdf
from .permissions import can_manage_office, can_read_document, is_public, town_profile_is_public
from .qr import qr_bytes
from .selectors import document_object, public_documents, town_by_code

QR_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def _pdf_response(pdf: bytes, filename: str, *, public: bool) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@login_not_required
@require_GET
def document_pdf(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = document_object(kind, pk)
    if not can_read_document(request.user, kind, obj):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        can_read_document.require(request.user, kind, obj)
    document = KINDS[kind].build(obj)
    return _pdf_response(render_pdf(document), document.filename, public=is_public(kind, obj))


@login_not_required
@require_GET
@cache_control(public=True, max_age=300)
def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/public_index.html", {"rows": public_documents()})


@login_not_required
@require_GET
def profile(request: HttpRequest, code: str) -> HttpResponse:
    town = town_by_code(code)
    if not town_profile_is_public(town):
        raise Http404
    response = render(request, "documents/profile.html", profile_context(town))
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
@require_GET
def profile_pdf(request: HttpRequest, code: str) -> HttpResponse:
    town = town_by_code(code)
    if not town_profile_is_public(town):
        raise Http404
    document = KINDS["town_profile"].build(town)
    return _pdf_response(render_pdf(document), document.filename, public=True)


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def town_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    town = town_by_code(code)
    if fmt not in QR_TYPES or not town_profile_is_public(town):
        raise Http404
    response = HttpResponse(qr_bytes(town.code, fmt), content_type=QR_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="town-code-{town.code}.{fmt}"'
    return response


@login_not_required
@require_GET
def objection_receipt(request: HttpRequest, token: str) -> HttpResponse:
    pk = objection_from_token(token)
    if pk is None:
        raise Http404
    objection = get_object_or_404(Objection.objects.select_related("publication__programme", "entry"), pk=pk)
    document = KINDS["objection_receipt"].build(objection)
    return _pdf_response(render_pdf(document), document.filename, public=False)


@login_not_required
@require_GET
def objection_receipt_page(request: HttpRequest, token: str) -> HttpResponse:
    pk = objection_from_token(token)
    if pk is None:
        raise Http404
    objection = get_object_or_404(Objection.objects.select_related("publication", "entry"), pk=pk)
    response = render(request, "documents/objection_receipt.html",
                      {"objection": objection, "number": objection_number(objection), "token": token})
    response["Cache-Control"] = "private, no-store"
    return response


def office_settings(request: AuthedRequest, policy_id: str) -> HttpResponse:
    programme = get_object_or_404(Programme, policy_id=policy_id)
    can_manage_office.require(request.user, programme)
    office = office_for(programme)
    initial = {"letterhead_zh": office.letterhead, "number_prefix": office.number_prefix,
               "issuer_zh": office.issuer_zh, "issuer_en": office.issuer_en}
    form = OfficeProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if run_action(request, form, lambda d: actions.save_office_profile(programme=programme, by=request.user, **d),
                  success=("发文设置已保存", "Office details saved")):
        return redirect("documents:office", policy_id=policy_id)
    has_seal = OfficeProfile.objects.filter(programme=programme).exclude(seal="").exists()
    return render(request, "documents/office.html", {"programme": programme, "form": form, "office": office,
                                                     "has_seal": has_seal, "kinds": KINDS.values()})
