"""Placing a town's enterprises in a chain's segments and finding its gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ._industry import IndustryCodeError, normalise_industry_code
from ._model import ChainTemplate, Segment

Strength = Literal["gap", "weak", "present"]
STRENGTH_LABELS = {"gap": ("缺失", "gap"), "weak": ("薄弱", "weak"), "present": ("已有", "present")}


@dataclass(frozen=True)
class Firm:
    name: str
    credit_code: str = ""
    industry_code: str = ""


@dataclass(frozen=True)
class SegmentResult:
    segment: Segment
    firms: tuple[Firm, ...]
    strength: Strength

    @property
    def count(self) -> int:
        return len(self.firms)


@dataclass(frozen=True)
class Panorama:
    chain: ChainTemplate
    segments: tuple[SegmentResult, ...]
    #: firms whose code fits no segment (other industries of the town), and firms with a bad code
    outside: tuple[Firm, ...] = ()
    unreadable: tuple[tuple[Firm, str], ...] = field(default_factory=tuple)

    @property
    def gaps(self) -> tuple[SegmentResult, ...]:
        """Empty and weak segments, upstream first: what the town should attract (招商)."""
        return tuple(s for s in self.segments if s.strength != "present")

    @property
    def placed(self) -> int:
        return sum(s.count for s in self.segments)


def _best_segment(chain: ChainTemplate, digits: str) -> Segment | None:
    """The segment whose code matches most specifically (longest prefix); the first such on a tie."""
    best: tuple[int, Segment] | None = None
    for segment in chain.segments:
        for code in segment.codes:
            prefix = code.digits
            if digits.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), segment)
    return best[1] if best else None


def place(chain: ChainTemplate, firms: list[Firm]) -> Panorama:
    """Each firm goes to the segment its GB/T 4754 code matches most specifically."""
    placed: dict[str, list[Firm]] = {s.id: [] for s in chain.segments}
    outside: list[Firm] = []
    unreadable: list[tuple[Firm, str]] = []
    for firm in firms:
        if not firm.industry_code.strip():
            unreadable.append((firm, "无行业代码 / no industry code"))
            continue
        try:
            digits = normalise_industry_code(firm.industry_code)
        except IndustryCodeError as exc:
            unreadable.append((firm, str(exc)))
            continue
        segment = _best_segment(chain, digits)
        if segment is None:
            outside.append(firm)
        else:
            placed[segment.id].append(firm)
    results = []
    for segment in chain.segments:
        found = tuple(placed[segment.id])
        strength: Strength = "gap" if not found else ("weak" if len(found) < chain.weak_below else "present")
        results.append(SegmentResult(segment, found, strength))
    return Panorama(chain, tuple(results), tuple(outside), tuple(unreadable))
