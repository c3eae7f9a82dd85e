"""Who may file, see and publish quarterly reports: named predicates, scoped by region.

    visible_reports(user)                   reports of the towns the user may see
    can_view_report(user, report)
    can_view_town_reports(user, town)
    can_file_report(user, town)             the town body for its own town; a county office for its county's towns
    can_bulk_upload(user)                   county offices (for the towns filing_towns gives)
    filing_towns(user, programme)           the towns of a programme the user may file for
    can_follow_reporting(user)              officers and auditors: period pages and the late list (their towns only)
    can_manage_reporting(user, programme)   the programme's deciding role in its region: open periods, bulletins
    can_open_periods(user)                  manages reporting for at least one programme (the open-period form)
    can_download_template(user, programme, town_code)   at least one town to pre-fill a template for
    can_view_bulletin(user, bulletin)       published: users whose scope meets the programme's region; drafts: managers
    visible_bulletins(user)

A bulletin's scope (``policy.reporting.bulletin_scope``) is, for every shipped programme,
an internal circulation (全区通报, 全省通报, 在一定范围内进行通报): it is shown to signed-in
users of the programme's region, never on a public page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Role
from accounts.permissions import REGION_SCOPED_ROLES, in_scope, is_active, is_officer, scope_prefix
from portal.rules import rule
from programmes.models import Programme
from programmes.permissions import deciding_roles
from programmes.selectors import programmes_in_force, programmes_with_versions
from towns.models import Town
from towns.permissions import can_view_town, visible_towns

from .models import Bulletin, Report


def visible_reports(user: Any) -> QuerySet[Report]:
    return Report.objects.filter(town__in=visible_towns(user))


@rule("您无权查看此报告", "you may not see this report")
def can_view_report(user: Any, report: Report) -> bool:
    return can_view_town(user, report.town)


@rule("您无权查看此小镇的报告", "you may not see this town's reports")
def can_view_town_reports(user: Any, town: Town) -> bool:
    """Whoever may see the town sees its reports (another city's reviewer does not)."""
    return can_view_town(user, town)


@rule("无权为此小镇报送", "you may not report for this town")
def can_file_report(user: Any, town: Town) -> bool:
    if not is_active(user):
        return False
    if user.role == Role.TOWN_BODY:
        return user.town_id == town.pk
    if user.role == Role.COUNTY_OFFICE:
        return in_scope(user, town.region)
    return False


def filing_towns(user: Any, programme: Programme) -> QuerySet[Town]:
    """Towns with an open enrolment in ``programme`` that ``user`` may file reports for."""
    towns = Town.objects.filter(enrolments__programme=programme, enrolments__ended_on__isnull=True)
    if not is_active(user) or user.role not in (Role.TOWN_BODY, Role.COUNTY_OFFICE):
        return towns.none()
    return towns.filter(pk__in=visible_towns(user)).distinct()


def template_towns(user: Any, programme: Programme, town_code: str = "") -> QuerySet[Town]:
    """The towns a template is pre-filled for: ``filing_towns``, or the one of them named ``town_code``."""
    towns = filing_towns(user, programme)
    return towns.filter(code=town_code) if town_code else towns


@rule("您没有可以报送的小镇", "you have no town to report for here")
def can_download_template(user: Any, programme: Programme, town_code: str = "") -> bool:
    """A template needs at least one town the user files for (the one named, when one is)."""
    return template_towns(user, programme, town_code).exists()


@rule("只有县(区)办公室可以批量上传", "only a county office can upload for many towns")
def can_bulk_upload(user: Any) -> bool:
    """A county office uploads one workbook for many of its towns (filing_towns limits which)."""
    return is_active(user) and user.role == Role.COUNTY_OFFICE


@rule("您无权查看报送进度", "you may not follow reporting")
def can_follow_reporting(user: Any) -> bool:
    return is_active(user) and user.role in REGION_SCOPED_ROLES


@rule("无权管理此项目的报送（开放、关闭期间，生成、发布通报）",
      "you may not manage this programme's reporting (open or close periods, draft or publish bulletins)")
def can_manage_reporting(user: Any, programme: Programme) -> bool:
    if not is_officer(user) or user.role not in deciding_roles(programme):
        return False
    return programme.region is None or in_scope(user, programme.region)


@rule("无权开放报送期间", "you may not open reporting periods")
def can_open_periods(user: Any) -> bool:
    """Whether the user manages reporting for at least one programme with a policy (the open-period form)."""
    if not is_officer(user):
        return False
    programmes = programmes_in_force()
    return any(can_manage_reporting(user, p) for p in programmes)


def _meets_programme_region(user: Any, programme: Programme) -> bool:
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


@rule("您无权查看此通报", "you may not see this bulletin")
def can_view_bulletin(user: Any, bulletin: Bulletin) -> bool:
    if not is_active(user) or user.role == Role.EXPERT:
        return False
    programme = bulletin.reporting_period.programme
    if bulletin.status == Bulletin.Status.DRAFT:
        return can_manage_reporting(user, programme)
    return _meets_programme_region(user, programme)


def visible_bulletins(user: Any) -> QuerySet[Bulletin]:
    bulletins = Bulletin.objects.select_related("reporting_period__programme__region")
    if not is_active(user) or user.role == Role.EXPERT:
        return bulletins.none()
    programmes = programmes_with_versions()
    published = [p.pk for p in programmes if _meets_programme_region(user, p)]
    managed = [p.pk for p in programmes if p.current_version_id and can_manage_reporting(user, p)]
    return bulletins.filter(
        reporting_period__programme__in=published, status=Bulletin.Status.PUBLISHED
    ) | bulletins.filter(reporting_period__programme__in=managed)
