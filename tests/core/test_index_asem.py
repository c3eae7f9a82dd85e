"""The ASEM reproduction: our engine, run on COINr's example data with COINr's default pipeline, gives COINr's
published results, and every step has the property COINr's algorithm promises."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from xiaozhen.cli import main
from xiaozhen.index import (
    IndexResult,
    kurt,
    load_method,
    passes_skew_kurt,
    read_data,
    rebuild,
    run_index,
    skew,
)

ASEM = Path(__file__).resolve().parents[2] / "examples" / "index" / "asem"
METHOD = ASEM / "method.yaml"


@pytest.fixture(scope="module")
def result() -> IndexResult:
    return run_index(METHOD)


def _reference(name: str) -> list[dict[str, str]]:
    with (ASEM / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _cli_rows(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, str]]:
    code = main(["index", "run", str(METHOD), "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return {row["code"]: row for row in csv.DictReader(io.StringIO(out))}


def test_cli_csv_reproduces_coinr_published_rank_of_all_51_countries(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _cli_rows(capsys)
    reference = _reference("coinr-ranks.csv")
    assert len(reference) == 51
    assert {r["uCode"]: int(r["Rank"]) for r in reference} == {c: int(r["rank"]) for c, r in rows.items()}


def test_cli_csv_reproduces_coinr_published_scores_of_every_aggregate(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _cli_rows(capsys)
    for ref in _reference("coinr-scores.csv"):
        ours = rows[ref["uCode"]]
        assert int(ours["rank"]) == int(ref["Rank"])
        for column, value in ref.items():
            if column in ("uCode", "Rank"):
                continue
            assert float(ours[column]) == pytest.approx(float(value), abs=0.006), (ref["uCode"], column)


def test_imputed_values_are_the_group_means_within_eurasia_group(result: IndexResult) -> None:
    data = read_data(result.method)
    prepared = result.prepared
    groups = np.array(data.groups["EurAsia_group"], dtype=object)
    missing = np.isnan(prepared.denominated)
    assert missing.sum() > 0
    for i, j in zip(*np.where(missing), strict=True):
        same = groups == groups[i]
        expected = np.nanmean(prepared.denominated[same, j])
        assert prepared.imputed[i, j] == pytest.approx(expected)
    assert np.array_equal(prepared.imputed[~missing], prepared.denominated[~missing])


def test_denominated_indicators_are_divided_by_the_metadata_denominator(result: IndexResult) -> None:
    data = read_data(result.method)
    j = result.method.tree.indicators.index("Flights")
    assert np.allclose(result.prepared.denominated[:, j], data.raw[:, j] / data.denominators["Population"], equal_nan=True)


def test_screening_at_90_percent_of_the_imputed_data_keeps_all_51_countries(result: IndexResult) -> None:
    assert len(result.units) == 51
    assert result.prepared.screened_out == []


def test_each_treated_indicator_passes_the_skew_kurtosis_rule_or_was_logged(result: IndexResult) -> None:
    treated = result.prepared.treated
    actions = {t.code: t for t in result.prepared.treatments}
    assert {t.action for t in actions.values()} >= {"none", "winsorised"}
    for j, code in enumerate(result.method.tree.indicators):
        info = actions[code]
        column = treated[:, j]
        if info.action == "none":
            assert abs(info.skew_before) < 2 or info.kurt_before < 3.5
            assert np.array_equal(column, result.prepared.imputed[:, j])
        elif info.action == "winsorised":
            assert not (abs(info.skew_before) < 2 or info.kurt_before < 3.5)
            assert passes_skew_kurt(column, 2.0, 3.5)
            assert 1 <= info.points <= 5
            assert abs(skew(column)) < 2 or kurt(column) < 3.5
        else:
            assert info.action.startswith("log")
            original = result.prepared.imputed[:, j]
            lo, hi = original.min(), original.max()
            assert np.allclose(column, np.log(original - lo + 0.01 * (hi - lo)))


def test_normalised_indicators_span_exactly_0_to_100(result: IndexResult) -> None:
    normalised = result.prepared.normalised
    assert np.nanmin(normalised, axis=0) == pytest.approx(np.zeros(normalised.shape[1]))
    assert np.nanmax(normalised, axis=0) == pytest.approx(np.full(normalised.shape[1], 100.0))


def test_negative_direction_indicators_are_turned_round_before_normalising(result: IndexResult) -> None:
    j = result.method.tree.indicators.index("CO2")
    treated, normalised = result.prepared.treated[:, j], result.prepared.normalised[:, j]
    assert normalised[np.argmin(treated)] == pytest.approx(100.0)
    assert normalised[np.argmax(treated)] == pytest.approx(0.0)


def test_every_aggregate_is_the_arithmetic_mean_of_its_children(result: IndexResult) -> None:
    for parent, kids in result.method.tree.children.items():
        expected = np.mean(np.column_stack([result.scores[k] for k in kids]), axis=1)
        assert np.allclose(result.scores[parent], expected)


def test_ranks_within_gdp_per_capita_group_match_coinr_published_group_ranks(result: IndexResult) -> None:
    # COINr results vignette: get_results(..., use_group = "GDPpc_group", use = "groupranks")
    published = {"CHE": 1, "NLD": 2, "DNK": 3, "NOR": 4, "SWE": 5, "AUT": 6, "BEL": 1, "MLT": 2, "SVN": 3,
                 "GBR": 4, "CZE": 5, "ESP": 6}
    ranks = result.group_ranks["GDPpc_group"]["Index"]
    for code, rank in published.items():
        assert ranks[result.units.index(code)] == rank


def test_the_run_record_rebuilds_the_same_scores(result: IndexResult) -> None:
    again = rebuild(result.record, ASEM)
    assert again.record.method_hash == result.record.method_hash
    assert np.array_equal(again.scores["Index"], result.scores["Index"])


def test_a_changed_data_file_refuses_to_rebuild(result: IndexResult, tmp_path: Path) -> None:
    for name in ("ASEM_iData.csv", "ASEM_iMeta.csv"):
        (tmp_path / name).write_bytes((ASEM / name).read_bytes())
    (tmp_path / "ASEM_iData.csv").write_text((ASEM / "ASEM_iData.csv").read_text().replace("4.097985", "4.1"))
    from xiaozhen.index import IndexMethodError

    with pytest.raises(IndexMethodError, match="data changed"):
        rebuild(result.record, tmp_path)


def test_method_hash_changes_when_a_weight_changes(tmp_path: Path) -> None:
    for name in ("ASEM_iData.csv", "method.yaml"):
        (tmp_path / name).write_bytes((ASEM / name).read_bytes())
    meta = (ASEM / "ASEM_iMeta.csv").read_text()
    (tmp_path / "ASEM_iMeta.csv").write_text(meta)
    same = load_method(tmp_path / "method.yaml").hash()
    (tmp_path / "ASEM_iMeta.csv").write_text(meta.replace("1.0,LPI,Logistics Performance Index,1.0,1.0",
                                                          "1.0,LPI,Logistics Performance Index,1.0,2.0"))
    assert same == load_method(METHOD).hash()
    assert load_method(tmp_path / "method.yaml").hash() != same
