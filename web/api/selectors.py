"""Read side of the API: every list is scoped by the platform's own predicates and
loads a page in a fixed number of queries (see tests/web/api/test_query_counts.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from portal.bilingual import pair_of
from programmes.models import Programme, deferred_document
from programmes.permissions import visible_programmes
from towns.models import Enrolment, TierChange, Town
from towns.permissions import visible_enrolments, visible_towns
from xiaozhen.verdicts import outcome_from_json

from .errors import ApiError, not_found

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from assessments.models import Proposal
    from lists.selectors import PublicationRow
    from reports.models import Report


def refuse_unknown_parameters(request: HttpRequest, schema: type | None = None) -> None:
    """A misspelt filter (``?regoin=``) is refused, naming it, rather than silently ignored."""
    allowed = set(getattr(schema, "model_fields", {}) or {})
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "无 / none"
        raise ApiError(422, "validation_error", "请求内容有误，请逐项修改", "The request is not valid: fix each problem listed", [
            {"field": name, "message_zh": f"未知的查询参数“{name}”(可用：{known})",
             "message_en": f"unknown query parameter {name!r} (known: {known})"} for name in unknown])


def page_of(queryset: QuerySet, *, page: int, page_size: int, row: Callable[[Any], dict]) -> dict[str, Any]:
    count = queryset.count()
    start = (page - 1) * page_size
    items = [row(obj) for obj in queryset[start:start + page_size]] if start < count else []
    return {"page": page, "page_size": page_size, "count": count, "pages": max(1, math.ceil(count / page_size)),
            "items": items}


# --- programmes ---------------------------------------------------------------------------

def programmes_for(user: User) -> QuerySet[Programme]:
    return (visible_programmes(user).select_related("current_version").defer(*deferred_document("current_version"))
            .order_by("policy_id"))


def programme_for(user: User, policy_id: str) -> Programme:
    programme = programmes_for(user).filter(policy_id=policy_id).first()
    if programme is None:
        raise not_found(f"没有编号为 {policy_id} 的项目", f"No programme with id {policy_id}")
    return programme


def programme_row(p: Programme) -> dict[str, Any]:
    v = p.current_version
    assert v is not None  # visible_programmes keeps only programmes with a version
    return {"id": p.policy_id, "name_zh": p.name_zh, "name_en": p.name_en, "short_name_zh": p.short_name_zh,
            "short_name_en": p.short_name_en, "programme_type": p.programme_type, "region_code": p.region_code,
            "current_version": {"number": v.number, "content_hash": v.content_hash,
                                "effective_from": v.effective_from}}


# --- towns --------------------------------------------------------------------------------

def region_prefix(code: str) -> str:
    """The GB/T 2260 prefix of everything inside a region code: 450000 → 45, 450100 → 4501."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def towns_for(user: User, *, region: str | None = None, programme: str | None = None) -> QuerySet[Town]:
    towns = visible_towns(user).select_related("region").defer("boundary_geojson")
    if region:
        towns = towns.filter(region__code__startswith=region_prefix(region))
    if programme:
        towns = towns.filter(Exists(Enrolment.objects.filter(town=OuterRef("pk"), programme__policy_id=programme)))
    return towns.order_by("code")


def town_for(user: User, code: str) -> Town:
    town = visible_towns(user).select_related("region").filter(code=code).first()
    if town is None:
        # Not there, or not the caller's to see: the same answer, so scope does not leak.
        raise not_found(f"没有编号为 {code} 的小镇(或您无权查看)", f"No town {code} (or not yours to see)")
    return town


def town_row(t: Town) -> dict[str, Any]:
    r = t.region
    return {"code": t.code, "name_zh": t.name_zh, "name_en": t.name_en,
            "region": {"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level},
            "city_code": r.city_code, "province_code": r.province_code,
            "category": t.category, "sub_sector": t.sub_sector}


# --- enrolments and tiers -----------------------------------------------------------------

def enrolments_for(user: User, *, programme: str | None = None, town: str | None = None, tier: str | None = None,
                   open: bool | None = None) -> QuerySet[Enrolment]:
    enrolments = visible_enrolments(user).filter(programme__in=visible_programmes(user))
    if programme:
        enrolments = enrolments.filter(programme__policy_id=programme)
    if town:
        enrolments = enrolments.filter(town__code=town)
    if tier:
        enrolments = enrolments.filter(tier=tier)
    if open is not None:
        enrolments = enrolments.filter(ended_on__isnull=open)
    # A row needs each version's hash and the current policy (cached by hash), never the documents themselves:
    # decoding them took most of the request (benchmarks/bench_load.py).
    history = (TierChange.objects.select_related("programme_version").defer(*deferred_document("programme_version"))
               .order_by("effective_on", "id"))
    return (
        enrolments.select_related("town__region", "programme__current_version", "programme_version")
        .defer("town__boundary_geojson", *deferred_document("programme__current_version"),
               *deferred_document("programme_version"))
        .prefetch_related(Prefetch("tier_changes", queryset=history))
        .order_by("programme__policy_id", "town__code", "started_on", "id")
    )


def enrolment_row(e: Enrolment) -> dict[str, Any]:
    label = pair_of(e.tier_label) or (e.tier, e.tier)
    return {
        "id": e.pk, "town_code": e.town.code, "town_name_zh": e.town.name_zh, "programme": e.programme.policy_id,
        "category": e.effective_category, "sub_sector": e.effective_sub_sector,
        "initial_tier": e.initial_tier, "started_on": e.started_on,
        "tier": e.tier, "tier_label_zh": label[0], "tier_label_en": label[1] or label[0],
        "tier_since": e.tier_since, "ended_on": e.ended_on,
        "programme_version_hash": e.programme_version.content_hash,
        "tier_history": [
            {"from_tier": c.from_tier, "to_tier": c.to_tier, "effective_on": c.effective_on,
             "transition_id": c.transition_id, "clause": c.clause, "reason": c.reason,
             "decision_ref": c.decision_ref, "programme_version_hash": c.programme_version.content_hash}
            for c in e.tier_changes.all()
        ],
    }


# --- quarterly reports ----------------------------------------------------------------------

def reports_for(user: User, *, programme: str | None = None, period: str | None = None,
                town: str | None = None) -> QuerySet[Report]:
    from reports.models import ReportRevision
    from reports.permissions import visible_reports

    reports = visible_reports(user).filter(reporting_period__programme__in=visible_programmes(user))
    if programme:
        reports = reports.filter(reporting_period__programme__policy_id=programme)
    if period:
        reports = reports.filter(reporting_period__period=period)
    if town:
        reports = reports.filter(town__code=town)
    latest = ReportRevision.objects.order_by("-number")
    return (
        reports.select_related("town", "reporting_period__programme")
        .prefetch_related(Prefetch("revisions", queryset=latest, to_attr="revisions_latest_first"))
        .order_by("reporting_period__programme__policy_id", "-reporting_period__period", "town__code")
    )


def report_row(report: Report) -> dict[str, Any]:
    revisions = getattr(report, "revisions_latest_first", None)
    if revisions is None:
        latest = report.revisions.order_by("-number").values_list("number", flat=True).first()
    else:
        latest = revisions[0].number if revisions else None
    return {
        "id": report.pk, "town": report.town.code, "programme": report.reporting_period.programme.policy_id,
        "period": report.reporting_period.period, "status": report.status,
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "revision": latest, "values": dict(report.values),
        "ledger": [{"project_name": r.get("project_name", ""), "project_type": r.get("project_type", ""),
                    "planned_investment": r.get("planned_investment"),
                    "completed_investment": r.get("completed_investment")} for r in report.ledger],
    }


# --- published lists ------------------------------------------------------------------------

def lists_for(user: User, *, programme: str | None = None, year: int | None = None, tier: str | None = None,
              status: str | None = None) -> QuerySet[PublicationRow]:
    from lists.permissions import visible_publications
    from lists.selectors import publication_rows

    publications = visible_publications(user)
    if programme:
        publications = publications.filter(programme__policy_id=programme)
    if year:
        publications = publications.filter(year=year)
    if tier:
        publications = publications.filter(tier=tier)
    if status:
        publications = publications.filter(status=status)
    return publication_rows(publications).select_related("programme_version").defer(*deferred_document("programme_version"))


def list_for(user: User, pk: int) -> PublicationRow:
    found = lists_for(user).filter(pk=pk).prefetch_related("entries").first()
    if found is None:
        raise not_found(f"没有编号为 {pk} 的名单(或您无权查看)", f"No list {pk} (or not yours to see)")
    return found


def list_row(publication: PublicationRow) -> dict[str, Any]:
    label = pair_of(publication.tier_label) or (publication.tier, publication.tier)
    return {
        "id": publication.pk, "programme": publication.programme.policy_id,
        "programme_version_hash": publication.programme_version.content_hash,
        "tier": publication.tier, "tier_label_zh": label[0], "tier_label_en": label[1] or label[0],
        "year": publication.year, "title_zh": publication.title_zh, "title_en": publication.title_en,
        "document_number": publication.document_number, "status": publication.status,
        "notice_opens_on": publication.notice_opens_on, "notice_closes_on": publication.notice_closes_on,
        "noticed_at": publication.noticed_at, "finalised_at": publication.finalised_at,
        "supersedes": publication.supersedes_id, "entry_count": publication.entry_count,
    }


def list_detail(publication: PublicationRow) -> dict[str, Any]:
    entries = sorted(publication.entries.all(), key=lambda e: e.position)
    return {**list_row(publication), "entries": [
        {"position": e.position, "town_code": e.town_code, "town_name_zh": e.town_name_zh,
         "town_name_en": e.town_name_en, "county_zh": e.county_zh, "county_en": e.county_en,
         "category": e.category, "category_zh": e.category_zh, "category_en": e.category_en,
         "sub_sector": e.sub_sector, "removed": e.removed, "removed_reason": e.removed_reason}
        for e in entries]}


# --- assessment results ---------------------------------------------------------------------

def assessment_results_for(user: User, programme: Programme, year: int) -> QuerySet[Proposal]:
    from assessments.selectors import published_results

    return published_results(user, programme, year).select_related("run")


def assessment_row(p: Proposal) -> dict[str, Any]:
    run = p.run
    return {
        "town_code": p.town.code, "town_name_zh": p.town.name_zh, "region_code": p.town.region.code,
        "year": run.year, "tier": p.tier, "next_tier": p.next_tier, "action": p.action,
        "transition_id": p.transition_id, "clause": p.clause, "annual_met": p.annual_met, "grade": p.grade,
        "score": p.score, "star_rating": p.star_rating, "risk_grade": p.risk_grade, "excellent": p.excellent,
        "overridden": p.overridden, "override_reason": p.override_reason, "reasons": [str(r) for r in p.reasons],
        "outcomes": [
            {"criterion": o.criterion_id, "label_zh": o.label.zh, "label_en": o.label.en, "clause": o.clause,
             "severity": o.severity, "outcome": o.outcome, "values": o.values, "thresholds": o.thresholds}
            for o in map(outcome_from_json, p.outcomes)],
        "effective_on": p.tier_change.effective_on if p.tier_change else None,
        "document_number": run.document_number, "published_at": run.published_at,
        "programme_version_hash": run.programme_version.content_hash,
    }
