"""Who may import enterprise figures, run per-mu evaluations and see their results: named predicates.

    can_manage_enterprises(user, county)  a county office whose scope holds the county
                                          (imports, runs, notice, objections, publishing)
    counties_managed(user)                the counties a user may manage
    visible_runs(user)                    officers and auditors: runs in their region;
                                          everyone signed in: runs put on notice or published
    can_view_run(user, run)

A county office never runs another county's evaluation, and a city reviewer reads but does not run.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import in_scope, is_active, scope_q
from portal.rules import rule
from regions.models import Region

from .models import PerMuRun


@rule("只有本县(区)办公室可以管理本县企业数据和亩均评价",
      "only the county's own office manages its enterprise figures and per-mu evaluations")
def can_manage_enterprises(user: Any, county: Region | None) -> bool:
    return (is_active(user) and user.role == Role.COUNTY_OFFICE and county is not None
            and county.level == Region.Level.COUNTY and in_scope(user, county))


def counties_managed(user: Any) -> QuerySet[Region]:
    if not (is_active(user) and user.role == Role.COUNTY_OFFICE):
        return Region.objects.none()
    return Region.objects.filter(scope_q(user, "code"), level=Region.Level.COUNTY)


def visible_runs(user: Any) -> QuerySet[PerMuRun]:
    if not is_active(user):
        return PerMuRun.objects.none()
    public = Q(status__in=[PerMuRun.Status.NOTICE, PerMuRun.Status.PUBLISHED])
    return PerMuRun.objects.filter(scope_q(user, "county__code") | public)


def can_view_run(user: Any, run: PerMuRun) -> bool:
    return visible_runs(user).filter(pk=run.pk).exists()


@rule("只有该园区所在地区的主管部门可以管理培育库和奖励",
      "only officers of the zone's region manage its cultivation pool and rewards")
def can_manage_pools(user: Any, town: Any) -> bool:
    """Officers (province, city, county) whose scope holds the zone: the cultivation pool and rewards (001 §三(四))."""
    from accounts.permissions import is_officer

    return is_officer(user) and in_scope(user, town.region)
