"""Facts tables: one row per town per period, read from CSV, XLSX or JSON and validated."""

from ._records import RESERVED_COLUMNS, FactsError, FactsProblem, frame_from_records

__all__ = ["RESERVED_COLUMNS", "FactsError", "FactsProblem", "frame_from_records"]
