"""Quarterly reporting (季度报送): the report workbook, reading it back cell by cell, the project ledger.

``build_template`` makes the XLSX a county office or town fills in;
``read_report`` checks a filled one and returns either every problem (and no
rows) or the indicator values and ledger projects to store. See docs/reports.md.
"""

from ..periods import normalise_period
from ._layout import (
    LEDGER_SHEET,
    PREVIOUS_SHEET,
    PROJECT_TYPES,
    README_SHEET,
    REPORT_SHEET,
    period_meaning,
    reported_indicators,
)
from ._ledger import LEDGER_LINKS, LedgerLink, ledger_link_for, ledger_unit
from ._ranking import MeasureInfo, RankedTown, TownProgress, progress_measure, rank_progress
from ._read import read_report
from ._results import LedgerRow, ReportedValue, ReportProblem, ReportUpload
from ._template import build_template
from ._values import VALUES_SHEET, check_values, workbook_cells

__all__ = [
    "LEDGER_LINKS",
    "LEDGER_SHEET",
    "PREVIOUS_SHEET",
    "PROJECT_TYPES",
    "README_SHEET",
    "REPORT_SHEET",
    "VALUES_SHEET",
    "LedgerLink",
    "LedgerRow",
    "MeasureInfo",
    "RankedTown",
    "ReportProblem",
    "ReportUpload",
    "ReportedValue",
    "TownProgress",
    "build_template",
    "check_values",
    "ledger_link_for",
    "ledger_unit",
    "normalise_period",
    "period_meaning",
    "progress_measure",
    "rank_progress",
    "read_report",
    "reported_indicators",
    "workbook_cells",
]
