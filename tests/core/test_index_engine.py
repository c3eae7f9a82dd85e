"""The composite-index engine step by step on small data whose answers can be worked by hand."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from xiaozhen.cli import main
from xiaozhen.index import IndexMethodError, kurt, load_method, log_ct, run_index, skew, winsorise
from xiaozhen.index._steps import (
    aggregate,
    critic_weights,
    entropy_weights,
    impute,
    normalise,
    rank_descending,
    treat_column,
)
from xiaozhen.index._uncertainty import run_uncertainty

VALUES = np.array([1.0, 2.0, 3.0, 4.0, 10.0, 2.5, 3.5])


def excel_skew(x: np.ndarray) -> float:
    n, s = x.size, x.std(ddof=1)
    return float(n / ((n - 1) * (n - 2)) * (((x - x.mean()) / s) ** 3).sum())


def excel_kurt(x: np.ndarray) -> float:
    n, s = x.size, x.std(ddof=1)
    return float(n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * (((x - x.mean()) / s) ** 4).sum()
                 - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def test_skew_and_kurtosis_equal_excel_skew_and_kurt() -> None:
    assert skew(VALUES) == pytest.approx(excel_skew(VALUES))
    assert kurt(VALUES) == pytest.approx(excel_kurt(VALUES))


def test_skew_and_kurtosis_ignore_missing_values() -> None:
    with_gap = np.append(VALUES, np.nan)
    assert skew(with_gap) == pytest.approx(skew(VALUES))
    assert kurt(with_gap) == pytest.approx(kurt(VALUES))


def test_winsorise_pulls_the_high_outlier_in_when_skew_is_positive() -> None:
    x = np.array([1, 2, 2, 3, 3, 3, 4, 4, 5, 100.0])
    out, points, high, low = winsorise(x, 5, 2.0, 3.5)
    assert points == 1 and high == [9] and low == []
    assert out[9] == 5.0
    assert abs(skew(out)) < 2 or kurt(out) < 3.5


def test_winsorise_pulls_the_low_outlier_in_when_skew_is_negative() -> None:
    x = -np.array([1, 2, 2, 3, 3, 3, 4, 4, 5, 100.0])
    out, points, high, low = winsorise(x, 5, 2.0, 3.5)
    assert points == 1 and low == [9] and high == []
    assert out[9] == -5.0


def test_treatment_falls_back_to_the_log_of_the_original_values_after_five_points() -> None:
    # a log-normal tail: five winsorised points are not enough, the log passes
    x = np.exp(np.random.default_rng(5).normal(0, 1.2, 300))
    out, info = treat_column(x, "tail", 5, 2.0, 3.5)
    assert info.action == "log" and info.points == 0
    assert np.allclose(out, log_ct(x))
    assert np.allclose(log_ct(x), np.log(x - x.min() + 0.01 * (x.max() - x.min())))
    assert abs(info.skew_after) < 2 or info.kurt_after < 3.5


def test_treatment_reports_a_log_that_still_fails() -> None:
    x = np.concatenate([np.linspace(0, 1, 100), np.linspace(100, 1000, 10)])
    _, info = treat_column(x, "clustered", 5, 2.0, 3.5)
    assert info.action == "log (still failing)"


def test_an_indicator_that_passes_is_left_alone() -> None:
    out, info = treat_column(VALUES[:4], "ok", 5, 2.0, 3.5)
    assert info.action == "none" and np.array_equal(out, VALUES[:4])


def test_mean_and_median_imputation_fill_only_the_gaps() -> None:
    x = np.array([[1.0, 10.0], [np.nan, 20.0], [5.0, np.nan], [6.0, 90.0]])
    mean = impute(x, "mean")
    median = impute(x, "median")
    assert mean[1, 0] == pytest.approx(4.0) and mean[2, 1] == pytest.approx(40.0)
    assert median[1, 0] == 5.0 and median[2, 1] == 20.0
    assert mean[0, 0] == 1.0 and median[3, 1] == 90.0


def test_group_mean_leaves_a_gap_when_the_whole_group_is_missing() -> None:
    x = np.array([[np.nan], [np.nan], [3.0], [5.0]])
    out = impute(x, "group_mean", np.array(["a", "a", "b", "b"], dtype=object))
    assert np.isnan(out[0, 0]) and np.isnan(out[1, 0])


def test_every_normalisation_puts_the_best_unit_on_top() -> None:
    x = np.array([[1.0, 30.0], [2.0, 20.0], [4.0, 10.0]])
    directions = np.array([1.0, -1.0])
    for method in ("minmax", "zscore", "rank"):
        out = normalise(x, method, directions)
        assert np.argmax(out[:, 0]) == 2 and np.argmax(out[:, 1]) == 2, method
    minmax = normalise(x, "minmax", directions)
    assert minmax[:, 0] == pytest.approx([0.0, 100 / 3, 100.0])
    z = normalise(x, "zscore", directions)
    assert z.mean(axis=0) == pytest.approx([0, 0]) and z.std(axis=0, ddof=1) == pytest.approx([1, 1])
    assert normalise(x, "rank", directions)[:, 0] == pytest.approx([0, 50, 100])


def test_goalposts_clip_at_the_posts_and_distance_to_target_caps_at_the_target() -> None:
    x = np.array([[0.0], [5.0], [12.0]])
    goal = normalise(x, "goalposts", np.array([1.0]), goalposts=np.array([[2.0, 10.0]]))
    assert goal[:, 0] == pytest.approx([0, 37.5, 100])
    dist = normalise(x, "distance_to_target", np.array([1.0]), targets=np.array([10.0]))
    assert dist[:, 0] == pytest.approx([0, 50, 100])


def test_entropy_weighs_the_indicator_that_separates_units_more() -> None:
    x = np.array([[10.0, 50.0], [90.0, 51.0], [50.0, 49.0]])
    w = entropy_weights(x)
    assert w.sum() == pytest.approx(1) and w[0] > w[1]


def test_critic_weighs_a_spread_uncorrelated_indicator_more_than_a_redundant_one() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(50, 10, 200)
    x = np.column_stack([a, a * 0.5 + rng.normal(0, 0.1, 200), rng.normal(50, 20, 200)])
    w = critic_weights(x)
    assert w.sum() == pytest.approx(1) and w[2] > w[0] > w[1]


def test_aggregates_skip_missing_children_and_geometric_punishes_imbalance() -> None:
    children = np.array([[50.0, 50.0], [100.0, 0.0], [80.0, np.nan]])
    w = np.array([0.5, 0.5])
    arith = aggregate(children, w, "arithmetic")
    geo = aggregate(children, w, "geometric")
    assert arith == pytest.approx([50, 50, 80])
    assert geo[0] == pytest.approx(50) and geo[1] < 10 and geo[2] == pytest.approx(80)


def test_ties_share_the_best_rank() -> None:
    assert rank_descending(np.array([3.0, 5.0, 5.0, 1.0, np.nan]))[:4].tolist() == [3, 1, 1, 4]


def write_method(folder: Path, body: str, rows: str) -> Path:
    (folder / "data.csv").write_text(rows, encoding="utf-8")
    path = folder / "method.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


SMALL = """\
id: small
name: {zh: 小指数, en: small index}
data: {file: data.csv, unit: code, groups: [county]}
tree:
  nodes:
    - {code: Index}
    - {code: econ, parent: Index, weight: 2}
    - {code: green, parent: Index}
    - {code: output, parent: econ}
    - {code: jobs, parent: econ}
    - {code: waste, parent: green, direction: -1}
steps:
  normalise: {method: minmax}
ranks_within: [county]
uncertainty:
  weights: {noise: 0.3, levels: [3]}
  aggregate: [arithmetic, geometric]
"""
ROWS = "code,county,output,jobs,waste\nA,x,10,100,5\nB,x,20,300,1\nC,y,30,200,3\nD,y,40,50,4\n"


def test_expert_weights_are_taken_from_the_tree_and_sum_to_one_per_parent(tmp_path: Path) -> None:
    result = run_index(write_method(tmp_path, SMALL, ROWS))
    assert result.weights["econ"] == pytest.approx(2 / 3) and result.weights["green"] == pytest.approx(1 / 3)
    d = result.units.index("D")
    # D: output 100, jobs 0 → econ 50; waste 4 of 1..5 with direction −1 → 25; index (2·50 + 25)/3
    assert result.scores["Index"][d] == pytest.approx((2 * 50 + 25) / 3)
    assert result.group_ranks["county"]["Index"].tolist() == [2, 1, 1, 2]


def test_a_malformed_method_file_names_the_key_and_computes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_method(tmp_path, SMALL.replace("method: minmax", "method: minimax"), ROWS)
    with pytest.raises(IndexMethodError) as caught:
        load_method(path)
    assert any("steps.normalise.method" in p for p in caught.value.problems)
    assert main(["index", "run", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "steps.normalise.method" in err and out == "" and "Traceback" not in err


def test_a_non_number_in_the_data_names_the_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_method(tmp_path, SMALL, ROWS.replace("C,y,30", "C,y,thirty"))
    assert main(["index", "run", str(path)]) == 2
    assert "row 4, column output: 'thirty' is not a number" in capsys.readouterr().err


def test_a_parent_that_is_not_in_the_tree_is_refused(tmp_path: Path) -> None:
    path = write_method(tmp_path, SMALL.replace("parent: green, direction", "parent: ecology, direction"), ROWS)
    with pytest.raises(IndexMethodError, match="'ecology' is not a node"):
        load_method(path)


def test_geometric_aggregation_with_z_scores_is_refused(tmp_path: Path) -> None:
    path = write_method(tmp_path, SMALL.replace("method: minmax", "method: zscore"), ROWS)
    with pytest.raises(IndexMethodError, match="z-scores are negative"):
        load_method(path)


def test_uncertainty_is_reproducible_with_its_seed_and_brackets_the_nominal_rank(tmp_path: Path) -> None:
    method = load_method(write_method(tmp_path, SMALL, ROWS))
    one = run_uncertainty(method, runs=400, seed=7)
    two = run_uncertainty(method, runs=400, seed=7)
    assert one == two
    assert one.evaluations == one.base_n * 4
    for unit in one.units:
        assert 1 <= unit.p5 <= unit.median_rank <= unit.p95 <= 4
    assert [s.input for s in one.sensitivity] == ["aggregate 加总", "weights 权重"]
    assert all(s.total >= 0 for s in one.sensitivity)


def test_uncertainty_attributes_rank_changes_to_the_only_input_that_varies(tmp_path: Path) -> None:
    body = SMALL.replace("  weights: {noise: 0.3, levels: [3]}\n", "")
    # P is strong on output only, Q balanced: the geometric mean puts Q ahead, the arithmetic mean P
    rows = "code,county,output,jobs,waste\nP,x,100,0,3\nQ,x,45,45,3\nR,y,0,100,1\nS,y,10,10,5\n"
    method = load_method(write_method(tmp_path, body, rows))
    result = run_uncertainty(method, runs=600, seed=1)
    (only,) = result.sensitivity
    assert only.input == "aggregate 加总"
    assert only.total == pytest.approx(1.0, abs=0.15)


def test_cli_uncertainty_prints_rank_intervals_and_sensitivity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_method(tmp_path, SMALL, ROWS)
    assert main(["index", "uncertainty", str(path), "--runs", "200", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "rank_p5" in out and "first_order" in out and "weights 权重" in out


def test_sobol_estimators_recover_the_ishigami_functions_known_indices() -> None:
    # Ishigami (a = 7, b = 0.1): S = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244) (Saltelli et al. 2008)
    from xiaozhen.index._uncertainty import sobol_indices

    rng = np.random.default_rng(0)
    n, d = 100_000, 3
    a, b = rng.uniform(-np.pi, np.pi, (n, d)), rng.uniform(-np.pi, np.pi, (n, d))
    blocks = [a, b] + [np.where(np.arange(d)[None, :] == i, b, a) for i in range(d)]
    x = np.vstack(blocks)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    first, total = sobol_indices(y, n, d)
    assert first == pytest.approx([0.314, 0.442, 0.0], abs=0.02)
    assert total == pytest.approx([0.558, 0.442, 0.244], abs=0.02)
