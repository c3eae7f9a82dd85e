"""Expert panel scoring: validating one expert's sheet and aggregating a panel's sheets.

Pure: plain data in, frozen results out (no Django). The web app ``reviews`` stores the
sheets and calls :func:`aggregate` to show the officer the means, spreads and flags.
"""

from ._aggregate import (
    DEFAULT_RULE,
    DivergenceRule,
    Flag,
    ItemStats,
    PanelAggregate,
    RubricLine,
    Sheet,
    SheetProblem,
    aggregate,
    validate_sheet,
)

__all__ = [
    "DEFAULT_RULE",
    "DivergenceRule",
    "Flag",
    "ItemStats",
    "PanelAggregate",
    "RubricLine",
    "Sheet",
    "SheetProblem",
    "aggregate",
    "validate_sheet",
]
