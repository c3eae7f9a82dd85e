"""Push operations: quarterly reports from a local platform, at most once per idempotency key.

The checks are the platform's own (``reports.actions.submit_report_values``: the same as an
Excel upload); who may push for which town is ``reports.permissions.can_file_report`` for the
token's user — a town body for its own town, a county office for its county's towns.
"""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router, Status

from accounts.requests import TokenRequest

from . import actions, selectors
from .errors import ERRORS, ErrorOut
from .schemas import ReportOut, ReportPage, ReportPushIn, ReportQuery

router = Router()


@router.post("/reports/", response={200: ReportOut, 201: ReportOut, 409: ErrorOut, **ERRORS}, tags=["reports"],
             summary="报送季度报告 / Push a quarterly report")
def push_report(request: TokenRequest, response: HttpResponse, body: ReportPushIn):
    """A patch unless ``"mode": "replace"``: only the indicators (null clears one) and ledger rows
    sent change; a first submission is the whole report either way. 201 when stored; 200 with the same answer when the same key and body come again (header
    ``Idempotent-Replayed: true``); 409 when the key was used with another body; 422 listing
    every problem with its indicator when the values fail the checks (nothing is stored)."""
    selectors.refuse_unknown_parameters(request, None)
    town = selectors.town_for(request.user, body.town)
    programme = selectors.programme_for(request.user, body.programme)
    result = actions.push_report(
        town=town, programme=programme, period=body.period, values=body.values, mode=body.mode,
        ledger=[row.model_dump() for row in body.ledger],
        key=body.idempotency_key, by=request.user,
        token=request.auth, answer=selectors.report_row,
    )
    response["Idempotent-Replayed"] = "true" if result.replayed else "false"
    return Status(200 if result.replayed else 201, result.push.response)


@router.get("/reports/", response={200: ReportPage, **ERRORS}, tags=["reports"],
            summary="季度报告 / Quarterly reports you may see")
def list_reports(request: TokenRequest, q: Query[ReportQuery]):
    selectors.refuse_unknown_parameters(request, ReportQuery)
    reports = selectors.reports_for(request.user, programme=q.programme, period=q.period, town=q.town)
    return selectors.page_of(reports, page=q.page, page_size=q.page_size, row=selectors.report_row)
