"""Facts tables: one row per town per period, read from CSV, XLSX or JSON and validated."""

from ._readers import FORMATS, RawTable, read_facts, read_table
from ._records import (
    RESERVED_COLUMNS,
    FactsError,
    FactsProblem,
    canonical_columns,
    frame_from_records,
    plausibility_problem,
)

__all__ = [
    "FORMATS",
    "RESERVED_COLUMNS",
    "FactsError",
    "FactsProblem",
    "RawTable",
    "canonical_columns",
    "frame_from_records",
    "plausibility_problem",
    "read_facts",
    "read_table",
]
