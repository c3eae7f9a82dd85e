"""Project funding (项目经费): provincial money, local matching funds and the matching ratio.

A demonstration project (004 §三6) is funded by the province and matched by the city/county
and town governments. ``funding_statement`` turns the contract's commitments and the ledger's
movements (allocations and disbursements) into committed / allocated / spent per source and the
ratio of local money allocated to provincial money allocated, checked against the required ratio
(the contract's, or the programme's ``local_matching_ratio_min``). Amounts are ``Decimal`` 万元.
"""

from ._ledger import (
    ALLOCATION,
    DISBURSEMENT,
    KINDS,
    LOCAL_SOURCES,
    PROVINCIAL,
    SOURCES,
    FundingError,
    FundingStatement,
    MatchingStatus,
    Movement,
    SourceTotals,
    funding_statement,
    matching_ratio,
    matching_shortfall,
    overallocation,
    overspending,
    running_totals_by_year,
)

__all__ = [
    "ALLOCATION",
    "DISBURSEMENT",
    "KINDS",
    "LOCAL_SOURCES",
    "PROVINCIAL",
    "SOURCES",
    "FundingError",
    "FundingStatement",
    "MatchingStatus",
    "Movement",
    "SourceTotals",
    "funding_statement",
    "matching_ratio",
    "matching_shortfall",
    "overallocation",
    "overspending",
    "running_totals_by_year",
]
