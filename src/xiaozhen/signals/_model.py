"""What a data-quality or fraud signal is: a kind, who, which figures, the evidence and a strength.

Signals are for officers to review. They are never applied automatically: a signal decides nothing, it
says which figures deserve a second look and why (003 §五(三) cancels towns that falsify data; 002 §三(三)
asks for big-data statistical monitoring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SignalKind = Literal[
    "cumulative_decrease",
    "spike_own_history",
    "spike_peers",
    "repeated_figures",
    "round_heaping",
    "benford",
    "duplicate_enterprise",
    "ledger_mismatch",
    "part_exceeds_whole",
]

#: Each kind's bilingual name, in the order the checks run.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "cumulative_decrease": ("累计数下降", "Cumulative figure went down"),
    "spike_own_history": ("与自身历史相比突变", "Spike against the town's own history"),
    "spike_peers": ("与同类小镇相比突变", "Spike against peer towns"),
    "repeated_figures": ("逐年数字完全相同", "Same figure repeated year after year"),
    "round_heaping": ("整数堆积", "Round-number heaping"),
    "benford": ("首位数字偏离本福特定律", "First digits depart from Benford's law"),
    "duplicate_enterprise": ("同一企业被两个小镇申报", "Same enterprise claimed by two towns"),
    "ledger_mismatch": ("报表与项目台账不符", "Report disagrees with its project ledger"),
    "part_exceeds_whole": ("分项大于总数", "A part is larger than its whole"),
}

Strength = Literal["weak", "moderate", "strong"]
STRENGTH_LABELS: dict[str, str] = {"weak": "弱 weak", "moderate": "中 moderate", "strong": "强 strong"}

BENFORD_CAVEAT = (
    "本福特定律只适用于跨越多个数量级的自然数据；样本小、数值有上下限(比例、面积)或按规定取整时，偏离是正常的。"
    "偏离只是复核的理由，不是造假的证据。 / Benford's law holds only for figures spanning several orders of "
    "magnitude; small samples, bounded figures (shares, areas) and rounding rules depart from it naturally. "
    "A departure is a reason to look, never proof of fraud."
)


@dataclass(frozen=True)
class Signal:
    """One signal. ``key`` is stable across reruns of the same data, so a dismissal can be remembered."""

    kind: SignalKind
    town: str
    indicator: str | None
    periods: tuple[str, ...]
    strength: Strength
    score: float  # the statistic the strength is read from (a z-score, a share, a p-value …), see ``evidence``
    message_zh: str
    message_en: str
    evidence: dict[str, Any] = field(default_factory=dict)
    towns: tuple[str, ...] = ()  # other towns involved (duplicate enterprise)

    @property
    def key(self) -> str:
        return "|".join([self.kind, self.town, self.indicator or "", ",".join(self.periods)])

    @property
    def label(self) -> str:
        zh, en = KIND_LABELS[self.kind]
        return f"{zh} / {en}"


@dataclass(frozen=True)
class IndicatorInfo:
    """What the checks need to know about an indicator."""

    id: str
    label_zh: str
    label_en: str
    unit: str = ""
    #: amount / number figures are tested for repeats, heaping and Benford; counts are not (they repeat and
    #: are whole numbers by nature).
    type: str = "amount"
    cumulative: bool = False
    part_of: str | None = None
    #: A flow is measured afresh each period (investment, output, tax: the programme sums it over quarters);
    #: a stock or attribute (an area, a count of enterprises) may honestly stay the same for years.
    flow: bool = True

    @property
    def measured(self) -> bool:
        return self.type in ("amount", "number")


@dataclass(frozen=True)
class Settings:
    """Thresholds. None of these are in a seed: each is a default of ours, with its source in docs/signals.md."""

    #: Robust z-score (|x − median| / (1.4826 MAD)) at or above which a value is a spike (Iglewicz & Hoaglin 1993: 3.5).
    robust_z: float = 3.5
    #: A spike must also be at least a doubling or a halving (翻番): statistically odd but small moves are not worth
    #: an officer's time.
    min_change: float = 1.0
    #: Earlier periods a town needs before its own history is compared.
    min_history: int = 4
    #: Towns a period needs before a town's growth is compared with its peers'.
    min_peers: int = 8
    #: The same non-zero figure this many years running.
    min_repeats: int = 3
    #: Round-number heaping: values a town needs, and the binomial p-value below which the excess is flagged.
    heaping_min_values: int = 12
    heaping_p: float = 0.001
    #: Benford: first digits a test needs (Nigrini 2012 recommends ≥ 300 for the MAD; we accept fewer and say so).
    benford_min_sample: int = 60
    #: Nigrini's first-digit MAD above which a set is "nonconforming".
    benford_mad: float = 0.015
    benford_p: float = 0.001
    #: A report and its ledger may differ by this share of the larger before it is a signal.
    ledger_tolerance: float = 0.01
