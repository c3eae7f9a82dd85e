"""Plausibility rules at import (issue 9, Deliver 10): impossible values are per-cell errors, not quiet passes."""

from __future__ import annotations

import pytest

from xiaozhen.facts import FactsError, frame_from_records
from xiaozhen.policy import get_policy

TONGZHOU = get_policy("tongzhou-towns")
GUANGXI = get_policy("guangxi-innovation-towns")


def _problems(policy, record):
    with pytest.raises(FactsError) as err:
        frame_from_records(policy, [record], source="facts.csv", row_numbers=[2])
    return err.value.problems


@pytest.mark.parametrize("level", [1, 5])
def test_a_scenic_level_at_either_end_of_a_to_5a_is_accepted(level):
    frame = frame_from_records(TONGZHOU, [{"town_id": "T", "period": "2020", "basis": "plan", "scenic_standard_level": level}])
    assert frame["scenic_standard_level"][0] == level


@pytest.mark.parametrize("level", [0, 6, 21])
def test_a_scenic_level_outside_1_to_5_is_refused_naming_the_row_and_column(level):
    [problem] = _problems(TONGZHOU, {"town_id": "T", "period": "2020", "basis": "plan", "scenic_standard_level": level})
    assert (problem.file, problem.row, problem.column) == ("facts.csv", 2, "scenic_standard_level")
    assert "1–5" in problem.message and str(level) in problem.message


def test_an_area_of_zero_is_refused_and_a_small_positive_one_accepted():
    [problem] = _problems(TONGZHOU, {"town_id": "T", "period": "2020", "basis": "plan", "planning_area_km2": 0})
    assert problem.column == "planning_area_km2" and "above 0" in problem.message
    frame = frame_from_records(TONGZHOU, [{"town_id": "T", "period": "2020", "basis": "plan", "planning_area_km2": 0.01}])
    assert frame["planning_area_km2"][0] == 0.01


def test_housing_plus_complex_investment_above_the_total_is_refused_with_both_figures():
    record = {"town_id": "G", "period": "2020", "basis": "plan", "fixed_asset_investment": 10,
              "housing_investment": 6, "commercial_complex_investment": 4.01}
    [problem] = _problems(GUANGXI, record)
    assert problem.row == 2 and problem.column == "commercial_complex_investment"
    assert "10.01" in problem.message and "parts never exceed their whole" in problem.message


def test_housing_plus_complex_investment_exactly_equal_to_the_total_is_accepted():
    record = {"town_id": "G", "period": "2020", "basis": "plan", "fixed_asset_investment": 1,
              "housing_investment": 0.7, "commercial_complex_investment": 0.3}
    frame = frame_from_records(GUANGXI, [record])
    assert frame["fixed_asset_investment"][0] == 1
