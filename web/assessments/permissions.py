"""Who may run, review, publish and read annual assessments, and record fraud findings.

    can_run_assessment(user, programme)      the programme's deciding role (its file says which,
                                             programmes.permissions.deciding_roles) whose region
                                             holds the programme's region
    can_decide_run(user, run)                the same, for a draft run: re-run, override, risk
                                             review, excellent selection, publish
    can_view_run(user, run)                  deciders, and officers / auditors whose scope holds
                                             the programme or one of its towns (drafts included);
                                             town bodies and experts only published runs
    visible_results(user)                    published proposals of the towns the user may see
    can_record_fraud(user, enrolment)        the deciding role in scope (towns.can_change_tier)
    can_run_whatif(user, run)                the programme's deciding role in its region (the province,
                                             or the office that owns the programme): a what-if on the
                                             run's year, draft or published; never a city or a town

A city reviewer cannot run or publish a province's assessment; a town body sees only its own
published result; the auditor reads and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.permissions import (
    REGION_SCOPED_ROLES,
    in_scope,
    is_active,
    is_officer,
    scope_prefix,
    scope_q,
)
from portal.rules import rule
from programmes.permissions import deciding_roles
from towns.permissions import can_change_tier, visible_towns

from .models import AssessmentRun, FraudFinding, Proposal

if TYPE_CHECKING:
    from programmes.models import Programme
    from towns.models import Enrolment



@rule("无权组织此项目的年度考核", "you may not run this programme's annual assessment")
def can_run_assessment(user: Any, programme: Programme) -> bool:
    if not (is_officer(user) and user.role in deciding_roles(programme)):
        return False
    if programme.region is None:  # a nationwide programme: only a nationwide decider
        return scope_prefix(user) == ""
    return in_scope(user, programme.region)


@rule("无权审定此项考核", "you may not decide this assessment")
def can_decide_run(user: Any, run: AssessmentRun) -> bool:
    return not run.is_published and can_run_assessment(user, run.programme)


@rule("无权对此项考核做改革假设测算", "you may not run a what-if on this assessment")
def can_run_whatif(user: Any, run: AssessmentRun) -> bool:
    """A what-if weighs a change of the programme's rules, so only those who own the rules run it
    (the same office that runs the assessment); it decides nothing, so a published run is fine."""
    return can_run_assessment(user, run.programme)


@rule("您无权查看此项考核", "you may not see this assessment")
def can_view_run(user: Any, run: AssessmentRun) -> bool:
    if not is_active(user):
        return False
    if can_run_assessment(user, run.programme):
        return True
    if user.role in REGION_SCOPED_ROLES:
        if run.programme.region is not None and in_scope(user, run.programme.region):
            return True
        return run.proposals.filter(town__in=visible_towns(user)).exists()
    return run.is_published and run.proposals.filter(town__in=visible_towns(user)).exists()


def visible_runs(user: Any) -> QuerySet[AssessmentRun]:
    """Runs a user may open (one query): region roles see every run of a programme in their scope
    and every run touching their towns, drafts included; others only published runs of their towns."""
    if not is_active(user):
        return AssessmentRun.objects.none()
    touching = Exists(Proposal.objects.filter(run=OuterRef("pk"), town__in=visible_towns(user)))
    if user.role in REGION_SCOPED_ROLES:
        return AssessmentRun.objects.filter(scope_q(user, "programme__region__code") | Q(touching))
    return AssessmentRun.objects.filter(touching, status=AssessmentRun.Status.PUBLISHED)


def visible_results(user: Any) -> QuerySet[Proposal]:
    """Published proposals of the towns the user may see (a town body: its own town only)."""
    return Proposal.objects.filter(run__status=AssessmentRun.Status.PUBLISHED, town__in=visible_towns(user))


def visible_proposals(user: Any, run: AssessmentRun) -> QuerySet[Proposal]:
    """The proposals of ``run`` a user may see: all of them for deciders, else their towns'."""
    if can_run_assessment(user, run.programme):
        return run.proposals.all()
    if user.role in REGION_SCOPED_ROLES and run.programme.region is not None and in_scope(user, run.programme.region):
        return run.proposals.all()
    return run.proposals.filter(town__in=visible_towns(user))


@rule("无权处理此小镇", "you may not act on this town")
def can_record_fraud(user: Any, enrolment: Enrolment) -> bool:
    return can_change_tier(user, enrolment)


def visible_fraud_findings(user: Any) -> QuerySet[FraudFinding]:
    """Findings against the towns a user may see (a town body is told why it was cancelled)."""
    return FraudFinding.objects.filter(enrolment__town__in=visible_towns(user))
