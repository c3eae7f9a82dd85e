"""Composite indices (the town vitality index): a method as data, run step by step, with uncertainty.

No Django here. ``load_method`` reads a method file; ``run_index`` runs it; ``run_uncertainty`` draws
alternative choices and weights and reports rank intervals and sensitivity indices.
"""

from ._method import IndexMethodError, Method, MethodFile, Node, Tree, load_method
from ._run import (
    Choices,
    IndexData,
    IndexResult,
    RunRecord,
    index_data,
    nominal_choices,
    read_data,
    rebuild,
    run_index,
)
from ._steps import kurt, log_ct, passes_skew_kurt, skew, winsorise

__all__ = [
    "Choices",
    "IndexData",
    "IndexMethodError",
    "IndexResult",
    "Method",
    "MethodFile",
    "Node",
    "RunRecord",
    "Tree",
    "index_data",
    "kurt",
    "load_method",
    "log_ct",
    "nominal_choices",
    "passes_skew_kurt",
    "read_data",
    "rebuild",
    "run_index",
    "skew",
    "winsorise",
]
