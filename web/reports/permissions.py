"""Who may file, see and publish quarterly reports: named predicates, scoped by region.

    visible_reports(user)                   reports of the towns the user may see
    can_view_report(user, report)
    can_view_town_reports(user, town)
    can_file_report(user, town)             the town body for its own town; a county office for its county's towns
    can_bulk_upload(user)                   county offices (for the towns filing_towns gives)
    filing_towns(user, programme)           the towns of a programme the user may file for
    can_follow_reporting(user)              officers and auditors: period pages and the late list (their towns only)
    can_manage_reporting(user, programme)   the programme's deciding role in its region: open periods, bulletins
    can_view_bulletin(user, bulletin)       published: users whose scope meets the programme's region; drafts: managers
    visible_bulletins(user)

A bulletin's scope (``policy.reporting.bulletin_scope``) is, for every shipped programme,
an internal circulation (全区通报, 全省通报, 在一定范围内进行通报): it is shown to signed-in
users of the programme's region, never on a public page.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import REGION_SCOPED_ROLES, in_scope, is_active, is_officer, scope_prefix
from portal.rules import rule
from programmes.models import Programme, deferred_document
from programmes.permissions import deciding_roles
from towns.models import Town
from towns.permissions import can_view_town, visible_towns

from .models import Bulletin, Report


def visible_reports(user) -> QuerySet[Report]:
    return Report.objects.filter(town__in=visible_towns(user))


def can_view_report(user, report: Report) -> bool:
    return can_view_town(user, report.town)


def can_view_town_reports(user, town: Town) -> bool:
    """Whoever may see the town sees its reports (another city's reviewer does not)."""
    return can_view_town(user, town)


@rule("无权为此小镇报送", "you may not report for this town")
def can_file_report(user, town: Town) -> bool:
    if not is_active(user):
        return False
    if user.role == Role.TOWN_BODY:
        return user.town_id == town.pk
    if user.role == Role.COUNTY_OFFICE:
        return in_scope(user, town.region)
    return False


def filing_towns(user, programme: Programme) -> QuerySet[Town]:
    """Towns with an open enrolment in ``programme`` that ``user`` may file reports for."""
    towns = Town.objects.filter(enrolments__programme=programme, enrolments__ended_on__isnull=True)
    if not is_active(user) or user.role not in (Role.TOWN_BODY, Role.COUNTY_OFFICE):
        return towns.none()
    return towns.filter(pk__in=visible_towns(user)).distinct()


def can_bulk_upload(user) -> bool:
    """A county office uploads one workbook for many of its towns (filing_towns limits which)."""
    return is_active(user) and user.role == Role.COUNTY_OFFICE


def can_follow_reporting(user) -> bool:
    return is_active(user) and user.role in REGION_SCOPED_ROLES


def can_manage_reporting(user, programme: Programme) -> bool:
    if not is_officer(user) or user.role not in deciding_roles(programme):
        return False
    return programme.region is None or in_scope(user, programme.region)


def _meets_programme_region(user, programme: Programme) -> bool:
    """Whether the user's scope and the programme's region overlap (either holds the other)."""
    if programme.region is None:
        return True
    if user.role == Role.TOWN_BODY:
        return user.town is not None and programme.covers(user.town.region)
    prefix = scope_prefix(user)
    if prefix is None:
        return False
    region_prefix = programme.region.scope_prefix
    return prefix.startswith(region_prefix) or region_prefix.startswith(prefix)


def can_view_bulletin(user, bulletin: Bulletin) -> bool:
    if not is_active(user) or user.role == Role.EXPERT:
        return False
    programme = bulletin.reporting_period.programme
    if bulletin.status == Bulletin.Status.DRAFT:
        return can_manage_reporting(user, programme)
    return _meets_programme_region(user, programme)


def visible_bulletins(user) -> QuerySet[Bulletin]:
    bulletins = Bulletin.objects.select_related("reporting_period__programme__region")
    if not is_active(user) or user.role == Role.EXPERT:
        return bulletins.none()
    programmes = Programme.objects.select_related("region", "current_version").defer(
        *deferred_document("current_version"))
    published = [p.pk for p in programmes if _meets_programme_region(user, p)]
    managed = [p.pk for p in programmes if p.current_version_id and can_manage_reporting(user, p)]
    return bulletins.filter(
        reporting_period__programme__in=published, status=Bulletin.Status.PUBLISHED
    ) | bulletins.filter(reporting_period__programme__in=managed)
