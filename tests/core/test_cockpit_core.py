"""The cockpit's arithmetic: projections with a band, on-track flags, schematic grids, simplification."""

from __future__ import annotations

import json
import math

import pytest

from xiaozhen.cockpit import (
    label_point,
    project_linear,
    schematic_grid,
    simplified,
    spread_in_cell,
    target_status,
)


def test_a_straight_series_projects_exactly_with_a_zero_band():
    p = project_linear([(2021, 10.0), (2022, 20.0), (2023, 30.0)], 2025)
    assert p.value == pytest.approx(50.0) and p.low == pytest.approx(50.0) and p.high == pytest.approx(50.0)


def test_a_noisy_series_gets_the_95_percent_prediction_interval():
    points = [(2019, 10.0), (2020, 14.0), (2021, 15.0), (2022, 21.0)]
    p = project_linear(points, 2025)
    # Sxy = 17, Sxx = 5: slope 3.4 through (2020.5, 15) → 30.3 in 2025; residuals 0.1, 0.7, -1.7, 0.9 → SSR 4.2
    assert p.value == pytest.approx(30.3)
    half = 4.303 * math.sqrt(4.2 / 2) * math.sqrt(1 + 1 / 4 + 4.5**2 / 5)
    assert (p.low, p.high) == (pytest.approx(30.3 - half), pytest.approx(30.3 + half))


def test_one_or_two_years_say_so_instead_of_inventing_a_band():
    assert project_linear([(2022, 7.0)], 2025).method.en.startswith("one year")
    two = project_linear([(2022, 7.0), (2023, 9.0)], 2025)
    assert two.value == pytest.approx(13.0) and "no band" in two.method.en
    assert project_linear([], 2025).value is None


@pytest.mark.parametrize(("low", "value", "status"), [(100.0, 110.0, "on_track"), (99.0, 100.0, "uncertain"), (90.0, 99.99, "at_risk")])
def test_status_reads_the_targets_own_comparison_at_the_line(low, value, status):
    from xiaozhen.cockpit import Projection
    from xiaozhen.policy import Text

    p = Projection(value, low, value + (value - low), 4, Text(zh="测", en="test"))
    assert target_status(100.0, ">=", p) == status


def test_an_upper_limit_target_reads_the_high_edge_of_the_band():
    from xiaozhen.cockpit import Projection
    from xiaozhen.policy import Text

    assert target_status(100.0, "<=", Projection(95.0, 90.0, 101.0, 4, Text(zh="测", en="test"))) == "uncertain"
    assert target_status(100.0, "<=", Projection(95.0, 90.0, 100.0, 4, Text(zh="测", en="test"))) == "on_track"


def test_the_schematic_grid_is_as_square_as_the_count_allows_and_towns_stay_inside_their_cell():
    cells = schematic_grid([(str(i), f"区{i}") for i in range(5)])
    assert len({(c.x, c.y) for c in cells}) == 5
    assert max(c.x for c in cells) == 20.0 and max(c.y for c in cells) == 10.0  # 3 columns, 2 rows
    cell = cells[0]
    for i in range(9):
        x, y = spread_in_cell(cell, i, 9)
        assert cell.x < x < cell.x + cell.size and cell.y < y < label_point(cell)[1] - cell.size * 0.1


def test_towns_are_points_at_province_level_and_simplified_shapes_below():
    ring = [[120 + 0.01 * math.cos(a / 50 * 2 * math.pi), 30 + 0.01 * math.sin(a / 50 * 2 * math.pi)] for a in range(50)]
    text = json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    assert simplified(text, "province") is None
    county, city = simplified(text, "county"), simplified(text, "city")
    assert county is not None and city is not None
    assert len(city["coordinates"][0]) < len(county["coordinates"][0]) <= 51


def test_a_floor_clips_the_low_edge_of_the_band_for_totals_that_cannot_be_negative():
    points = [(2021, 1.0), (2022, 9.0), (2023, 2.0)]
    assert project_linear(points, 2025).low < 0
    assert project_linear(points, 2025, floor=0.0).low == 0.0
