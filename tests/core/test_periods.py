"""xiaozhen.periods: the one home of reporting periods (a year or a quarter)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaozhen.periods import Period, normalise_period

years = st.integers(min_value=1001, max_value=9998)
quarters = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
periods = st.builds(Period, years, quarters)
days = st.dates(min_value=dt.date(1001, 1, 1), max_value=dt.date(9998, 12, 31))


def _month_end_by_rollover(year: int, quarter: int) -> dt.date:
    """The algorithm web/towns/facts.py used: first of the quarter's last month + 31 days, back to the 1st, minus a day."""
    return (dt.date(year, quarter * 3, 1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025Q1", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("2025Q2", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("2025Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2024Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),  # a leap year changes nothing at a quarter's end
    ],
)
def test_each_period_starts_and_ends_on_the_calendar_days(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2025q3", "2025-Q3", " 2025 Q3 ", "2025-q3"])
def test_the_ways_people_type_a_quarter_all_mean_the_same_quarter(text):
    assert str(Period.parse(text)) == "2025Q3"


@pytest.mark.parametrize("text", ["", "25", "20251", "2025Q0", "2025Q5", "2025H1", "Q32025", "0000", "0999", "2025Q", "abcd"])
def test_anything_else_is_refused_with_one_bilingual_message(text):
    with pytest.raises(ValueError, match=r"应为年份 \(2025\) 或季度 \(2025Q3\) / period .* must be a year"):
        Period.parse(text)


def test_a_year_must_have_four_digits_so_its_text_reads_back():
    assert str(Period(1000)) == "1000" and str(Period(9999, 4)) == "9999Q4"
    for year in (999, 10000):
        with pytest.raises(ValueError, match="four digits"):
            Period(year)


def test_a_quarter_outside_one_to_four_cannot_be_built():
    for quarter in (0, 5):
        with pytest.raises(ValueError, match="quarter"):
            Period(2025, quarter)
    assert Period(2025, 1).quarter == 1 and Period(2025, 4).quarter == 4


def test_the_period_before_the_first_quarter_is_the_last_quarter_of_the_year_before():
    assert Period.parse("2025Q1").previous() == Period(2024, 4)
    assert Period.parse("2025Q2").previous() == Period(2025, 1)
    assert Period.parse("2025").previous() == Period(2024)


def test_the_period_after_the_fourth_quarter_is_the_first_quarter_of_the_next_year():
    assert Period.parse("2024Q4").next() == Period(2025, 1)
    assert Period.parse("2024Q3").next() == Period(2024, 4)
    assert Period.parse("2024").next() == Period(2025)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (dt.date(2025, 3, 31), "2025Q1"), (dt.date(2025, 4, 1), "2025Q2"),
        (dt.date(2025, 6, 30), "2025Q2"), (dt.date(2025, 7, 1), "2025Q3"),
        (dt.date(2025, 9, 30), "2025Q3"), (dt.date(2025, 10, 1), "2025Q4"),
        (dt.date(2025, 12, 31), "2025Q4"), (dt.date(2026, 1, 1), "2026Q1"),
    ],
)
def test_a_day_at_a_quarter_boundary_falls_in_the_right_quarter(day, quarter):
    assert str(Period.for_date(day, "quarter")) == quarter
    assert str(Period.for_date(day, "year")) == str(day.year)


def test_the_year_to_date_of_a_third_quarter_is_its_first_three_quarters():
    assert [str(p) for p in Period.parse("2025Q3").year_to_date()] == ["2025Q1", "2025Q2", "2025Q3"]
    assert [str(p) for p in Period.parse("2025").year_to_date()] == ["2025"]


def test_normalise_period_returns_the_canonical_text():
    assert normalise_period("2025-q4") == "2025Q4"
    assert normalise_period("2025") == "2025"


@given(periods)
def test_a_period_written_out_parses_back_to_itself(period):
    assert Period.parse(str(period)) == period
    assert Period.parse(str(period).lower()) == period


@given(periods)
def test_next_and_previous_undo_each_other(period):
    assert period.next().previous() == period
    assert period.previous().next() == period


@given(periods)
def test_consecutive_periods_leave_no_gap_and_no_overlap(period):
    assert period.next().start == period.end + dt.timedelta(days=1)
    assert period.previous().end == period.start - dt.timedelta(days=1)


@given(years, st.integers(min_value=1, max_value=4))
def test_both_quarter_end_algorithms_agree_on_every_quarter(year, quarter):
    """The two period_ends the web had (a table of quarter ends; a month roll-over) were both right."""
    period = Period(year, quarter)
    assert period.end == _month_end_by_rollover(year, quarter)
    last_month = quarter * 3
    assert period.end == dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


@given(days)
def test_every_day_lies_in_the_quarter_and_year_found_for_it(day):
    quarter = Period.for_date(day, "quarter")
    year = Period.for_date(day, "year")
    assert quarter.start <= day <= quarter.end
    assert year.start <= day <= year.end and quarter.contains(day)
    assert quarter.start.month in (1, 4, 7, 10) and quarter.start.day == 1


@given(periods)
def test_a_year_holds_four_quarters_end_to_end(period):
    year = Period(period.year)
    quarters = Period(period.year, 4).year_to_date()
    assert [q.quarter for q in quarters] == [1, 2, 3, 4]
    assert quarters[0].start == year.start and quarters[-1].end == year.end
