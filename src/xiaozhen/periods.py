"""Reporting periods, the one home of the idea: a year ("2025") or a quarter ("2025Q3").

Programme files, facts files, quarterly reports and the web all name periods this
way. ``Period.parse`` accepts the spellings people type ("2025q3", "2025-Q3",
" 2025 Q3 ") and refuses anything else with one bilingual message; ``str(period)``
gives the canonical spelling back, so stored text is always canonical.

    >>> p = Period.parse("2025-q1")
    >>> str(p), p.start, p.end, str(p.previous()), str(p.next())
    ('2025Q1', datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), '2024Q4', '2025Q2')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = ["Frequency", "Period", "normalise_period"]

Frequency = Literal["quarter", "year"]

_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar year, or one quarter of it (``quarter`` 1–4; ``None`` for the whole year)."""

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:  # written with four digits, so text and period map one to one
            raise ValueError(f"年份 {self.year} 应为四位数 / year {self.year} must have four digits (1000–9999)")
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"季度 {self.quarter} 应为 1–4 / quarter {self.quarter} must be 1–4")

    @classmethod
    def parse(cls, text: object) -> Period:
        """"2025Q3", "2025q3", "2025-Q3", "2025 Q3" → 2025Q3; "2025" → the year. ValueError otherwise."""
        if isinstance(text, Period):
            return text
        clean = str(text).strip().upper().replace(" ", "").replace("-", "")
        if len(clean) == 4 and clean.isdigit() and clean[0] != "0":
            return cls(int(clean))
        if len(clean) == 6 and clean[:4].isdigit() and clean[0] != "0" and clean[4] == "Q" and clean[5] in "1234":
            return cls(int(clean[:4]), int(clean[5]))
        raise ValueError(
            f"期间 {text!r} 应为年份 (2025) 或季度 (2025Q3) / period {text!r} must be a year (2025) or a quarter (2025Q3)"
        )

    @classmethod
    def for_date(cls, day: dt.date, frequency: Frequency = "quarter") -> Period:
        """The period ``day`` falls in, for a programme reporting by ``quarter`` or by ``year``."""
        if frequency == "year":
            return cls(day.year)
        if frequency != "quarter":
            raise ValueError(f"frequency must be 'quarter' or 'year', got {frequency!r}")
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def is_year(self) -> bool:
        return self.quarter is None

    @property
    def start(self) -> dt.date:
        """The first day: 1 January for a year, the first day of the quarter's first month."""
        if self.quarter is None:
            return dt.date(self.year, 1, 1)
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        """The last day: 31 December for a year; 31 March, 30 June, 30 September or 31 December."""
        if self.quarter is None:
            return dt.date(self.year, 12, 31)
        month, day = _QUARTER_END[self.quarter]
        return dt.date(self.year, month, day)

    def previous(self) -> Period:
        """The period before, of the same kind: 2025Q1 → 2024Q4, 2025 → 2024."""
        if self.quarter is None:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def next(self) -> Period:
        """The period after, of the same kind: 2024Q4 → 2025Q1, 2024 → 2025."""
        if self.quarter is None:
            return Period(self.year + 1)
        if self.quarter == 4:
            return Period(self.year + 1, 1)
        return Period(self.year, self.quarter + 1)

    def year_to_date(self) -> list[Period]:
        """The periods of the same year up to and including this one (2025Q3 → Q1, Q2, Q3; 2025 → 2025)."""
        if self.quarter is None:
            return [self]
        return [Period(self.year, q) for q in range(1, self.quarter + 1)]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return str(self.year) if self.quarter is None else f"{self.year}Q{self.quarter}"


def normalise_period(text: object) -> str:
    """"2025Q3", "2025q3", "2025-Q3" → "2025Q3"; "2025" stays. ValueError otherwise."""
    return str(Period.parse(text))
