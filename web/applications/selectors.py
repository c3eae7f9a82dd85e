"""Read-side helpers for the applications pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from programmes.models import Programme, deferred_document
from programmes.selectors import programmes_in_force

from .facts import LiveVerdict, verdict_from_json
from .models import Application, Call, DepartmentOpinion, Material, Submission
from .permissions import step_role_matches, visible_applications

if TYPE_CHECKING:
    from accounts.models import Organisation, User

IN_REVIEW = (Application.State.SUBMITTED, Application.State.IN_REVIEW)


def application_list_queryset(applications: QuerySet[Application]) -> QuerySet[Application]:
    """What a row of an application list needs, loaded with the page in a fixed number of queries.

    Not the large columns (the application's facts, the town's boundary, the policy document),
    which a row never shows. Calls and programmes are prefetched rather than joined: a page holds
    a handful of each, so it builds one shared object per call or programme instead of one per
    row (7 % fewer Python calls on the review queue, benchmarks/bench_web.py)."""
    programmes = Programme.objects.select_related("current_version").defer(*deferred_document("current_version"))
    return applications.select_related("town__region").defer("facts", "town__boundary_geojson").prefetch_related(
        Prefetch("programme", queryset=programmes), "call",
    ).order_by("-updated_at", "pk")


def review_queue(user: User) -> QuerySet[Application]:
    """Applications waiting for a step this user may decide, in scope: the step's role is the
    user's (an expert_review step: the provincial officer's), per programme file."""
    waiting = Q(pk__in=[])
    for programme in programmes_in_force(active_only=False):
        steps = [s.id for s in programme.policy.review_steps("application") if step_role_matches(user, s)]
        if steps:
            waiting |= Q(programme=programme, current_step__in=steps)
    return visible_applications(user).filter(waiting, state__in=IN_REVIEW)


def step_label(application: Application) -> Any:
    """The current step's label (a policy Text), or None."""
    for step in application.programme.policy.review_steps("application"):
        if step.id == application.current_step:
            return step.label
    return None


@dataclass
class TimelineEntry:
    when: Any
    kind: str  # "submission" | "decision"
    item: Any
    step_label: Any = None


@dataclass
class ApplicationPage:
    application: Application
    steps: list[dict[str, Any]]
    timeline: list[TimelineEntry]
    materials: list[dict[str, Any]]
    latest: Submission | None
    verdict_at_submission: Any
    verdict_now: LiveVerdict | None
    recommended: list[Application] = field(default_factory=list)
    max_mb: int = 20


def application_page(application: Application, *, with_current_verdict: bool) -> ApplicationPage:
    from .verdicts import application_verdict

    policy = application.programme.policy
    chain = policy.review_steps("application")
    labels = {s.id: s.label for s in chain}
    submissions = list(application.submissions.select_related("submitted_by", "programme_version"))
    decisions = list(application.decisions.select_related("decided_by", "programme_version", "submission"))
    timeline = [TimelineEntry(s.submitted_at, "submission", s) for s in submissions]
    timeline += [TimelineEntry(d.decided_at, "decision", d, labels.get(d.step_id, d.step_id)) for d in decisions]
    timeline.sort(key=lambda e: (e.when, 0 if e.kind == "submission" else 1))
    latest = submissions[-1] if submissions else None
    passed = {d.step_id for d in decisions if latest and d.submission_id == latest.pk and d.outcome == "pass"}
    steps = [
        {"step": s, "done": s.id in passed, "current": s.id == application.current_step and application.is_in_review}
        for s in chain
    ]
    current = {m.material_id: m for m in Material.objects.filter(application=application, is_current=True)}
    materials = [{"item": item, "file": current.get(item.id)} for item in policy.materials]
    recommended: list[Application] = []
    return ApplicationPage(
        application=application, steps=steps, timeline=timeline, materials=materials, latest=latest,
        verdict_at_submission=verdict_from_json(latest.verdict) if latest else None,
        verdict_now=application_verdict(application) if with_current_verdict else None,
        recommended=recommended, max_mb=int(getattr(settings, 'MAX_UPLOAD_MB', 20)),
    )


def recommended_in_call(application: Application, user: User) -> list[Application]:
    """The applications of the same call this user's region has recommended, by rank."""
    region = getattr(user, "region", None)
    prefix = region.scope_prefix if region else ""
    return list(
        Application.objects.filter(call=application.call, rank__isnull=False, town__region__code__startswith=prefix)
        .select_related("town").order_by("rank")
    )


__all__ = ["application_list_queryset", "application_page", "district_departments", "joint_reviews",
           "recommended_in_call", "review_queue", "step_label"]


def recommended_for_ranking(call: Call, by: User) -> list[Application]:
    """The applications of ``call`` in the decider's region that were recommended and are still in review."""
    prefix = by.region.scope_prefix if by.region else ""
    return list(
        Application.objects.filter(call=call, rank__isnull=False, state__in=IN_REVIEW,
                                   town__region__code__startswith=prefix)
        .select_related("town__region").order_by("rank", "pk")
    )


@dataclass
class JointReview:
    """One joint review step (003 §四(二)) of the latest submission: the named departments' rows."""

    step: Any
    opinions: list[DepartmentOpinion]
    current: bool

    @property
    def missing(self) -> list[DepartmentOpinion]:
        return [o for o in self.opinions if not o.is_given]


def joint_reviews(application: Application) -> list[JointReview]:
    """The chain's joint review steps with the departments named for the latest submission, in two queries."""
    steps = [s for s in application.programme.policy.review_steps("application") if s.department_opinions]
    latest = application.submissions.order_by("-number").first() if steps else None
    if latest is None:
        return []
    rows = list(DepartmentOpinion.objects.filter(submission=latest)
                .select_related("department", "recorded_by", "named_by").order_by("department__name_zh", "pk"))
    current = application.current_step if application.is_in_review else ""
    return [JointReview(step=s, opinions=[r for r in rows if r.step_id == s.id], current=s.id == current)
            for s in steps]


def district_departments(application: Application, user: User) -> QuerySet[Organisation]:
    """The departments (organisations of kind department) in the user's region whose region holds the
    application's town: the ones the user may name for its joint review."""
    from accounts.models import Organisation

    region = getattr(user, "region", None)
    if region is None:
        return Organisation.objects.none()
    candidates = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT,
                                             region__code__startswith=region.scope_prefix).select_related("region")
    town_region = application.town.region
    return Organisation.objects.filter(pk__in=[d.pk for d in candidates if d.region and d.region.contains(town_region)])
