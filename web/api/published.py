"""Pull operations over what the province publishes: lists (名单) and annual assessment results.

Each reads the owning app's own predicates and selectors (``lists.permissions.visible_publications``,
``assessments.selectors.published_results``) for the token's user.
"""

from __future__ import annotations

from ninja import Query, Router

from . import selectors
from .errors import ERRORS
from .schemas import (
    AssessmentPage,
    ListDetailOut,
    ListPage,
    ListQuery,
    PageQuery,
    ProgrammeId,
    Year,
)

router = Router()


@router.get("/lists/", response={200: ListPage, **ERRORS}, tags=["published lists"],
            summary="公布的名单 / Published lists")
def list_lists(request, q: Query[ListQuery]):
    """Lists put on notice or made final (and, for the officers who publish them, their drafts)."""
    selectors.refuse_unknown_parameters(request, ListQuery)
    publications = selectors.lists_for(request.user, programme=q.programme, year=q.year, tier=q.tier, status=q.status)
    return selectors.page_of(publications, page=q.page, page_size=q.page_size, row=selectors.list_row)


@router.get("/lists/{list_id}", response={200: ListDetailOut, **ERRORS}, tags=["published lists"],
            summary="一份名单及其小镇 / One list with its towns")
def get_list(request, list_id: int):
    selectors.refuse_unknown_parameters(request, None)
    return selectors.list_detail(selectors.list_for(request.user, list_id))


@router.get("/programmes/{programme_id}/assessments/{year}", response={200: AssessmentPage, **ERRORS},
            tags=["assessment results"], summary="年度考核结果 / Published annual assessment results")
def list_assessment_results(request, programme_id: ProgrammeId, year: Year, q: Query[PageQuery]):
    """Town by town: tier assessed → tier decided, the transition and clause, grade, score, stars,
    reasons and every criterion with its values and thresholds. Empty until the run is published."""
    selectors.refuse_unknown_parameters(request, PageQuery)
    programme = selectors.programme_for(request.user, programme_id)
    results = selectors.assessment_results_for(request.user, programme, year)
    return selectors.page_of(results, page=q.page, page_size=q.page_size, row=selectors.assessment_row)
