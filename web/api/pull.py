"""Pull operations: what a local platform reads. One operation, one function; each lists
only what the token's user sees in the pages (the same predicates)."""

from __future__ import annotations

from ninja import Query, Router

from . import selectors
from .errors import ERRORS
from .schemas import (
    EnrolmentOut,
    EnrolmentPage,
    EnrolmentQuery,
    MeOut,
    PageQuery,
    ProgrammeId,
    ProgrammeOut,
    ProgrammePage,
    TownCode,
    TownOut,
    TownPage,
    TownQuery,
)

router = Router()


@router.get("/me", response={200: MeOut, **ERRORS}, tags=["me"], summary="令牌代表的用户 / Who the token acts as")
def me(request):
    selectors.refuse_unknown_parameters(request, None)
    user, token = request.user, request.auth
    return {"username": user.get_username(), "full_name": user.full_name, "role": user.role,
            "region_code": user.region.code if user.region_id else None,
            "town_code": user.town.code if user.town_id else None,
            "token_name": token.name, "token_expires_at": token.expires_at}


@router.get("/programmes/", response={200: ProgrammePage, **ERRORS}, tags=["programmes"],
            summary="政策项目 / Programmes")
def list_programmes(request, q: Query[PageQuery]):
    selectors.refuse_unknown_parameters(request, PageQuery)
    return selectors.page_of(selectors.programmes_for(request.user), page=q.page, page_size=q.page_size,
                             row=selectors.programme_row)


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS}, tags=["programmes"],
            summary="一个政策项目 / One programme")
def get_programme(request, programme_id: ProgrammeId):
    selectors.refuse_unknown_parameters(request, None)
    return selectors.programme_row(selectors.programme_for(request.user, programme_id))


@router.get("/towns/", response={200: TownPage, **ERRORS}, tags=["towns"], summary="小镇 / Towns")
def list_towns(request, q: Query[TownQuery]):
    selectors.refuse_unknown_parameters(request, TownQuery)
    towns = selectors.towns_for(request.user, region=q.region, programme=q.programme)
    return selectors.page_of(towns, page=q.page, page_size=q.page_size, row=selectors.town_row)


@router.get("/towns/{town_code}", response={200: TownOut, **ERRORS}, tags=["towns"], summary="一个小镇 / One town")
def get_town(request, town_code: TownCode):
    selectors.refuse_unknown_parameters(request, None)
    return selectors.town_row(selectors.town_for(request.user, town_code))


@router.get("/enrolments/", response={200: EnrolmentPage, **ERRORS}, tags=["enrolments and tiers"],
            summary="入选记录与层级(含层级变更历史) / Enrolments and tiers, with tier history")
def list_enrolments(request, q: Query[EnrolmentQuery]):
    selectors.refuse_unknown_parameters(request, EnrolmentQuery)
    enrolments = selectors.enrolments_for(request.user, programme=q.programme, town=q.town, tier=q.tier, open=q.open)
    return selectors.page_of(enrolments, page=q.page, page_size=q.page_size, row=selectors.enrolment_row)


@router.get("/towns/{town_code}/enrolments", response={200: list[EnrolmentOut], **ERRORS},
            tags=["enrolments and tiers"], summary="一个小镇的层级 / One town's tiers in every programme")
def town_enrolments(request, town_code: TownCode):
    selectors.refuse_unknown_parameters(request, None)
    town = selectors.town_for(request.user, town_code)
    return [selectors.enrolment_row(e) for e in selectors.enrolments_for(request.user, town=town.code)]
