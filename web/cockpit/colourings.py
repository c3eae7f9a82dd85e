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
