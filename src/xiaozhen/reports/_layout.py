"""Where things are in a report workbook; shared by the template and the reader.

The reader finds columns by the ids in the hidden id row, never by label text,
so relabelling an indicator in a programme file does not break old uploads.
"""

from __future__ import annotations

from typing import Literal

from ..policy import Indicator, Policy

REPORT_SHEET = "报送 Report"
LEDGER_SHEET = "项目台账 Ledger"
PREVIOUS_SHEET = "上期 Previous"
README_SHEET = "说明 Instructions"

#: Labels of the two header cells that say which period and programme a sheet is for.
PERIOD_LABEL = "报送期间 Period"
PROGRAMME_LABEL = "项目 Programme"

#: Report and Previous sheets: row 1 period and programme, 2 Chinese labels,
#: 3 English labels and units, 4 (hidden) ids, data from 5.
META_ROW = 1
ZH_ROW = 2
EN_ROW = 3
ID_ROW = 4
FIRST_DATA_ROW = 5
#: Ledger sheet: row 1 Chinese, 2 English, 3 (hidden) ids, data from 4.
LEDGER_ID_ROW = 3
LEDGER_FIRST_DATA_ROW = 4
#: How far down the reader looks for the id row if rows were inserted above it.
HEADER_SEARCH_ROWS = 10

TOWN_ID = "town_id"
TOWN_NAME = "town_name"
TOWN_COLUMNS = {
    TOWN_ID: ("小镇编号", "Town id"),
    TOWN_NAME: ("小镇名称", "Town name"),
}

ProjectType = Literal["feature_industry", "other", "residential", "commercial_complex"]
#: Ledger project types: id → (Chinese, English). The order is the drop-down's.
PROJECT_TYPES: dict[str, tuple[str, str]] = {
    "feature_industry": ("特色产业", "Feature industry"),
    "other": ("其他", "Other"),
    "residential": ("住宅", "Residential"),
    "commercial_complex": ("商业综合体", "Commercial complex"),
}

#: Ledger columns: id → (Chinese, English). The investment columns take the unit of the
#: indicator the ledger adds up to (see _ledger.LedgerLink).
LEDGER_COLUMNS: dict[str, tuple[str, str]] = {
    "town_id": ("小镇编号", "Town id"),
    "project_name": ("项目名称", "Project name"),
    "project_type": ("项目类型", "Project type"),
    "planned_investment": ("计划总投资", "Planned investment"),
    "completed_investment": ("本期完成投资", "Investment completed this period"),
}


def project_type_choice(type_id: str) -> str:
    """How a project type appears in the drop-down: "特色产业 Feature industry"."""
    zh, en = PROJECT_TYPES[type_id]
    return f"{zh} {en}"


def project_type_names() -> dict[str, str]:
    """Every spelling accepted for a project type (id, Chinese, English, drop-down text) → its id."""
    names: dict[str, str] = {}
    for type_id, (zh, en) in PROJECT_TYPES.items():
        for spelling in (type_id, zh, en, project_type_choice(type_id)):
            names[spelling.lower()] = type_id
    return names


def reported_indicators(policy: Policy) -> list[Indicator]:
    """The indicators a town fills in, in programme-file order (derived ones are computed)."""
    return [i for i in policy.indicators if i.kind == "reported"]


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def period_meaning(indicator: Indicator) -> tuple[str, str]:
    """What a figure in a period's report means: a flow for the period, or a level at its end."""
    if indicator.cumulative:
        return ("截至本期末的累计数", "running total to the end of the period")
    if indicator.aggregate == "sum":
        return ("本期发生数(不是累计数)", "for this period only, not a running total")
    return ("本期末的数值", "as at the end of the period")
