"""Project funding (004 §三6): totals per source and the local matching ratio."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaozhen.funding import (
    ALLOCATION,
    DISBURSEMENT,
    LOCAL_SOURCES,
    PROVINCIAL,
    SOURCES,
    FundingError,
    Movement,
    funding_statement,
    matching_shortfall,
    overspending,
    running_totals_by_year,
)

D = Decimal
DAY = dt.date(2024, 3, 1)


def alloc(source: str, amount: str, on: dt.date = DAY) -> Movement:
    return Movement(source, ALLOCATION, D(amount), on)


def spend(source: str, amount: str, on: dt.date = DAY) -> Movement:
    return Movement(source, DISBURSEMENT, D(amount), on)


COMMITTED = {"provincial": D("100"), "city": D("40"), "county": D("30"), "town": D("30")}


def test_a_town_matching_the_province_one_to_one_is_not_flagged():
    statement = funding_statement(COMMITTED, [alloc("provincial", "60"), alloc("city", "30"), alloc("town", "30")], D("1"))
    assert statement.matching.ratio == D("1")
    assert not statement.matching.below
    assert statement.matching.shortfall == 0


def test_a_town_with_less_local_money_than_the_province_is_flagged_with_the_shortfall_and_clause():
    statement = funding_statement(COMMITTED, [alloc("provincial", "80"), alloc("county", "20"), alloc("town", "30")], D("1"))
    assert statement.matching.below
    assert statement.matching.shortfall == D("30")
    assert statement.matching.ratio_shown == D("0.63")
    assert statement.matching.clause == "004 §三6"


def test_without_provincial_money_there_is_no_ratio_and_nothing_to_match():
    statement = funding_statement(COMMITTED, [alloc("town", "5")], D("1"))
    assert statement.matching.ratio is None
    assert not statement.matching.below


def test_totals_show_committed_allocated_spent_and_unspent_per_source():
    statement = funding_statement(
        COMMITTED, [alloc("provincial", "50"), spend("provincial", "20"), alloc("city", "10"), spend("city", "10")], D("1")
    )
    prov = statement.source("provincial")
    assert (prov.committed, prov.allocated, prov.spent, prov.unspent, prov.outstanding) == (
        D("100"), D("50"), D("20"), D("30"), D("50"))
    assert statement.local.allocated == D("10") and statement.local.committed == D("100")
    assert statement.total.spent == D("30")


def test_movements_after_the_statement_date_are_not_counted():
    statement = funding_statement(
        COMMITTED, [alloc("provincial", "50"), alloc("city", "50", dt.date(2025, 1, 2))], D("1"), as_of=dt.date(2024, 12, 31)
    )
    assert statement.local.allocated == 0 and statement.matching.below


def test_a_commitment_below_the_required_ratio_is_flagged_before_any_money_moves():
    statement = funding_statement({"provincial": D("100"), "town": D("50")}, [], D("1"))
    assert statement.matching.committed_below and statement.matching.committed_ratio == D("0.5")


def test_spending_more_than_a_source_brought_is_overspending():
    assert overspending([alloc("city", "10")], spend("city", "12")) == {"city": D("2")}
    assert overspending([alloc("city", "10")], spend("city", "10")) == {}


def test_running_totals_count_allocations_up_to_the_end_of_each_year():
    moves = [alloc("provincial", "50", dt.date(2023, 5, 1)), alloc("town", "20", dt.date(2024, 2, 1)),
             spend("town", "5", dt.date(2024, 3, 1)), alloc("provincial", "50", dt.date(2025, 1, 1))]
    assert running_totals_by_year(moves, [2023, 2024, 2025]) == {
        2023: (D("50"), D("0")), 2024: (D("50"), D("20")), 2025: (D("100"), D("20"))}


@pytest.mark.parametrize("amount", ["0", "-3", "NaN", "Infinity"])
def test_an_amount_that_is_not_above_zero_is_refused_naming_the_amount(amount):
    with pytest.raises(FundingError) as info:
        Movement("city", ALLOCATION, D(amount), DAY)
    assert info.value.field == "amount" and "金额" in info.value.zh


def test_an_unknown_source_or_kind_is_refused():
    with pytest.raises(FundingError, match="source"):
        Movement("bank", ALLOCATION, D("1"), DAY)
    with pytest.raises(FundingError, match="kind"):
        Movement("city", "loan", D("1"), DAY)


def test_a_negative_commitment_or_ratio_is_refused():
    with pytest.raises(FundingError):
        funding_statement({"city": D("-1")}, [], D("1"))
    with pytest.raises(FundingError):
        funding_statement({}, [], D("-1"))
    with pytest.raises(FundingError):
        funding_statement({"bank": D("1")}, [], D("1"))


# --- properties -------------------------------------------------------------------------------
amounts = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31))
movements = st.lists(
    st.builds(Movement, st.sampled_from(SOURCES), st.sampled_from([ALLOCATION, DISBURSEMENT]), amounts, dates),
    max_size=30,
)
ratios = st.decimals(min_value=D("0"), max_value=D("5"), places=2)
commitments = st.fixed_dictionaries({s: st.decimals(min_value=D("0"), max_value=D("100000"), places=2) for s in SOURCES})


@given(commitments, movements, ratios)
def test_the_flag_is_raised_exactly_when_local_money_is_below_the_ratio_times_provincial(c, moves, ratio):
    m = funding_statement(c, moves, ratio).matching
    assert m.below == (m.local < ratio * m.provincial)
    if m.ratio is not None:
        assert m.below == (m.ratio < ratio)


@given(commitments, movements, ratios)
def test_allocating_the_shortfall_in_local_money_clears_the_flag(c, moves, ratio):
    m = funding_statement(c, moves, ratio).matching
    if m.below:
        topped = funding_statement(c, [*moves, Movement("town", ALLOCATION, m.shortfall, DAY)], ratio).matching
        assert not topped.below


@given(commitments, movements, ratios, st.randoms())
def test_the_order_of_the_ledger_lines_does_not_change_the_statement(c, moves, ratio, rnd):
    shuffled = list(moves)
    rnd.shuffle(shuffled)
    assert funding_statement(c, moves, ratio) == funding_statement(c, shuffled, ratio)


@given(commitments, movements, ratios, amounts, st.sampled_from(LOCAL_SOURCES))
def test_more_local_money_never_lowers_the_ratio_nor_raises_the_shortfall(c, moves, ratio, extra, source):
    before = funding_statement(c, moves, ratio).matching
    after = funding_statement(c, [*moves, Movement(source, ALLOCATION, extra, DAY)], ratio).matching
    assert after.shortfall <= before.shortfall
    if before.ratio is not None:
        assert after.ratio is not None and after.ratio >= before.ratio


@given(commitments, movements, ratios)
def test_per_source_totals_add_up_to_the_ledger(c, moves, ratio):
    s = funding_statement(c, moves, ratio)
    assert s.total.allocated == sum((m.amount for m in moves if m.kind == ALLOCATION), D("0"))
    assert s.total.spent == sum((m.amount for m in moves if m.kind == DISBURSEMENT), D("0"))
    assert s.local.allocated + s.source(PROVINCIAL).allocated == s.total.allocated


@given(movements, st.lists(st.integers(2020, 2026), min_size=1, max_size=7))
def test_running_totals_never_decrease_and_end_at_the_statement_figures(moves, years):
    totals = running_totals_by_year(moves, years)
    ordered = [totals[y] for y in sorted(totals)]
    assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in itertools.pairwise(ordered))
    last = max(totals)
    m = funding_statement({}, moves, D("1"), as_of=dt.date(last, 12, 31)).matching
    assert totals[last] == (m.provincial, m.local)


@given(st.decimals(min_value=D("0"), max_value=D("1e6"), places=2), st.decimals(min_value=D("0"), max_value=D("1e6"), places=2), ratios)
def test_the_shortfall_is_never_negative(local, provincial, ratio):
    assert matching_shortfall(local, provincial, ratio) >= 0
