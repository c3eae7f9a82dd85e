"""The bulletin's progress ranking: investment completed against plan, or completeness."""

from __future__ import annotations

from xiaozhen.policy import get_policy
from xiaozhen.reports import TownProgress, progress_measure, rank_progress


def test_towns_are_ranked_by_counted_investment_completed_against_plan():
    ranked = rank_progress([
        TownProgress("A", "甲", planned=20, completed_to_date=5),
        TownProgress("B", "乙", planned=10, completed_to_date=5),
        TownProgress("C", "丙", planned=40, completed_to_date=4),
    ], "investment_progress")
    assert [(t.town_id, t.rank) for t in ranked] == [("B", 1), ("A", 2), ("C", 3)]
    assert ranked[0].score == 0.5
    assert ranked[0].numbers["planned"] == 10


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    ranked = rank_progress([
        TownProgress("A", "甲", planned=10, completed_to_date=5),
        TownProgress("B", "乙", planned=20, completed_to_date=10, completed_in_period=3),
        TownProgress("C", "丙", planned=10, completed_to_date=1),
    ], "investment_progress")
    assert [(t.town_id, t.rank) for t in ranked] == [("B", 1), ("A", 1), ("C", 3)]


def test_a_town_without_a_plan_is_listed_last_without_a_rank():
    ranked = rank_progress([
        TownProgress("A", "甲", planned=None, completed_to_date=5),
        TownProgress("B", "乙", planned=10, completed_to_date=1),
    ], "investment_progress")
    assert [(t.town_id, t.rank, t.score) for t in ranked] == [("B", 1, 0.1), ("A", 0, None)]


def test_programmes_without_ledger_investment_rank_by_completeness():
    assert progress_measure(get_policy("guangdong-specialised-towns")).id == "completeness"
    ranked = rank_progress([TownProgress("A", "甲", given=3, expected=4), TownProgress("B", "乙", given=4, expected=4)],
                           "completeness")
    assert [t.town_id for t in ranked] == ["B", "A"]


def test_the_measure_cites_the_reporting_clause_and_the_ledger_clause():
    measure = progress_measure(get_policy("tongzhou-towns"))
    assert measure.id == "investment_progress"
    assert "003 §五(三)" in measure.clause and "003 §三(四)" in measure.clause
