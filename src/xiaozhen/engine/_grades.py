"""Why a town has its annual grade: the score band it met, or the veto that overrode the score.

A programme's ``annual_grade`` reads ``annual_score`` through score bands (``WHEN annual_score >=
<parameter> THEN '<grade>'``), after veto branches that ignore the score (Zhejiang's three control
lines: 触碰三条控制线一票否决, 002 §三(四)). A results table that shows a grade beside its score
must then say which of the two decided it, or 淘汰 (98.0) beside 优秀 (97.6) reads as a mistake.
``grade_basis`` reads the bands from the policy file itself, so changing a band parameter or
adding a band changes the explanation with it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..policy import Policy, resolve_parameter_value

GRADE, SCORE = "annual_grade", "annual_score"
_BAND = re.compile(rf"WHEN\s+{SCORE}\s*>=\s*([a-z_][a-z0-9_]*)\s+THEN\s+'([^']*)'", re.IGNORECASE)
_BELOW = re.compile(
    rf"WHEN\s+{SCORE}\s+IS\s+NOT\s+NULL(?:\s+AND\s+tier\s*=\s*'([^']*)')?\s+THEN\s+'([^']*)'", re.IGNORECASE
)


@dataclass(frozen=True)
class Band:
    grade: str
    parameter: str
    threshold: float
    label_zh: str = ""  # the parameter's label, as the explanation names the line
    label_en: str = ""


@dataclass(frozen=True)
class GradeBasis:
    """How ``grade`` relates to ``score``: ``by_score`` is the grade the score alone gives, ``band``
    the band it met (or, when it met none, the lowest band it fell below). ``vetoed_by`` lists the
    failed criteria (label zh, label en, clause) that decided the grade instead."""

    grade: str
    score: float
    by_score: str | None
    band: Band | None
    met: bool
    clause: str
    vetoed_by: tuple[tuple[str, str, str], ...] = ()
    lines: tuple[float, ...] = ()  # every band's threshold, so a rounded score never crosses one

    @property
    def vetoed(self) -> bool:
        return self.by_score != self.grade

    def explain(self, lang: str = "zh") -> str:
        s = _number(self.score, self.lines)
        rule = ""
        if self.band is not None:
            sign = "≥" if self.met else "<"
            rule = f"{s} {sign} {_number(self.band.threshold)}，{self.band.label_zh or self.band.parameter}" \
                if lang == "zh" else f"{s} {sign} {_number(self.band.threshold)}, {self.band.label_en or self.band.parameter}"
        if not self.vetoed:
            if lang == "zh":
                return f"{self.grade}：得分 {rule}（{self.clause}）"
            return f"{self.grade}: score {rule} ({self.clause})"
        if lang == "zh":
            why = "、".join(f"{zh}未达到（{clause}）" for zh, _, clause in self.vetoed_by) or "未按得分评定"
            return (f"{self.grade}：一票否决——{why}；得分 {s} 按分数线本为{self.by_score or '—'}"
                    f"（{rule}），不据以评定等次")
        why = "; ".join(f"{en} not met ({clause})" for _, en, clause in self.vetoed_by) or "not graded by the score"
        return (f"{self.grade}: vetoed — {why}; the score {s} alone would give {self.by_score or '—'} ({rule}) "
                f"and does not decide the grade")


def score_bands(policy: Policy, at: dt.date) -> tuple[list[Band], list[tuple[str, str]]]:
    """The score bands of the programme's ``annual_grade`` (highest first) with their thresholds at
    ``at``, and the grades below the last band as (tier or '', grade) in file order."""
    try:
        expr = policy.indicator(GRADE).expr or ""
    except KeyError:
        return [], []
    labels = {p.id: p.label for p in policy.parameters}
    bands = [Band(grade, param, float(resolve_parameter_value(policy, param, at)),
                  labels[param].zh if param in labels else "", labels[param].en if param in labels else "")
             for param, grade in _BAND.findall(expr)]
    return bands, [(tier or "", grade) for tier, grade in _BELOW.findall(expr)]


def grade_basis(
    policy: Policy, *, grade: str | None, score: float | None, tier: str, at: dt.date,
    failed: tuple[tuple[str, str, str], ...] = (),
) -> GradeBasis | None:
    """Why ``grade`` (None when there is no grade, no score or the programme grades without bands)."""
    if not grade or score is None:
        return None
    bands, below = score_bands(policy, at)
    if not bands:
        return None
    try:
        clause = policy.indicator(GRADE).clause or ""
    except KeyError:
        clause = ""
    lines = tuple(b.threshold for b in bands)
    for band in bands:
        if score >= band.threshold:  # the same comparison the grade expression makes
            return GradeBasis(grade, score, band.grade, band, True, clause, () if band.grade == grade else failed, lines)
    by_score = next((g for t, g in below if not t or t == tier), None)
    return GradeBasis(grade, score, by_score, bands[-1], False, clause, () if by_score == grade else failed, lines)


def _number(x: float, lines: tuple[float, ...] = ()) -> str:
    """Two decimals, trimmed; six when two would put the score on the other side of a band line."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    if any((x >= line) != (float(text) >= line) for line in lines):
        text = f"{x:.6f}".rstrip("0").rstrip(".")
    return text


__all__ = ["Band", "GradeBasis", "grade_basis", "score_bands"]
