"""Town pages. Each view parses, authorises (towns.permissions), calls one action or
selector, and responds. A refusal raises NotAllowed → the bilingual 403 page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.forms_util import query_without_page, run_action
from portal.pagination import page_of

from . import actions
from .extensions import town_page_sections
from .forms import ChangeTierForm, ExtensionApprovalForm, TownCreateForm, TownFilterForm
from .models import Enrolment, Town
from .permissions import can_change_tier, can_create_towns, can_view_town, visible_towns
from .selectors import offer_tier_changes, town_list_queryset, town_sections


def town_list(request: AuthedRequest) -> HttpResponse:
    form = TownFilterForm(request.GET or None, user=request.user)
    towns = town_list_queryset(form.filter(visible_towns(request.user)))
    page = page_of(request, towns)
    context = {"form": form, "page_obj": page, "query_without_page": query_without_page(request),
               "can_create": can_create_towns(request.user)}
    template = "towns/_town_table.html" if request.headers.get("HX-Request") else "towns/town_list.html"
    return render(request, template, context)


def town_detail(
    request: AuthedRequest, code: str, change_forms: dict | None = None, status: int = 200, approval_forms: dict | None = None
) -> HttpResponse:
    town = get_object_or_404(Town.objects.select_related("region__parent__parent", "managing_body"), code=code)
    can_view_town.require(request.user, town)
    sections = town_sections(town)
    offer_tier_changes(sections, request.user, change_forms, approval_forms)
    return render(request, "towns/town_detail.html",
                  {"town": town, "sections": sections, "enterprises": town.enterprises.all(),
                   "extra_sections": town_page_sections(request, town)}, status=status)


def town_create(request: AuthedRequest) -> HttpResponse:
    can_create_towns.require(request.user)
    form = TownCreateForm(request.POST or None, user=request.user)
    if done := run_action(request, form, lambda d: actions.create_town(by=request.user, **d),
                          success=lambda town: (f"已新建小镇：{town.name_zh}", f"Town created: {town.code}")):
        return redirect("towns:detail", code=done.result.code)
    return render(request, "towns/town_form.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def enrolment_change_tier(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("town__region", "programme"), pk=pk, town__code=code)
    can_change_tier.require(request.user, enrolment)
    form = ChangeTierForm(request.POST, enrolment=enrolment)
    if run_action(request, form, lambda d: actions.change_tier(enrolment=enrolment, by=request.user, **d),
                  success=("层级已调整", "Tier changed")):
        return redirect("towns:detail", code=code)
    return town_detail(request, code, change_forms={enrolment.pk: form}, status=400)


@require_POST
def enrolment_record_approval(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("town__region", "programme"), pk=pk, town__code=code)
    can_change_tier.require(request.user, enrolment)
    form = ExtensionApprovalForm(request.POST, enrolment=enrolment)
    if run_action(request, form, lambda d: actions.record_extension_approval(enrolment=enrolment, by=request.user, **d),
                  success=("延期批准已记录", "Extension approval recorded")):
        return redirect("towns:detail", code=code)
    return town_detail(request, code, approval_forms={enrolment.pk: form}, status=400)
