"""Boundary pages: upload a town's boundary, upload and list red-line layers (with the progress of each layer's
comparison with the towns, polled by HTMX), a town's boundary as GeoJSON."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.requests import AuthedRequest
from portal.forms_util import run_action
from towns.models import Town
from towns.permissions import can_view_town

from . import actions
from .forms import BoundaryUploadForm, RedLineUploadForm
from .models import BoundaryVersion
from .permissions import can_manage_red_lines, can_upload_boundary, visible_red_line_layers


def boundary_upload(request: AuthedRequest, code: str) -> HttpResponse:
    town = get_object_or_404(Town.objects.select_related("region"), code=code)
    can_upload_boundary.require(request.user, town)
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if run_action(request, form, lambda d: actions.upload_boundary(
            town=town, layer=d["layer"], reason=d["reason"], by=request.user, **form.file_args()),
            success=lambda v: (f"已保存边界 v{v.number}：{v.area_km2:.4f} 平方公里",
                               f"Boundary v{v.number} saved: {v.area_km2:.4f} km²")):
        return redirect(reverse("towns:detail", args=[town.code]) + "#boundary")
    return render(request, "boundaries/upload.html", {"town": town, "form": form}, status=400 if form.errors else 200)


def red_lines(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    region = user.region if user.is_authenticated else None
    may_upload = can_manage_red_lines(request.user, region)
    form = RedLineUploadForm(request.POST or None, request.FILES or None) if may_upload else None
    if request.method == "POST":
        can_manage_red_lines.require(request.user, region)
        assert form is not None
        assert region is not None  # can_manage_red_lines refuses a user without a region
        if run_action(request, form, lambda d: actions.upload_red_line_layer(
                region=region,
                kind=d["kind"], name=d["name"], dated=d["dated"], source=d["source"], by=request.user,
                **form.file_args()),
                success=lambda layer: (f"已保存控制线图层 v{layer.number}，正在后台与小镇边界比对",
                                       f"Control-line layer v{layer.number} saved; comparing it with the towns "
                                       "in the background")):
            return redirect("boundaries:red_lines")
    layers = visible_red_line_layers(request.user).select_related("region", "uploaded_by").defer("geojson")
    return render(request, "boundaries/red_lines.html", {"layers": layers, "form": form},
                  status=400 if form is not None and form.errors else 200)


def red_line_progress(request: HttpRequest, pk: int) -> HttpResponse:
    layer = get_object_or_404(visible_red_line_layers(request.user).defer("geojson"), pk=pk)
    return render(request, "boundaries/_refresh_progress.html", {"layer": layer})


def boundary_geojson(request: HttpRequest, code: str, pk: int) -> JsonResponse:
    version = get_object_or_404(BoundaryVersion.objects.select_related("town__region"), pk=pk, town__code=code)
    can_view_town.require(request.user, version.town)
    return JsonResponse({"type": "Feature", "properties": {
        "town": version.town.code, "layer": version.layer, "version": version.number,
        "area_m2": round(version.area_m2, 1), "zone_epsg": version.zone_epsg,
        "uploaded_at": version.uploaded_at.isoformat()}, "geometry": json.loads(version.geojson)})
