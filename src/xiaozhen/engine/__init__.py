"""The rules engine: criteria over all towns at once, annual decisions, targets."""

from ._assess import HistoryError, Proposal, assess, assessment_frame
from ._evaluate import (
    FAIL,
    PASS,
    UNKNOWN,
    CriterionOutcome,
    Evaluation,
    TownVerdict,
    evaluate,
    prepare,
)
from ._targets import TargetProgress, track_targets

__all__ = [
    "FAIL",
    "PASS",
    "UNKNOWN",
    "CriterionOutcome",
    "Evaluation",
    "HistoryError",
    "Proposal",
    "TargetProgress",
    "TownVerdict",
    "assess",
    "assessment_frame",
    "evaluate",
    "prepare",
    "track_targets",
]
