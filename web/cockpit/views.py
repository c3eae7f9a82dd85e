"""The cockpit page, its data endpoints and its XLSX downloads."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from portal.forms_util import run_action
from programmes.models import Programme
from regions.models import Region

from . import actions, selectors
from .charts import kpi_charts, trend_charts
from .colourings import colourings
from .export import PANELS, panel_sheets
from .forms import BaseLayerForm
from .permissions import can_upload_base_layer, can_view_cockpit, cockpit_region_allowed


def _region(request: HttpRequest) -> Region:
    """The region asked for (?region=, default the user's own), once the user may see it."""
    can_view_cockpit.require(request.user)
    user: Any = request.user
    code = request.GET.get("region") or (user.region.code if user.region_id else "")
    region = get_object_or_404(Region.objects.select_related("parent"), code=code) if code else Region.objects.filter(level="province").order_by("code").first()
    if region is None:
        raise Region.DoesNotExist
    cockpit_region_allowed.require(request.user, region)
    return region


def _chosen(programmes: list[Programme], region: Region, wanted: str) -> Programme | None:
    """?programme= (pk or policy id), else the region's own programme, else the one with most towns here."""
    programme = next((p for p in programmes if str(p.pk) == wanted or p.policy_id == wanted), None)
    if programme is None and programmes:
        programme = selectors.main_programme(region, programmes)
    return programme


def _scope(request: HttpRequest) -> tuple[Region, Programme | None, str, list[Programme]]:
    """The region, programme (?programme=) and colouring (?colour=), with the region's programmes for the page."""
    region = _region(request)
    programmes = selectors.programmes_in(region)
    programme = _chosen(programmes, region, request.GET.get("programme", ""))
    return region, programme, request.GET.get("colour", "tier"), programmes


def _programme_pk(request: HttpRequest, region: Region) -> int:
    """The chosen programme's key alone, cached under the data stamp: the data endpoints need no Programme
    row unless they build their answer (one query and its compilation less on every map request)."""
    wanted = request.GET.get("programme", "")

    def build() -> int:
        programme = _chosen(selectors.programmes_in(region), region, wanted)
        return programme.pk if programme else 0

    return selectors.cached(f"pick:{region.code}:{wanted}", build)


def cockpit(request: HttpRequest) -> HttpResponse:
    region, programme, colour, programmes = _scope(request)
    trail: list[Region] = []
    r: Region | None = region
    while r is not None and cockpit_region_allowed(request.user, r):
        trail.insert(0, r)
        r = r.parent
    rankings, kpis = selectors.rankings(region, programme), selectors.kpis(region)
    grades, reports = selectors.grades_by_year(region, programme), selectors.reports_on_time(region, programme)
    return render(request, "cockpit/cockpit.html", {
        "region": region, "programme": programme, "programmes": programmes, "colour": colour,
        "colourings": colourings(), "trail": trail, "kpis": kpis, "kpi_charts": kpi_charts(kpis),
        "rankings": rankings, "grades": grades, "reports": reports, "trends": trend_charts(rankings, grades, reports),
        "children": selectors.drilldown(region),
        "towns": selectors.county_towns(region, programme) if region.level == Region.Level.COUNTY else [],
        "base_layer": selectors.base_layer_caption(region), "panels": PANELS,
        "may_upload_base": can_upload_base_layer(request.user, region),
        "query": request.GET.urlencode(), "stamp": selectors.data_stamp(), "lang": get_language(),
    })


def map_data(request: HttpRequest) -> HttpResponse:
    """The map option; an ETag of the data stamp lets the browser keep its copy (304) until the data change."""
    region = _region(request)
    pk, colour = _programme_pk(request, region), request.GET.get("colour", "tier")
    etag = f'"{selectors.data_stamp()}-{region.code}-{pk}-{colour}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(selectors.map_json_by_pk(region, pk, colour), content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def kpi_data(request: HttpRequest) -> JsonResponse:
    region = _region(request)
    return JsonResponse({"region": region.code, "targets": selectors.kpis(region)}, json_dumps_params={"ensure_ascii": False})


def export(request: HttpRequest, panel: str) -> HttpResponse:
    region, programme, colour, _ = _scope(request)
    from xiaozhen._output import write_xlsx

    sheets = panel_sheets(panel, region, programme, colour)
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="cockpit-{region.code}-{panel}.xlsx"'
    return response


def base_layer_upload(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    region = user.region
    can_upload_base_layer.require(user, region)
    form = BaseLayerForm(request.POST or None, request.FILES or None)
    if run_action(request, form, lambda d: actions.upload_base_layer(
            region=region, name=d["name"], approval_number=d["approval_number"], data=d["file"].read(),
            filename=d["file"].name, by=user), success=("底图已保存", "Base layer saved")):
        return redirect("cockpit:index")
    return render(request, "cockpit/base_layer.html", {"form": form, "region": region}, status=400 if form.errors else 200)
