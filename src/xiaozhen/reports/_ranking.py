"""The progress ranking of a quarterly bulletin (通报): who is ahead, who is behind, and why.

The seeds ask for quarterly progress to be reported and circulated (003 §五(三),
000 第五部分(三), 002 §三(三)) but name no ranking measure. xiaozhen's default:

* **investment progress** (``investment_progress``) for programmes whose ledger ties to a
  reported investment: the counted investment completed in the ledger up to the end of
  the period (residential and commercial complexes left out as the programme says,
  ``ledger_link_for``) divided by the planned investment of the same counted projects.
  The investment rules it follows are the programme's ledger clause (e.g. 003 §三(四),
  000 第二部分(四), 002 §一). Ties go to the larger investment completed this period.
* **reporting completeness** (``completeness``) for programmes without investment in the
  ledger: the share of the programme's reported indicators the town gave this period.

Towns that did not report are not ranked: the bulletin lists them as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..policy import Policy
from ._ledger import ledger_link_for

Measure = Literal["investment_progress", "completeness"]


@dataclass(frozen=True)
class TownProgress:
    """What the bulletin knows of one town that reported for the period."""

    town_id: str
    name: str
    #: counted planned investment of the town's ledger projects (None: no plan given)
    planned: float | None = None
    #: counted investment completed in the ledger up to the end of the period
    completed_to_date: float = 0.0
    #: counted investment completed in the period itself
    completed_in_period: float = 0.0
    #: reported indicators given this period / reported indicators of the programme
    given: int = 0
    expected: int = 0
    late: bool = False


@dataclass(frozen=True)
class RankedTown:
    rank: int
    town_id: str
    name: str
    #: the measure's value (a fraction: 0.42 = 42 %), None when it cannot be computed
    score: float | None
    #: the numbers behind the score, to show beside it
    numbers: dict[str, float | int | None]
    late: bool


@dataclass(frozen=True)
class MeasureInfo:
    id: Measure
    label_zh: str
    label_en: str
    clause: str


def progress_measure(policy: Policy) -> MeasureInfo:
    """The measure a programme's bulletin ranks by, with the clause it rests on."""
    link = ledger_link_for(policy)
    reporting = policy.reporting.clause
    if link.total is not None:
        return MeasureInfo(
            "investment_progress",
            "计入考核的累计完成投资占计划投资的比例",
            "counted investment completed to date as a share of planned investment",
            f"{reporting}; {link.clause}" if link.clause else reporting,
        )
    return MeasureInfo(
        "completeness", "本期填报指标的完整率", "share of the reported indicators given this period", reporting
    )


def _score(measure: Measure, town: TownProgress) -> float | None:
    if measure == "investment_progress":
        if not town.planned:
            return None
        return town.completed_to_date / town.planned
    if not town.expected:
        return None
    return town.given / town.expected


def rank_progress(towns: Iterable[TownProgress], measure: Measure) -> list[RankedTown]:
    """Towns best first; equal scores share a rank (1, 2, 2, 4); towns without a score come last, unranked.

    Ties on the score are ordered by the investment completed in the period, then by id
    (so the order never depends on the database).
    """
    scored = [(town, _score(measure, town)) for town in towns]
    scored.sort(key=lambda pair: (pair[1] is None, -(pair[1] or 0.0), -pair[0].completed_in_period, pair[0].town_id))
    out: list[RankedTown] = []
    previous: float | None = None
    rank = 0
    for position, (town, score) in enumerate(scored, start=1):
        if score is None:
            shown_rank = 0
        else:
            if previous is None or abs(score - previous) > 1e-12:
                rank = position
            previous = score
            shown_rank = rank
        numbers: dict[str, float | int | None]
        if measure == "investment_progress":
            numbers = {"planned": town.planned, "completed_to_date": town.completed_to_date,
                       "completed_in_period": town.completed_in_period}
        else:
            numbers = {"given": town.given, "expected": town.expected}
        out.append(RankedTown(shown_rank, town.town_id, town.name, score, numbers, town.late))
    return out


__all__ = ["MeasureInfo", "RankedTown", "TownProgress", "progress_measure", "rank_progress"]
