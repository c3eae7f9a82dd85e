"""How the cockpit colours towns: pluggable, so the index (14) and per-mu (12) apps add their own classes.

    from cockpit.colourings import Colouring, register_colouring

    @register_colouring(key="per_mu", zh="亩均效益", en="Per-mu class", order=30)
    def per_mu(programme, town_ids) -> Colouring:
        return Colouring(classes=[("A", "A 优先发展", "#2e7d32"), ...], town_class={town_id: "A", ...})

A town without a class is drawn grey under 无数据 / no data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from towns.models import Enrolment

NO_CLASS = ("", "无数据 no data", "#b0b7bf")
PALETTE = ["#9ecae1", "#4292c6", "#08519c", "#41ab5d", "#fdae6b", "#e6550d", "#756bb1", "#969696"]


@dataclass(frozen=True)
class Colouring:
    classes: list[tuple[str, str, str]]  # (key, label, colour) in legend order
    town_class: dict[int, str] = field(default_factory=dict)


ColouringFunc = Callable[[Any, Sequence[int]], Colouring]


@dataclass(frozen=True)
class ColouringEntry:
    key: str
    zh: str
    en: str
    func: ColouringFunc
    order: int


_COLOURINGS: dict[str, ColouringEntry] = {}


def register_colouring(*, key: str, zh: str, en: str, order: int = 100) -> Callable[[ColouringFunc], ColouringFunc]:
    def decorate(func: ColouringFunc) -> ColouringFunc:
        _COLOURINGS[key] = ColouringEntry(key, zh, en, func, order)
        return func

    return decorate


def colourings() -> list[ColouringEntry]:
    return sorted(_COLOURINGS.values(), key=lambda c: (c.order, c.key))


def colouring(key: str) -> ColouringEntry:
    return _COLOURINGS.get(key) or colourings()[0]


@register_colouring(key="tier", zh="层级", en="Tier", order=10)
def by_tier(programme: Any, town_ids: Sequence[int]) -> Colouring:
    """The town's tier in ``programme`` (its open enrolment), one colour per tier of the programme file."""
    tiers = [t for t in programme.policy.lifecycle.tiers if not t.terminal]
    classes = [(t.id, f"{t.label.zh} {t.label.en.lower()}", PALETTE[i % len(PALETTE)]) for i, t in enumerate(tiers)]
    rows = Enrolment.objects.filter(programme=programme, ended_on__isnull=True, town_id__in=town_ids).values_list("town_id", "tier")
    return Colouring(classes=classes, town_class=dict(rows))


@register_colouring(key="red_lines", zh="控制线", en="Control lines", order=20)
def by_red_lines(programme: Any, town_ids: Sequence[int]) -> Colouring:
    """Whether the town's current boundary crosses a control line (boundaries app findings, 002 §三(四))."""
    from boundaries.models import RedLineFinding

    crossed = set(RedLineFinding.objects.filter(town_id__in=town_ids, crossed=True).values_list("town_id", flat=True))
    checked = set(RedLineFinding.objects.filter(town_id__in=town_ids).values_list("town_id", flat=True))
    classes = [("crossed", "触碰控制线 crosses a control line", "#c0392b"), ("clear", "未触碰 clear", "#41ab5d")]
    return Colouring(classes=classes, town_class={pk: "crossed" if pk in crossed else "clear" for pk in checked})


@register_colouring(key="grade", zh="年度等次", en="Annual grade", order=25)
def by_grade(programme: Any, town_ids: Sequence[int]) -> Colouring:
    """The grade of the programme's latest published annual assessment (e.g. 002's 优秀 … 淘汰)."""
    from assessments.models import AssessmentRun, Proposal

    run = AssessmentRun.objects.filter(programme=programme, status=AssessmentRun.Status.PUBLISHED).order_by("-year").first()
    if run is None:
        return Colouring(classes=[])
    rows = Proposal.objects.filter(run=run, town_id__in=town_ids).exclude(grade="").values_list("town_id", "grade")
    grades = list(dict.fromkeys(g for _, g in sorted(rows, key=lambda r: r[1])))
    colours = ["#2e7d32", "#66bb6a", "#9ecae1", "#fdae6b", "#e6550d", "#c0392b"]
    return Colouring(classes=[(g, f"{g} ({run.year})", colours[i % len(colours)]) for i, g in enumerate(grades)],
                     town_class=dict(rows))


@register_colouring(key="per_mu", zh="亩均效益", en="Per-mu class", order=30)
def by_per_mu(programme: Any, town_ids: Sequence[int]) -> Colouring:
    """The class most of the town's graded firms hold in the latest published per-mu run of each county."""
    from django.db.models import Count

    from enterprises.models import PerMuResult, PerMuRun

    latest: dict[int, int] = {}
    for run in PerMuRun.objects.filter(status=PerMuRun.Status.PUBLISHED).order_by("year", "published_at"):
        latest[run.county_id] = run.pk
    counts: dict[int, dict[str, int]] = {}
    for town_id, klass, n in (PerMuResult.objects.filter(run_id__in=latest.values(), town_id__in=town_ids)
                              .exclude(klass="").values_list("town_id", "klass").annotate(n=Count("pk"))):
        counts.setdefault(town_id, {})[klass] = n
    classes = [("A", "A 优先发展 priority", "#2e7d32"), ("B", "B 提升发展 improve", "#9ecae1"),
               ("C", "C 调控帮扶 support", "#fdae6b"), ("D", "D 倒逼整治 rectify", "#c0392b")]
    return Colouring(classes=classes,
                     town_class={t: max(c.items(), key=lambda kv: (kv[1], -ord(kv[0])))[0] for t, c in counts.items()})


@register_colouring(key="vitality", zh="活力指数", en="Vitality index", order=40)
def by_vitality(programme: Any, town_ids: Sequence[int]) -> Colouring:
    """The town's median rank in the programme's latest finished vitality-index run, by quarter of the field."""
    from towns.models import Town
    from vitality.models import IndexRun

    run = IndexRun.objects.filter(programme=programme, status=IndexRun.Status.DONE).order_by("-finished_at").first()
    if run is None:
        return Colouring(classes=[])
    units = run.result.get("units") or []
    codes = dict(Town.objects.filter(pk__in=town_ids).values_list("code", "pk"))
    n = max(len(units), 1)
    quarter = {codes[u["code"]]: f"q{min(4, int((u['median_rank'] - 1) * 4 // n) + 1)}" for u in units
               if u.get("code") in codes}
    classes = [("q1", "前25% top quarter", "#2e7d32"), ("q2", "25–50%", "#9ecae1"), ("q3", "50–75%", "#fdae6b"),
               ("q4", "后25% bottom quarter", "#c0392b")]
    return Colouring(classes=classes, town_class=quarter)
