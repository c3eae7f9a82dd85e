"""What reading a quarterly report gives back: problems, or rows ready to store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

Value = float | bool | str


@dataclass(frozen=True)
class ReportProblem:
    """One problem in an uploaded report, located as the user sees it in Excel.

    ``row`` is the spreadsheet row number and ``column`` the column letter
    ("D"); either is None when the problem is with the whole sheet or the
    whole file. ``indicator`` is the indicator id (or ledger field) concerned.
    """

    sheet: str | None
    row: int | None
    column: str | None
    indicator: str | None
    message_zh: str
    message_en: str

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"工作表 sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行 row {self.row}")
        if self.column:
            cell = f"{self.column}{self.row}" if self.row is not None else self.column
            shown = f"{cell} ({self.indicator})" if self.indicator else cell
            parts.append(f"单元格 cell {shown}" if self.row is not None else f"列 column {shown}")
        return ", ".join(parts) or "文件 file"

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class ReportedValue(NamedTuple):
    """One indicator value to store: a town's figure for one period, as actually reported.

    A named tuple rather than a dataclass: an upload makes hundreds of thousands.
    """

    town_id: str
    indicator: str
    period: str
    value: Value
    basis: str = "actual"


@dataclass(frozen=True)
class LedgerRow:
    """One key project of the project ledger (项目台账) for one period.

    ``counted`` is False for the project types the programme excludes from the
    investment that counts (e.g. residential 住宅, 003 §三(四)).
    """

    town_id: str
    period: str
    project_name: str
    project_type: str
    planned_investment: float | None
    completed_investment: float
    counted: bool
    row: int


def _frozen(mapping: Mapping[str, float] | None = None) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class ReportUpload:
    """The outcome of reading one report workbook.

    If ``problems`` is not empty the upload failed: ``values``, ``ledger`` and
    ``counted_investment`` are empty, and the caller must store nothing.
    """

    policy_id: str
    period: str
    problems: tuple[ReportProblem, ...] = ()
    values: tuple[ReportedValue, ...] = ()
    ledger: tuple[LedgerRow, ...] = ()
    #: town_id → the ledger's completed investment this period that counts
    #: (project types the programme excludes left out), in the ledger's unit.
    counted_investment: Mapping[str, float] = field(default_factory=_frozen)
    #: the towns that have a row with at least one figure, in sheet order.
    towns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line per problem, or a line saying what would be stored."""
        if self.problems:
            head = (
                f"报表有 {len(self.problems)} 个问题，未保存任何数据 / "
                f"the report has {len(self.problems)} problem(s); nothing was saved"
            )
            return "\n".join([head, *(f"  {p}" for p in self.problems)])
        return (
            f"{len(self.towns)} 个小镇、{len(self.values)} 个指标值、{len(self.ledger)} 个台账项目 / "
            f"{len(self.towns)} town(s), {len(self.values)} indicator value(s), {len(self.ledger)} ledger project(s)"
        )
