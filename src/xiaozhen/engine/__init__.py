"""The rules engine: criteria over all towns at once, annual decisions, targets."""

from ._assess import (
    AnnualResult,
    HistoryError,
    Proposal,
    annual_results,
    assess,
    assessment_frame,
    grade_values,
    risk_values,
)
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
from ._grades import GradeBasis, grade_basis
from ._targets import TargetProgress, track_targets
from ._whatif import CriterionChange, TownChange, compare_assessments, compare_evaluations

__all__ = [
    "FAIL",
    "PASS",
    "UNKNOWN",
    "AnnualResult",
    "CriterionChange",
    "CriterionOutcome",
    "Evaluation",
    "GradeBasis",
    "HistoryError",
    "Proposal",
    "TargetProgress",
    "TownChange",
    "TownVerdict",
    "annual_results",
    "assess",
    "assessment_frame",
    "compare_assessments",
    "compare_evaluations",
    "evaluate",
    "grade_basis",
    "grade_values",
    "prepare",
    "risk_values",
    "track_targets",
]
