"""The town's industry-chain panorama page, and its investment-attraction list as XLSX and PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from towns.models import Town
from towns.permissions import can_view_town
from xiaozhen.chains import panorama_graph

from .exports import HEADERS, attraction_rows, attraction_xlsx
from .selectors import town_panoramas


def _town(request: HttpRequest, code: str) -> Town:
    try:
        town = Town.objects.select_related("region").get(code=code)
    except Town.DoesNotExist:
        raise Http404 from None
    can_view_town.require(request.user, town)
    return town


def town_chains(request: HttpRequest, code: str) -> HttpResponse:
    town = _town(request, code)
    english = get_language() == "en"
    panoramas = town_panoramas(town)
    charts = [{"id": f"chain-{i}", "option": panorama_graph(p.panorama, english=english)}
              for i, p in enumerate(panoramas, 1)]
    return render(request, "industry_chains/town.html",
                  {"town": town, "panoramas": list(zip(panoramas, charts, strict=True))})


def attraction_list_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    town = _town(request, code)
    data = attraction_xlsx(town.name_zh, [p.panorama for p in town_panoramas(town)])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="attract-{town.code}.xlsx"'
    return response


def attraction_list_pdf(request: HttpRequest, code: str) -> HttpResponse:
    from weasyprint import HTML

    town = _town(request, code)
    rows = attraction_rows([p.panorama for p in town_panoramas(town)])
    html = render_to_string("industry_chains/attract_pdf.html",
                            {"town": town, "headers": HEADERS, "rows": rows, "today": timezone.localdate()})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="attract-{town.code}.pdf"'
    return response
