"""The scoring core: sheet validation and panel aggregation, with properties (Hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaozhen.scoring import (
    DEFAULT_RULE,
    DivergenceRule,
    RubricLine,
    Sheet,
    aggregate,
    validate_sheet,
)

RUBRIC = [RubricLine("industry", 40), RubricLine("investment", 30), RubricLine("mechanism", 30)]


def sheet(expert: str, industry: float, investment: float, mechanism: float) -> Sheet:
    return Sheet(expert, {"industry": industry, "investment": investment, "mechanism": mechanism})


@st.composite
def panels(draw, min_size: int = 1, max_size: int = 7):
    maxima = draw(st.lists(st.sampled_from([5, 10, 12.5, 20, 30, 40]), min_size=1, max_size=5))
    rubric = [RubricLine(f"i{n}", m) for n, m in enumerate(maxima)]
    size = draw(st.integers(min_size, max_size))
    sheets = []
    for e in range(size):
        scores = {line.id: draw(st.floats(0, line.max_score, allow_nan=False)) for line in rubric}
        sheets.append(Sheet(f"e{e}", scores))
    return rubric, sheets


# --- validation ------------------------------------------------------------------------------

def test_a_complete_sheet_within_the_maxima_has_no_problem():
    assert validate_sheet(RUBRIC, {"industry": 35, "investment": 25, "mechanism": 20}) == []


def test_a_missing_score_an_out_of_range_score_and_an_unknown_item_are_each_named():
    problems = validate_sheet(RUBRIC, {"industry": 41, "investment": -1, "extra": 3})
    by_item = {p.item: p for p in problems}
    assert set(by_item) == {"industry", "investment", "mechanism", "extra"}
    assert "0..40" in by_item["industry"].en
    assert "0 至 30" in by_item["investment"].zh
    assert "required" in by_item["mechanism"].en


def test_a_score_below_sixty_percent_of_the_maximum_needs_a_comment():
    scores = {"industry": 23.9, "investment": 18, "mechanism": 30}
    problems = validate_sheet(RUBRIC, scores)
    assert [p.item for p in problems] == ["industry"]
    assert "24" in problems[0].en and "comment" in problems[0].en
    assert validate_sheet(RUBRIC, scores, {"industry": "主导产业不突出"}) == []


def test_the_comment_threshold_is_configurable():
    strict = DivergenceRule(comment_below=0.8)
    assert [p.item for p in validate_sheet(RUBRIC, {"industry": 30, "investment": 30, "mechanism": 30}, rule=strict)] == ["industry"]


def test_a_non_number_is_refused_not_crashed_on():
    problems = validate_sheet(RUBRIC, {"industry": "高", "investment": math.nan, "mechanism": True})  # type: ignore[dict-item]
    assert {p.item for p in problems} == {"industry", "investment", "mechanism"}


# --- aggregation: worked examples ------------------------------------------------------------

def test_the_panel_mean_spread_and_range_per_item_and_in_total():
    agg = aggregate(RUBRIC, [sheet("a", 30, 20, 20), sheet("b", 34, 22, 24), sheet("c", 32, 24, 22)])
    industry = agg.items[0]
    assert (industry.mean, industry.minimum, industry.maximum, industry.range) == (32, 30, 34, 4)
    assert industry.sd == pytest.approx(2.0)
    assert agg.total.mean == pytest.approx(76) and agg.total.max_score == 100
    assert agg.flags == ()


def test_an_expert_far_from_the_others_is_flagged_on_the_total_with_the_numbers():
    agg = aggregate(RUBRIC, [sheet("a", 34, 25, 24), sheet("b", 33, 26, 25), sheet("c", 20, 15, 15)])
    flag = agg.total_flag("c")
    assert flag is not None
    assert flag.others_mean == pytest.approx(83.5) and flag.gap == pytest.approx(33.5)
    assert "gap" in flag.reasons
    assert agg.total_flag("a") is None and agg.total_flag("b") is None


def test_one_far_off_expert_does_not_make_the_close_ones_look_divergent():
    agg = aggregate(RUBRIC, [sheet("a", 34, 25, 24), sheet("b", 34, 26, 24), sheet("c", 15, 10, 10)])
    assert agg.flagged_experts == {"c"}


def test_two_experts_fifteen_percent_apart_are_both_flagged():
    agg = aggregate(RUBRIC, [sheet("a", 34, 25, 25), sheet("b", 26, 20, 20)])  # totals 84 and 66
    assert agg.flagged_experts == {"a", "b"}
    assert all(f.reasons == ("gap",) for f in agg.flags if f.item == "total")


def test_a_small_difference_among_close_scores_is_not_flagged():
    # Others' SD is tiny, so 1.5 SD alone would flag a point; the 10 % floor stops that.
    agg = aggregate(RUBRIC, [sheet(e, 32, 24, v) for e, v in [("a", 24), ("b", 24.5), ("c", 25), ("d", 27)]])
    assert agg.flags == ()


def test_the_spread_rule_flags_a_score_beyond_one_and_a_half_standard_deviations():
    rubric = [RubricLine("x", 100)]
    sheets = [Sheet(e, {"x": v}) for e, v in [("a", 70), ("b", 72), ("c", 74), ("d", 84)]]
    agg = aggregate(rubric, sheets, DivergenceRule(share_of_max=0.5))  # the gap rule out of the way
    flags = [f for f in agg.flags if f.item == "x"]
    assert [(f.expert, f.reasons) for f in flags] == [("d", ("spread",))]


def test_a_rule_round_trips_through_a_dict_and_rejects_nonsense():
    rule = DivergenceRule(share_of_max=0.2, sd_factor=2)
    assert DivergenceRule.from_dict(rule.as_dict()) == rule
    assert DivergenceRule.from_dict(None) is DEFAULT_RULE
    with pytest.raises(ValueError, match="share_of_max"):
        DivergenceRule(share_of_max=1.5)
    with pytest.raises(ValueError, match="one sheet"):
        aggregate(RUBRIC, [sheet("a", 1, 1, 1), sheet("a", 2, 2, 2)])


def test_a_panel_without_sheets_has_no_mean():
    agg = aggregate(RUBRIC, [])
    assert agg.total.n == 0 and agg.total.mean is None and agg.total.range is None and agg.flags == ()


# --- aggregation: properties -----------------------------------------------------------------

@given(panels())
def test_the_mean_lies_between_the_lowest_and_highest_score(panel):
    rubric, sheets = panel
    agg = aggregate(rubric, sheets)
    for stats in (*agg.items, agg.total):
        assert stats.minimum <= stats.mean <= stats.maximum
        assert stats.sd >= 0 and stats.range >= 0


@given(panels(max_size=1))
def test_a_single_expert_is_never_flagged_and_has_no_spread(panel):
    rubric, sheets = panel
    agg = aggregate(rubric, sheets)
    assert agg.flags == () and agg.total.sd == 0 and agg.total.range == 0


@given(panels(min_size=2), st.integers(2, 6))
def test_a_panel_of_identical_scores_flags_nobody(panel, size):
    rubric, sheets = panel
    same = [Sheet(f"e{n}", dict(sheets[0].scores)) for n in range(size)]
    agg = aggregate(rubric, same)
    assert agg.flags == ()
    assert agg.total.sd == pytest.approx(0, abs=1e-9) and agg.total.range == pytest.approx(0, abs=1e-9)


@given(panels(min_size=2))
def test_every_flag_is_beyond_the_floor_and_reports_the_others_mean(panel):
    rubric, sheets = panel
    agg = aggregate(rubric, sheets)
    maxima = {line.id: line.max_score for line in rubric} | {"total": sum(line.max_score for line in rubric)}
    for flag in agg.flags:
        assert flag.gap > DEFAULT_RULE.floor_share * maxima[flag.item]
        stats = agg.total if flag.item == "total" else next(s for s in agg.items if s.item == flag.item)
        others = [v for e, v in stats.scores.items() if e != flag.expert]
        assert min(others) - 1e-9 <= flag.others_mean <= max(others) + 1e-9


@given(panels(min_size=2), st.sampled_from([0.5, 2.0, 4.0]))
def test_flags_do_not_depend_on_the_scale_of_the_rubric(panel, k):
    rubric, sheets = panel
    scaled_rubric = [RubricLine(line.id, line.max_score * k) for line in rubric]
    scaled = [Sheet(s.expert, {i: v * k for i, v in s.scores.items()}) for s in sheets]
    key = lambda agg: sorted((f.expert, f.item, f.reasons) for f in agg.flags)  # noqa: E731
    assert key(aggregate(rubric, sheets)) == key(aggregate(scaled_rubric, scaled))


@given(panels(min_size=1))
def test_the_order_of_the_sheets_does_not_change_the_result(panel):
    rubric, sheets = panel
    a, b = aggregate(rubric, sheets), aggregate(rubric, list(reversed(sheets)))
    assert a.total.mean == pytest.approx(b.total.mean)
    assert sorted((f.expert, f.item) for f in a.flags) == sorted((f.expert, f.item) for f in b.flags)


@given(panels(min_size=1))
def test_every_valid_sheet_passes_validation_once_low_scores_carry_a_comment(panel):
    rubric, sheets = panel
    for s in sheets:
        assert validate_sheet(rubric, s.scores, {line.id: "理由" for line in rubric}) == []
