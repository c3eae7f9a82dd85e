"""Validate an expert's score sheet; aggregate a panel's sheets; flag divergent scores.

No seed defines how expert scores are checked or combined (003, 000 and 004 only say that
experts review, 004 §三4 "专家论证"; 000 第四部分(五) "专家实地查看评估"). The defaults
below are xiaozhen's, documented here and in docs/reviews.md, and configurable per panel:

* **A comment is required for a score below 60 % of the item's maximum** (``comment_below``).
  60 % is the customary pass line of Chinese hundred-point scoring (百分制 60 分及格); a score
  under it is a judgement the town and the officer must be able to read the reason for.
* **Divergence** (``DivergenceRule``): an expert's score (an item or the total) is compared
  with the mean of the *other* experts' scores (leave-one-out, so the expert does not pull
  the mean towards themselves). It is flagged when the gap exceeds

  - ``share_of_max`` × the maximum (default 15 %): a fixed gap that works on the small
    panels (2–5 experts) that are usual, where a standard deviation is unstable; or
  - ``sd_factor`` × the others' standard deviation (default 1.5, the usual "mild outlier"
    z-score), used only when at least ``min_others_for_sd`` (default 3) others scored and
    the gap is also over ``floor_share`` × the maximum (default 10 %), so that a panel in
    near-perfect agreement does not flag the expert who differs by two points.

  The most distant expert is flagged and set aside first, then the rest are compared again
  (as in Grubbs' iterated outlier test): one far-off expert must not make the others look
  divergent. Two experts too far apart are both flagged: neither can be told to be the one.

Spreads are the sample standard deviation (n − 1; 0 for a single score) and the range.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

TOTAL = "total"


@dataclass(frozen=True)
class RubricLine:
    """One rubric item: an id, a label in Chinese and English, the maximum score."""

    id: str
    max_score: float
    label_zh: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class DivergenceRule:
    """When an expert's score is flagged as divergent (see the module docstring)."""

    share_of_max: float = 0.15
    sd_factor: float = 1.5
    floor_share: float = 0.10
    min_others_for_sd: int = 3
    comment_below: float = 0.6

    def __post_init__(self) -> None:
        for name in ("share_of_max", "floor_share", "comment_below"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must lie in 0..1, not {value!r}")
        if self.sd_factor <= 0:
            raise ValueError(f"sd_factor must be positive, not {self.sd_factor!r}")
        if self.min_others_for_sd < 2:
            raise ValueError("min_others_for_sd must be at least 2 (a standard deviation needs two values)")

    def as_dict(self) -> dict[str, float | int]:
        return {"share_of_max": self.share_of_max, "sd_factor": self.sd_factor, "floor_share": self.floor_share,
                "min_others_for_sd": self.min_others_for_sd, "comment_below": self.comment_below}

    @classmethod
    def from_dict(cls, data: Mapping[str, float | int] | None) -> DivergenceRule:
        if not data:
            return DEFAULT_RULE
        known = {k: data[k] for k in DEFAULT_RULE.as_dict() if k in data}
        return cls(**known)  # type: ignore[arg-type]


DEFAULT_RULE = DivergenceRule()


@dataclass(frozen=True)
class SheetProblem:
    """One problem with a sheet, naming the rubric item (``item``) at fault."""

    item: str
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.item}: {self.zh} / {self.en}"


@dataclass(frozen=True)
class Sheet:
    """One expert's submitted scores (item id → score)."""

    expert: str
    scores: Mapping[str, float]

    def total(self) -> float:
        return float(sum(self.scores.values()))


def validate_sheet(
    rubric: Sequence[RubricLine],
    scores: Mapping[str, float | None],
    comments: Mapping[str, str] | None = None,
    rule: DivergenceRule = DEFAULT_RULE,
) -> list[SheetProblem]:
    """Every problem with a sheet: missing, non-numeric, out of 0..max, unknown items, and a
    score below ``rule.comment_below`` of the maximum without a comment."""
    comments = comments or {}
    problems: list[SheetProblem] = []
    known = {line.id for line in rubric}
    for ident in scores:
        if ident not in known:
            problems.append(SheetProblem(ident, "评分表中没有此项", "not an item of the rubric"))
    for line in rubric:
        value = scores.get(line.id)
        if value is None:
            problems.append(SheetProblem(line.id, "请打分", "a score is required"))
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(SheetProblem(line.id, "分数须为数字", "the score must be a number"))
            continue
        if value < 0 or value > line.max_score:
            problems.append(SheetProblem(
                line.id, f"分数须在 0 至 {_num(line.max_score)} 之间", f"the score must lie in 0..{_num(line.max_score)}"
            ))
            continue
        if value < rule.comment_below * line.max_score and not str(comments.get(line.id, "")).strip():
            threshold = _num(rule.comment_below * line.max_score)
            problems.append(SheetProblem(
                line.id, f"低于 {threshold} 分(满分的 {_pct(rule.comment_below)})须写明理由",
                f"a score below {threshold} ({_pct(rule.comment_below)} of the maximum) needs a comment",
            ))
    return problems


@dataclass(frozen=True)
class Flag:
    """An expert's score on one item (or the total, item ``"total"``) that diverges."""

    expert: str
    item: str
    score: float
    others_mean: float
    gap: float
    reasons: tuple[str, ...]  # "gap" (share of the maximum) and/or "spread" (standard deviations)


@dataclass(frozen=True)
class ItemStats:
    item: str
    max_score: float
    n: int
    mean: float | None
    sd: float | None
    minimum: float | None
    maximum: float | None
    scores: Mapping[str, float] = field(default_factory=dict)  # expert → score

    @property
    def range(self) -> float | None:
        if self.minimum is None or self.maximum is None:
            return None
        return self.maximum - self.minimum


@dataclass(frozen=True)
class PanelAggregate:
    items: tuple[ItemStats, ...]
    total: ItemStats
    flags: tuple[Flag, ...]
    rule: DivergenceRule

    @property
    def n(self) -> int:
        return self.total.n

    def flags_for(self, expert: str) -> list[Flag]:
        return [f for f in self.flags if f.expert == expert]

    @property
    def flagged_experts(self) -> frozenset[str]:
        return frozenset(f.expert for f in self.flags)

    def total_flag(self, expert: str) -> Flag | None:
        for f in self.flags:
            if f.expert == expert and f.item == TOTAL:
                return f
        return None


def aggregate(rubric: Sequence[RubricLine], sheets: Sequence[Sheet], rule: DivergenceRule = DEFAULT_RULE) -> PanelAggregate:
    """Per item and in total: mean, sample standard deviation, min, max and divergence flags.

    Sheets are taken as given (validate them with :func:`validate_sheet` first); an item a
    sheet leaves out is not counted for that item. Experts must be distinct.
    """
    experts = [s.expert for s in sheets]
    if len(set(experts)) != len(experts):
        raise ValueError("each expert may hand in one sheet")
    items = []
    flags: list[Flag] = []
    for line in rubric:
        scores = {s.expert: float(s.scores[line.id]) for s in sheets if s.scores.get(line.id) is not None}
        items.append(_stats(line.id, line.max_score, scores))
        flags.extend(_flags(line.id, line.max_score, scores, rule))
    max_total = float(sum(line.max_score for line in rubric))
    totals = {s.expert: float(sum(float(s.scores.get(line.id) or 0) for line in rubric)) for s in sheets}
    total = _stats(TOTAL, max_total, totals)
    flags.extend(_flags(TOTAL, max_total, totals, rule))
    return PanelAggregate(tuple(items), total, tuple(flags), rule)


def _stats(item: str, max_score: float, scores: Mapping[str, float]) -> ItemStats:
    values = list(scores.values())
    if not values:
        return ItemStats(item, max_score, 0, None, None, None, None, dict(scores))
    mean = _clamped_mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return ItemStats(item, max_score, len(values), mean, sd, min(values), max(values), dict(scores))


def _clamped_mean(values: Sequence[float]) -> float:
    # fsum rounding can put the mean of identical values a hair outside them.
    return min(max(math.fsum(values) / len(values), min(values)), max(values))


def _flags(item: str, max_score: float, scores: Mapping[str, float], rule: DivergenceRule) -> list[Flag]:
    """Set aside the most distant expert while their gap breaks the rule, then look again."""
    remaining = dict(scores)
    out: list[Flag] = []
    tolerance = _EPS * max(max_score, 1.0)
    while len(remaining) >= 2:
        candidates = []
        for expert, score in remaining.items():
            others = [v for e, v in remaining.items() if e != expert]
            others_mean = _clamped_mean(others)
            gap = abs(score - others_mean)
            reasons = _reasons(gap, others, max_score, rule, tolerance)
            if reasons:
                candidates.append(Flag(expert, item, score, others_mean, gap, reasons))
        if not candidates:
            break
        widest = max(f.gap for f in candidates)
        chosen = [f for f in candidates if f.gap >= widest - tolerance]
        out.extend(chosen)
        for f in chosen:
            del remaining[f.expert]
    return out


def _reasons(gap: float, others: list[float], max_score: float, rule: DivergenceRule, tol: float) -> tuple[str, ...]:
    reasons = []
    if gap > rule.share_of_max * max_score + tol:
        reasons.append("gap")
    if (len(others) >= rule.min_others_for_sd and gap > rule.floor_share * max_score + tol
            and gap > rule.sd_factor * statistics.stdev(others) + tol):
        reasons.append("spread")
    return tuple(reasons)


_EPS = 1e-9


def _num(value: float) -> str:
    return f"{value:g}"


def _pct(share: float) -> str:
    return f"{share * 100:g}%"
