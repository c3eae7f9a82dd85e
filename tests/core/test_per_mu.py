"""The per-mu evaluation (亩均效益综合评价): reading enterprises, the method file, scores, ranks and classes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from xiaozhen.codes import credit_code_check_char
from xiaozhen.enterprises import (
    MAX_PARQUET_ROWS,
    PerMuError,
    find_method,
    load_method,
    per_mu,
    read_enterprises,
    run_record,
    validate_enterprises,
)
from xiaozhen.enterprises._engine import _nearest_rank, _rank_and_class
from xiaozhen.facts import FactsError
from xiaozhen.policy import PolicyFileError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "per-mu" / "enterprises.csv"


def code(n: int, county: str = "330681") -> str:
    first = f"91{county}{n:09d}"
    return first + credit_code_check_char(first)


def firm(n: int, **figures: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "credit_code": code(n), "name": f"企业{n}", "town_id": "T1", "year": 2024, "above_scale": "是",
        "founded_year": 2010, "land_owned_mu": 10, "tax": 100, "value_added": 500, "revenue": 2000,
        "output": 2200, "energy": 50, "emissions": 2, "employees": 25, "rd_spend": 60,
    }
    row.update(figures)
    return row


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    headers = list(dict.fromkeys(k for r in rows for k in r))
    raw = pl.DataFrame({h: [None if r.get(h) is None else str(r[h]) for r in rows] for h in headers},
                       schema=dict.fromkeys(headers, pl.String))
    return validate_enterprises(raw, source="firms.csv", row_numbers=[i + 2 for i in range(len(rows))], column_names={})


def problems_of(rows: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(FactsError) as caught:
        frame(rows)
    return [str(p) for p in caught.value.problems]


ZJ = find_method("zhejiang-county")


def tax_only(**changes: Any) -> Any:
    """The default method scoring tax per mu alone (weight 100), for arithmetic a reader can follow."""
    tax = ZJ.indicators[0].model_copy(update={"weight": 100.0})
    return ZJ.model_copy(update={"indicators": [tax], **changes})


# ------------------------------------------------------------------ reading

def test_a_wrong_check_character_is_named_with_its_position_and_the_right_one():
    bad = code(7)[:17] + ("0" if code(7)[17] != "0" else "1")
    [message] = problems_of([firm(7, credit_code=bad)])
    assert "firms.csv, 第 2 行 row 2, 列 column credit_code" in message
    assert "position 18 should be" in message and repr(code(7)[17]) in message


def test_a_letter_outside_the_gb32100_alphabet_is_named_with_its_position():
    bad = code(7)[:10] + "I" + code(7)[11:]
    [message] = problems_of([firm(7, credit_code=bad)])
    assert "character 11 'I' is not allowed" in message


def test_a_firm_in_two_towns_in_the_same_year_is_an_error_naming_both_towns_and_rows():
    [message] = problems_of([firm(1, town_id="枫桥镇"), firm(2), firm(1, town_id="店口镇")])
    assert "第 4 行 row 4" in message and "two towns in 2024: 枫桥镇 (row 2) and 店口镇" in message


def test_the_same_firm_in_the_same_town_in_two_years_is_fine():
    assert frame([firm(1, year=2023), firm(1, year=2024)]).height == 2


def test_a_cell_that_is_not_a_number_is_named_by_row_and_column():
    [message] = problems_of([firm(1), firm(2, tax="一百")])
    assert "第 3 行 row 3, 列 column tax" in message and "'一百' is not a number (万元)" in message


def test_a_negative_figure_and_a_bad_flag_are_both_reported_and_nothing_is_returned():
    found = problems_of([firm(1, energy=-1, above_scale="maybe")])
    assert len(found) == 2
    assert any("energy cannot be negative" in p for p in found)
    assert any("expected yes or no, not 'maybe'" in p for p in found)


def test_a_missing_required_column_is_named():
    rows = [firm(1)]
    del rows[0]["land_owned_mu"]
    assert any("missing required column land_owned_mu" in p for p in problems_of(rows))


def test_chinese_headers_are_read_and_csv_xlsx_and_parquet_give_the_same_data_hash(tmp_path):
    from xiaozhen._output import Sheet, write_xlsx

    facts = read_enterprises(EXAMPLE)
    assert facts.height == 54 and facts.get_column("credit_code").n_unique() == 27
    raw = pl.read_csv(EXAMPLE, infer_schema=False)
    write_xlsx(tmp_path / "e.xlsx", [Sheet("数据", raw.columns, [list(r) for r in raw.iter_rows()])])
    raw.write_parquet(tmp_path / "e.parquet")
    records = [run_record(per_mu(ZJ, f), f) for f in
               (facts, read_enterprises(tmp_path / "e.xlsx"), read_enterprises(tmp_path / "e.parquet"))]
    assert records[0] == records[1] == records[2]


def test_parquet_problems_are_named_by_record_number(tmp_path):
    pl.DataFrame({"credit_code": [code(1), "123"], "town_id": ["T", "T"], "year": [2024, 2024],
                  "above_scale": ["是", "是"], "land_owned_mu": [3.0, 4.0]}).write_parquet(tmp_path / "x.parquet")
    with pytest.raises(FactsError) as caught:
        read_enterprises(tmp_path / "x.parquet")
    assert "第 2 项 item 2" in str(caught.value.problems[0]) and "must be 18 characters" in str(caught.value.problems[0])


# ------------------------------------------------------------------ method files

def test_both_shipped_methods_load_and_their_weights_differ():
    other = find_method("innovation-weighted")
    assert ZJ.total_weight == other.total_weight == 100
    assert [i.weight for i in ZJ.indicators] == [30, 20, 20, 10, 10, 10]
    assert [i.weight for i in ZJ.indicators] != [i.weight for i in other.indicators]


def test_every_number_in_a_shipped_method_carries_a_source():
    for method in (ZJ, find_method("innovation-weighted")):
        assert method.source and method.scope.source and method.missing.source and method.classes.source
        assert all(i.source and i.benchmark.source for i in method.indicators)
        assert all(e.source for e in method.exclusions)


def test_a_method_file_with_a_bad_weight_and_unknown_figure_names_key_path_and_line(tmp_path):
    text = (ROOT / "methods/per-mu/zhejiang-county.yaml").read_text(encoding="utf-8")
    text = text.replace("    weight: 30\n", "    weight: -30\n").replace("numerator: rd_spend", "numerator: rd_budget")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyFileError) as caught:
        load_method(path)
    shown = [str(p) for p in caught.value.problems]
    assert any("indicators[0].weight" in s and "greater than 0" in s and f"{path}:" in s for s in shown)
    assert any("indicators[5].numerator" in s and "unknown figure 'rd_budget'" in s for s in shown)


def test_class_shares_that_do_not_reach_one_are_refused(tmp_path):
    text = (ROOT / "methods/per-mu/zhejiang-county.yaml").read_text(encoding="utf-8").replace("up_to: 1}", "up_to: 0.99}")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyFileError, match="the last class must reach 1"):
        load_method(path)


# ------------------------------------------------------------------ scores, ranks, classes

def test_one_hundred_firms_fall_twenty_sixty_fifteen_five():
    result = per_mu(tax_only(), frame([firm(n, tax=n) for n in range(1, 101)]))
    by_rank = dict(result.firms.select("rank", "class").iter_rows())
    assert [by_rank[r] for r in (20, 21, 80, 81, 95, 96, 100)] == ["A", "B", "B", "C", "C", "D", "D"]
    assert dict(result.firms.group_by("class").len().iter_rows()) == {"A": 20, "B": 60, "C": 15, "D": 5}


@pytest.mark.parametrize(("n", "a", "d"), [(19, 4, 0), (20, 4, 1), (21, 5, 1), (1, 1, 0)])
def test_class_sizes_at_and_around_the_bounds(n, a, d):
    # A holds ranks r with (r − 1) / n < 20 %; D ranks with (r − 1) / n ≥ 95 %.
    result = per_mu(tax_only(), frame([firm(k, tax=k) for k in range(1, n + 1)]))
    counts = dict(result.firms.group_by("class").len().iter_rows())
    assert counts.get("A", 0) == a and counts.get("D", 0) == d


def test_tied_totals_share_a_rank_and_a_class():
    rows = [firm(k, tax=100 - k) for k in range(1, 11)]
    rows[2]["tax"] = rows[1]["tax"]  # 2nd and 3rd tie
    result = per_mu(tax_only(), frame(rows)).firms.sort("credit_code")
    assert result.get_column("rank").to_list()[:4] == [1, 2, 2, 4]
    assert result.get_column("class").to_list()[:4] == ["A", "A", "A", "B"]


@pytest.mark.parametrize("with_nan", [False, True])
def test_ranks_and_classes_agree_with_a_ranking_per_group_over_many_tied_and_missing_totals(with_nan):
    # The engine ranks with one numpy sort (and Polars' rank when a total is not a number); both must give
    # Polars' rank("min", descending=True).over(group) and the class rule (r − 1) × 10000 < s × n.
    rng = np.random.default_rng(7)
    n = 5000
    totals = np.round(rng.normal(60, 15, n))  # whole numbers: many ties
    if with_nan:
        totals[rng.random(n) < 0.01] = np.nan
    firms = pl.DataFrame({"group": rng.choice(["330681", "330682", "330683", "全部 all"], n),
                          "total": pl.Series(totals).set(pl.Series(rng.random(n) < 0.2), None)})
    bands = (("A", 2000), ("B", 8000), ("C", 9500), ("D", 10000))
    got = _rank_and_class(firms.to_struct("batch"), bands).struct.unnest()
    expected = firms.select(
        rank=pl.col("total").rank("min", descending=True).over("group").cast(pl.Int64),
        graded_in_group=pl.col("total").is_not_null().sum().over("group").cast(pl.Int64),
    )
    assert got.select("rank", "graded_in_group").equals(expected)
    position = (pl.col("rank") - 1) * 10000
    klass = pl.when(position < 2000 * pl.col("graded_in_group")).then(pl.lit("A")).when(
        position < 8000 * pl.col("graded_in_group")).then(pl.lit("B")).when(
        position < 9500 * pl.col("graded_in_group")).then(pl.lit("C")).when(pl.col("rank").is_not_null()).then(pl.lit("D"))
    assert got.get_column("class").equals(expected.select(klass.alias("class")).to_series())
    assert got.get_column("class").null_count() == firms.get_column("total").null_count()


@pytest.mark.parametrize("share", [0.1, 0.25, 0.5, 0.9, 1.0])
def test_the_percentile_benchmark_is_the_kth_smallest_of_the_sorted_values_in_every_group(share):
    rng = np.random.default_rng(3)
    n = 3000
    values = pl.Series(np.round(rng.lognormal(1, 1, n), 1)).set(pl.Series(rng.random(n) < 0.1), None)
    firms = pl.DataFrame({"group": rng.choice(["a", "b", "c"], n), "value": values}).vstack(
        pl.DataFrame({"group": ["nobody reported"], "value": pl.Series([None], dtype=pl.Float64)}))
    got = firms.group_by("group").agg(_nearest_rank(pl.col("value"), share).alias("benchmark")).sort("group")
    bp = round(share * 10000)
    expected = {}
    for group, part in firms.group_by("group"):
        present = sorted(part.get_column("value").drop_nulls().to_list())
        k = max(1, (len(present) * bp + 9999) // 10000)
        expected[group[0]] = present[k - 1] if present else None
    assert dict(got.iter_rows()) == expected


def test_an_office_can_override_the_class_shares():
    method = tax_only().with_classes(
        [("A", "优先", "first", Decimal("0.1")), ("B", "其他", "rest", Decimal("1"))], source="某县办公会议纪要 2025-03")
    result = per_mu(method, frame([firm(n, tax=n) for n in range(1, 21)]))
    assert dict(result.firms.group_by("class").len().iter_rows()) == {"A": 2, "B": 18}


def test_the_percentile_benchmark_is_the_nearest_rank_value_and_scores_are_capped():
    # Four graded firms, tax per mu 1, 2, 3, 10: the median by nearest rank is the 2nd value, 2.
    result = per_mu(tax_only(), frame([firm(k, tax=t * 10) for k, t in enumerate([1, 2, 3, 10], start=1)]))
    rows = result.firms.sort("credit_code")
    assert rows.get_column("tax_per_mu__benchmark").to_list() == [2.0] * 4
    # score = min(value / 2, cap 2) × 100: 50, 100, 150, 200 (10 / 2 = 5 is capped at 2).
    assert rows.get_column("tax_per_mu__score").to_list() == [50.0, 100.0, 150.0, 200.0]


def test_a_fixed_benchmark_is_used_as_written():
    rd = ZJ.indicators[5]
    result = per_mu(ZJ.model_copy(update={"indicators": [rd]}), frame([firm(1, rd_spend=30, revenue=2000)]))
    row = result.firms.row(0, named=True)
    assert row["rd_intensity__benchmark"] == 0.03 and row["rd_intensity__value"] == 0.015
    assert row["rd_intensity__score"] == pytest.approx(5.0)


def test_no_emissions_earns_the_cap_when_the_method_says_so():
    emissions = ZJ.indicators[4]
    result = per_mu(ZJ.model_copy(update={"indicators": [emissions]}), frame([firm(1, emissions=0), firm(2, emissions=5)]))
    assert result.firms.sort("credit_code").get_column("value_added_per_emission__score").to_list()[0] == 20.0


def test_scope_takes_below_scale_firms_from_three_mu_and_above_scale_firms_on_any_land():
    rows = [firm(1, above_scale="否", land_owned_mu=3), firm(2, above_scale="否", land_owned_mu=2.9),
            firm(3, above_scale="是", land_owned_mu=1), firm(4, above_scale="否", land_owned_mu=2, land_leased_mu=1)]
    status = dict(per_mu(tax_only(), frame(rows)).firms.select("credit_code", "status").iter_rows())
    assert [status[code(n)] for n in (1, 2, 3, 4)] == ["graded", "out_of_scope", "graded", "graded"]


def test_a_firm_founded_within_two_years_is_scored_but_not_graded_and_says_why():
    rows = [firm(1, founded_year=2023), firm(2, founded_year=2022), firm(3, in_construction="是")]
    result = per_mu(tax_only(), frame(rows)).firms.sort("credit_code")
    assert result.get_column("status").to_list() == ["not_graded", "graded", "not_graded"]
    assert result.get_column("reason").to_list()[0].startswith("新办投产未满两年")
    assert result.get_column("reason").to_list()[2].startswith("在建项目企业")
    assert all(t > 0 for t in result.get_column("total").to_list())


def test_missing_figures_score_zero_under_one_rule_and_block_grading_under_the_other():
    rows = [firm(1, rd_spend=None), firm(2)]
    zero = per_mu(ZJ, frame(rows)).firms.sort("credit_code").row(0, named=True)
    assert zero["status"] == "graded" and zero["rd_intensity__score"] == 0.0
    strict = per_mu(ZJ.model_copy(update={"missing": ZJ.missing.model_copy(update={"rule": "not_graded"})}),
                    frame(rows)).firms.sort("credit_code").row(0, named=True)
    assert strict["status"] == "not_graded" and "missing R&D spending" in strict["reason"]


def test_counties_are_ranked_separately():
    rows = [firm(n, tax=n, county="330681") for n in range(1, 6)] + [firm(n, tax=n * 100, county="330682") for n in range(6, 11)]
    result = per_mu(tax_only(), frame(rows))
    assert dict(result.groups.select("group", "class_A").iter_rows()) == {"330681": 1, "330682": 1}


def test_an_absent_year_is_refused_with_the_years_the_file_has():
    with pytest.raises(PerMuError, match="no enterprise rows for 2019; the file has 2023, 2024"):
        per_mu(ZJ, read_enterprises(EXAMPLE), 2019)


def test_the_second_method_classes_the_example_differently():
    facts = read_enterprises(EXAMPLE)
    a = per_mu(ZJ, facts).firms.select("credit_code", "class")
    b = per_mu(find_method("innovation-weighted"), facts).firms.select("credit_code", "class")
    assert a.join(b, on="credit_code").filter(pl.col("class") != pl.col("class_right")).height > 0


def test_a_county_where_nobody_reported_a_figure_has_no_benchmark_and_scores_zero_there():
    result = per_mu(ZJ, frame([firm(1, energy=None), firm(2, energy=None)]))
    rows = result.firms.sort("credit_code")
    assert rows.get_column("value_added_per_energy__benchmark").to_list() == [None, None]
    assert rows.get_column("value_added_per_energy__score").to_list() == [0.0, 0.0]
    # Both are still graded; with equal figures they tie for rank 1.
    assert rows.get_column("class").to_list() == ["A", "A"]


def test_land_above_ten_million_mu_and_a_malformed_industry_code_are_refused():
    found = problems_of([firm(1, land_owned_mu=10_000_001, industry_code="机械")])
    assert any("land_owned_mu 10000001 is above 10,000,000 亩" in p for p in found)
    assert any("industry code is a GB/T 4754 code" in p for p in found)
    assert frame([firm(1, land_owned_mu=10_000_000, industry_code="C3484")]).height == 1


def test_a_parquet_file_declaring_more_rows_than_the_limit_is_refused_before_any_row_is_decoded(tmp_path):
    from tests.hostile import _parquet_rows

    path = tmp_path / "firms.parquet"
    path.write_bytes(_parquet_rows(MAX_PARQUET_ROWS + 1))
    with pytest.raises(FactsError) as caught:
        read_enterprises(path)
    assert f"declares {MAX_PARQUET_ROWS + 1:,} rows, over the limit" in str(caught.value)


def test_a_control_character_in_a_registry_cell_is_refused_with_its_row_and_column(tmp_path):
    from tests.hostile import Shape, _firms

    path = tmp_path / "firms.csv"
    path.write_bytes(_firms(Shape(b"", "TZ01", "tongzhou-towns", "2025", "investment", "亿元", {}), name="南通\x01家纺"))
    with pytest.raises(FactsError) as caught:
        read_enterprises(path)
    problem = caught.value.problems[0]
    assert (problem.row, problem.column) == (2, "name") and "control character" in problem.message
