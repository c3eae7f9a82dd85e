"""Reporting periods as the programme files name them: a quarter ("2025Q3") or a year ("2025")."""

from __future__ import annotations

import datetime as dt

from xiaozhen.reports import normalise_period

_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def period_end(period: str) -> dt.date:
    period = normalise_period(period)
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 12, 31)
    month, day = _QUARTER_END[int(period[5])]
    return dt.date(year, month, day)


def period_start(period: str) -> dt.date:
    period = normalise_period(period)
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 1, 1)
    return dt.date(year, 3 * int(period[5]) - 2, 1)


def previous_period(period: str) -> str:
    """The period before: 2025Q1 → 2024Q4, 2025 → 2024."""
    period = normalise_period(period)
    year = int(period[:4])
    if len(period) == 4:
        return str(year - 1)
    quarter = int(period[5])
    return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"


def period_for(day: dt.date, frequency: str) -> str:
    """The period that ``day`` falls in, for a programme reporting by ``quarter`` or ``year``."""
    if frequency == "year":
        return str(day.year)
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def periods_in_year_to(period: str) -> list[str]:
    """The periods of the same year up to and including ``period`` (2025Q3 → Q1, Q2, Q3)."""
    period = normalise_period(period)
    if len(period) == 4:
        return [period]
    return [f"{period[:4]}Q{q}" for q in range(1, int(period[5]) + 1)]
