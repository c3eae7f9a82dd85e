"""Committed, allocated and spent money per source, and the local matching ratio (004 §三6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PROVINCIAL = "provincial"  # 省科技厅拨付经费
LOCAL_SOURCES = ("city", "county", "town")  # 市、县(区)配套, 镇自筹
SOURCES = (PROVINCIAL, *LOCAL_SOURCES)
ALLOCATION = "allocation"  # money arriving in the project (拨付 / 到位)
DISBURSEMENT = "disbursement"  # money the project spends (支出)
KINDS = (ALLOCATION, DISBURSEMENT)
ZERO = Decimal("0")
CENT = Decimal("0.01")
CLAUSE = "004 §三6"


class FundingError(ValueError):
    """A movement or commitment that cannot be counted; ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str, field: str):
        self.zh, self.en, self.field = zh, en, field
        super().__init__(f"{zh} / {en}")


@dataclass(frozen=True)
class Movement:
    """One ledger line: money of one source allocated to, or spent by, the project."""

    source: str
    kind: str
    amount: Decimal
    on: dt.date

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise FundingError(f"未知资金来源 {self.source!r}", f"unknown source {self.source!r}", "source")
        if self.kind not in KINDS:
            raise FundingError(f"未知类型 {self.kind!r}", f"unknown kind {self.kind!r}", "kind")
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite() or self.amount <= 0:
            raise FundingError("金额须为大于0的数", "the amount must be a number above 0", "amount")


@dataclass(frozen=True)
class SourceTotals:
    source: str
    committed: Decimal
    allocated: Decimal
    spent: Decimal

    @property
    def unspent(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def outstanding(self) -> Decimal:
        """Committed money not yet allocated (never below zero)."""
        return max(ZERO, self.committed - self.allocated)


@dataclass(frozen=True)
class MatchingStatus:
    """Local money against provincial money, allocated so far and as committed."""

    provincial: Decimal
    local: Decimal
    ratio: Decimal | None  # local / provincial, None while no provincial money has arrived
    required_ratio: Decimal
    shortfall: Decimal  # local money still needed to reach the required ratio
    committed_ratio: Decimal | None
    clause: str = CLAUSE

    @property
    def below(self) -> bool:
        return self.shortfall > 0

    @property
    def committed_below(self) -> bool:
        return self.committed_ratio is not None and self.committed_ratio < self.required_ratio

    @property
    def ratio_shown(self) -> Decimal | None:
        return None if self.ratio is None else self.ratio.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FundingStatement:
    as_of: dt.date | None
    sources: tuple[SourceTotals, ...]
    matching: MatchingStatus

    def source(self, source: str) -> SourceTotals:
        return next(s for s in self.sources if s.source == source)

    @property
    def local(self) -> SourceTotals:
        parts = [s for s in self.sources if s.source in LOCAL_SOURCES]
        return SourceTotals("local", sum((s.committed for s in parts), ZERO), sum((s.allocated for s in parts), ZERO),
                            sum((s.spent for s in parts), ZERO))

    @property
    def total(self) -> SourceTotals:
        return SourceTotals("total", sum((s.committed for s in self.sources), ZERO),
                            sum((s.allocated for s in self.sources), ZERO), sum((s.spent for s in self.sources), ZERO))


def matching_ratio(local: Decimal, provincial: Decimal) -> Decimal | None:
    """Local money per yuan of provincial money (None when there is no provincial money)."""
    if provincial <= 0:
        return None
    return local / provincial


def matching_shortfall(local: Decimal, provincial: Decimal, required_ratio: Decimal) -> Decimal:
    """How much more local money the required ratio asks for (0 when it is met)."""
    return max(ZERO, required_ratio * provincial - local)


def _check_committed(commitments: Mapping[str, Decimal]) -> dict[str, Decimal]:
    out = {}
    for source in SOURCES:
        value = commitments.get(source, ZERO)
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise FundingError("承诺金额须为不小于0的数", "a committed amount must be a number of 0 or more", source)
        out[source] = value
    unknown = set(commitments) - set(SOURCES)
    if unknown:
        name = sorted(unknown)[0]
        raise FundingError(f"未知资金来源 {name!r}", f"unknown source {name!r}", "source")
    return out


def funding_statement(
    commitments: Mapping[str, Decimal],
    movements: Iterable[Movement],
    required_ratio: Decimal,
    as_of: dt.date | None = None,
) -> FundingStatement:
    """Totals per source and the matching status, counting movements up to ``as_of`` (all when None)."""
    if not isinstance(required_ratio, Decimal) or not required_ratio.is_finite() or required_ratio < 0:
        raise FundingError("配套比例须为不小于0的数", "the matching ratio must be a number of 0 or more", "matching_ratio")
    committed = _check_committed(commitments)
    allocated = dict.fromkeys(SOURCES, ZERO)
    spent = dict.fromkeys(SOURCES, ZERO)
    for m in movements:
        if as_of is not None and m.on > as_of:
            continue
        (allocated if m.kind == ALLOCATION else spent)[m.source] += m.amount
    sources = tuple(SourceTotals(s, committed[s], allocated[s], spent[s]) for s in SOURCES)
    provincial = allocated[PROVINCIAL]
    local = sum((allocated[s] for s in LOCAL_SOURCES), ZERO)
    committed_local = sum((committed[s] for s in LOCAL_SOURCES), ZERO)
    matching = MatchingStatus(
        provincial=provincial, local=local, ratio=matching_ratio(local, provincial), required_ratio=required_ratio,
        shortfall=matching_shortfall(local, provincial, required_ratio),
        committed_ratio=matching_ratio(committed_local, committed[PROVINCIAL]),
    )
    return FundingStatement(as_of, sources, matching)


def overspending(movements: Iterable[Movement], extra: Movement | None = None) -> dict[str, Decimal]:
    """Sources whose spending exceeds what was allocated to them, with the excess.

    ``extra`` is a movement about to be recorded, so a ledger can refuse it before it is written.
    """
    allocated = dict.fromkeys(SOURCES, ZERO)
    spent = dict.fromkeys(SOURCES, ZERO)
    for m in [*movements, *([extra] if extra else [])]:
        (allocated if m.kind == ALLOCATION else spent)[m.source] += m.amount
    return {s: spent[s] - allocated[s] for s in SOURCES if spent[s] > allocated[s]}


def overallocation(
    commitments: Mapping[str, Decimal], movements: Iterable[Movement], extra: Movement | None = None
) -> dict[str, Decimal]:
    """Sources whose allocations exceed what the contract commits for them, with the excess (004 §三6:
    the contract fixes each party's money; more than that is a mistake or a new contract, never a line).

    ``extra`` is a movement about to be recorded, so a ledger can refuse it before it is written.
    """
    committed = _check_committed(commitments)
    allocated = dict.fromkeys(SOURCES, ZERO)
    for m in [*movements, *([extra] if extra else [])]:
        if m.kind == ALLOCATION:
            allocated[m.source] += m.amount
    return {s: allocated[s] - committed[s] for s in SOURCES if allocated[s] > committed[s]}


def running_totals_by_year(movements: Iterable[Movement], years: Iterable[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """(provincial, local) money allocated by the end of each year: the running totals the
    programme's ``provincial_funds_to_date`` and ``local_matching_to_date`` indicators report."""
    allocations = [m for m in movements if m.kind == ALLOCATION]
    out = {}
    for year in sorted(set(years)):
        upto = [m for m in allocations if m.on.year <= year]
        out[year] = (
            sum((m.amount for m in upto if m.source == PROVINCIAL), ZERO),
            sum((m.amount for m in upto if m.source in LOCAL_SOURCES), ZERO),
        )
    return out
