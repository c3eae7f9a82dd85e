"""Data-quality and fraud signals (数据质量与造假线索) over towns' reported figures.

Pure core, no Django. ``find_signals`` runs every check and returns ``Signal`` objects with their evidence
and strength. Signals are for officers to review and are never applied automatically (docs/signals.md).
"""

from ._checks import (
    EnterpriseClaim,
    LedgerLine,
    LedgerTotal,
    Observation,
    first_digit,
    is_round,
    period_key,
)
from ._model import (
    BENFORD_CAVEAT,
    KIND_LABELS,
    STRENGTH_LABELS,
    IndicatorInfo,
    Settings,
    Signal,
    SignalKind,
)
from ._run import find_signals

__all__ = [
    "BENFORD_CAVEAT",
    "KIND_LABELS",
    "STRENGTH_LABELS",
    "EnterpriseClaim",
    "IndicatorInfo",
    "LedgerLine",
    "LedgerTotal",
    "Observation",
    "Settings",
    "Signal",
    "SignalKind",
    "find_signals",
    "first_digit",
    "is_round",
    "period_key",
]
