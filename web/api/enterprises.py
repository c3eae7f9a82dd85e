"""API operations for enterprises and per-mu results (mounted by api.api under /api/).

    POST /api/enterprises/                 push a county's enterprise figures (all rows or none)
    GET  /api/enterprises/?county=&year=   pull the enterprise figures you may see
    GET  /api/per-mu/runs/{id}/results/    pull one evaluation's firms, ranks and classes

The checks are the platform's own (``enterprises.actions.import_enterprises``, the same as an
upload); who may push is ``enterprises.permissions.can_manage_enterprises`` for the token's user.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accounts.permissions import scope_q
from accounts.requests import TokenRequest
from enterprises import actions
from enterprises.models import EnterpriseYear, PerMuResult
from enterprises.permissions import visible_runs
from regions.models import Region

from .errors import ERRORS, ErrorOut, not_found
from .schemas import PageInfo, PageQuery
from .selectors import page_of, refuse_unknown_parameters

router = Router()
COUNTY_PATTERN = r"^\d{6}$"


class EnterprisePushIn(Schema):
    county: str = Field(pattern=COUNTY_PATTERN, description="县(区)行政区划代码 / the county's GB/T 2260 code")
    rows: list[dict[str, Any]] = Field(min_length=1, max_length=100_000,
                                       description="每家企业每年一项，字段同导入文件 / one item per firm per year, "
                                                   "fields as in the import file (docs/per-mu.md)")


class EnterprisePushOut(Schema):
    import_id: int
    rows: int
    years: str


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    year: int
    town: str
    above_scale: bool
    land_mu: float
    tax: float | None
    value_added: float | None
    revenue: float | None
    employees: int | None


class EnterpriseQuery(PageQuery):
    county: str | None = Field(None, pattern=COUNTY_PATTERN)
    year: int | None = Field(None, ge=1949, le=2100)


class EnterprisePage(PageInfo):
    items: list[EnterpriseOut]


class PerMuResultOut(Schema):
    credit_code: str
    name: str
    town: str
    status: str
    total: float | None
    rank: int | None
    klass: str = Field(description="A/B/C/D, or empty when not graded")
    reason: str


class PerMuResultPage(PageInfo):
    items: list[PerMuResultOut]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _enterprise_row(e: EnterpriseYear) -> dict[str, Any]:
    return {"credit_code": e.credit_code, "name": e.name, "year": e.year, "town": e.town.code,
            "above_scale": e.above_scale, "land_mu": float(e.land_owned_mu + e.land_leased_mu), "tax": _float(e.tax),
            "value_added": _float(e.value_added), "revenue": _float(e.revenue), "employees": e.employees}


def _result_row(r: PerMuResult) -> dict[str, Any]:
    return {"credit_code": r.credit_code, "name": r.name, "town": r.town.code, "status": r.status, "total": r.total,
            "rank": r.rank, "klass": r.klass, "reason": r.reason}


@router.post("/enterprises/", response={201: EnterprisePushOut, 409: ErrorOut, **ERRORS}, tags=["enterprises"],
             summary="推送企业年度数据 / Push enterprise figures")
def push_enterprises(request: TokenRequest, body: EnterprisePushIn) -> Any:
    """201 when every row is stored; 422 listing every problem by item and field when any row fails
    (nothing is stored); 403 when the token's user is not that county's office."""
    refuse_unknown_parameters(request, None)
    county = Region.objects.filter(code=body.county, level=Region.Level.COUNTY).first()
    if county is None:
        raise not_found(f"没有代码为 {body.county} 的县(区)", f"No county with code {body.county}")
    content = json.dumps({"rows": body.rows}, ensure_ascii=False).encode("utf-8")
    batch = actions.import_enterprises(by=request.user, county=county, file_name="请求 request", content=content,
                                       json_rows=True)
    return Status(201, {"import_id": batch.pk, "rows": batch.rows, "years": batch.years})


def _enterprises_for(user: Any, county: str | None, year: int | None) -> QuerySet[EnterpriseYear]:
    rows = EnterpriseYear.objects.filter(scope_q(user, "town__region__code")).select_related("town")
    if county:
        rows = rows.filter(town__region__code=county)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("year", "credit_code")


@router.get("/enterprises/", response={200: EnterprisePage, **ERRORS}, tags=["enterprises"],
            summary="企业年度数据 / Enterprise figures you may see")
def list_enterprises(request: HttpRequest, q: Query[EnterpriseQuery]) -> Any:
    refuse_unknown_parameters(request, EnterpriseQuery)
    return page_of(_enterprises_for(request.user, q.county, q.year), page=q.page, page_size=q.page_size,
                   row=_enterprise_row)


@router.get("/per-mu/runs/{run_id}/results/", response={200: PerMuResultPage, **ERRORS}, tags=["enterprises"],
            summary="亩均评价结果 / Results of one per-mu evaluation")
def run_results(request: HttpRequest, run_id: int, q: Query[PageQuery]) -> Any:
    refuse_unknown_parameters(request, PageQuery)
    run = visible_runs(request.user).filter(pk=run_id).first()
    if run is None:
        raise not_found(f"没有编号为 {run_id} 的评价", f"No per-mu evaluation {run_id}")
    results = run.results.select_related("town").order_by("rank", "status", "credit_code")
    return page_of(results, page=q.page, page_size=q.page_size, row=_result_row)
