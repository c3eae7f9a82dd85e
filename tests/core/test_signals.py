"""Data-quality and fraud signals: each planted anomaly is found, with its evidence, and clean data stay quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xiaozhen.cli import main
from xiaozhen.signals import (
    BENFORD_CAVEAT,
    EnterpriseClaim,
    IndicatorInfo,
    LedgerLine,
    Observation,
    Settings,
    Signal,
    find_signals,
    first_digit,
    is_round,
)
from xiaozhen.signals.synthetic import PLANTED_KINDS, Case, clean_case, plant

TOWN = "T007"


@pytest.fixture(scope="module")
def clean() -> Case:
    return clean_case(towns=40, seed=2)


def run(case: Case, settings: Settings | None = None) -> list[Signal]:
    return find_signals(case.observations, case.indicators, ledger=case.ledger, enterprises=case.enterprises,
                        settings=settings)


def planted(case: Case, kind: str) -> list[Signal]:
    return [s for s in run(plant(case, kind, TOWN)) if s.town == TOWN]


def test_clean_data_give_no_signal(clean: Case) -> None:
    assert run(clean) == []


@pytest.mark.parametrize("kind", PLANTED_KINDS)
def test_each_planted_anomaly_raises_its_signal_in_the_planted_town(clean: Case, kind: str) -> None:
    expected = {"spike": {"spike_own_history", "spike_peers"}}.get(kind, {kind})
    found = {s.kind for s in planted(clean, kind)}
    assert expected <= found


def test_a_cumulative_figure_that_goes_down_shows_both_periods_and_the_drop(clean: Case) -> None:
    (signal,) = [s for s in planted(clean, "cumulative_decrease") if s.kind == "cumulative_decrease"]
    assert signal.periods == ("2022", "2023")
    assert signal.evidence["after"]["value"] < signal.evidence["before"]["value"]
    assert signal.evidence["drop_share"] == pytest.approx(0.2, abs=0.001)
    assert signal.strength == "strong"


def test_a_fivefold_revenue_is_a_spike_against_history_and_peers(clean: Case) -> None:
    signals = [s for s in planted(clean, "spike") if s.indicator == "operating_revenue"]
    own = [s for s in signals if s.kind == "spike_own_history"]
    assert {s.periods for s in own} == {("2022", "2023"), ("2023", "2024")}  # up, then back down
    up = next(s for s in own if s.periods == ("2022", "2023"))
    assert up.evidence["factor"] > 4 and up.evidence["robust_z"] >= 3.5
    assert any(s.kind == "spike_peers" and s.evidence["peers"] == 39 for s in signals)


def test_repeated_tax_figures_name_the_years(clean: Case) -> None:
    (signal,) = [s for s in planted(clean, "repeated_figures") if s.kind == "repeated_figures"]
    assert signal.periods == ("2021", "2022", "2023", "2024")
    assert signal.indicator == "tax_revenue"


def test_benford_signal_shows_the_digit_counts_and_the_caveat(clean: Case) -> None:
    (signal,) = [s for s in planted(clean, "benford") if s.kind == "benford"]
    assert signal.evidence["caveat"] == BENFORD_CAVEAT
    assert sum(signal.evidence["observed"].values()) == signal.evidence["sample"]
    assert signal.evidence["observed"]["1"] == 0  # the planted figures all start with 5–9


def test_benford_makes_no_test_below_the_minimum_sample() -> None:
    figures = [Observation("A", "2020", "x", 9.0 + i / 100) for i in range(59)]
    info = {"x": IndicatorInfo("x", "x", "x")}
    assert [s for s in find_signals(figures, info) if s.kind == "benford"] == []
    figures.append(Observation("A", "2020", "x", 9.5))
    assert [s.kind for s in find_signals(figures, info) if s.kind == "benford"] == ["benford"]


def test_duplicate_enterprise_works_on_a_plain_table_and_names_both_towns() -> None:
    claims = [EnterpriseClaim("91320612MA1234567X", "A", 2023, "金沙纺织"),
              EnterpriseClaim("91320612ma1234567x", "B", 2023),
              EnterpriseClaim("91320612MA1234567X", "B", 2022),
              EnterpriseClaim("91320612MA7654321X", "C", 2023)]
    signals = find_signals([], {}, enterprises=claims)
    assert [(s.town, s.towns, s.periods) for s in signals] == [("A", ("B",), ("2023",)), ("B", ("A",), ("2023",))]
    assert "金沙纺织" in signals[0].message_zh


def test_ledger_mismatch_within_the_tolerance_is_quiet_and_just_over_it_is_a_signal() -> None:
    info = {"inv": IndicatorInfo("inv", "投资", "investment")}
    ledger = [LedgerLine("A", "2023", "inv", "P1", 60.0), LedgerLine("A", "2023", "inv", "P2", 40.0)]
    at = find_signals([Observation("A", "2023", "inv", 101.0)], info, ledger=ledger)
    over = find_signals([Observation("A", "2023", "inv", 101.02)], info, ledger=ledger)
    assert [s.kind for s in at] == []
    assert [s.kind for s in over] == ["ledger_mismatch"]
    assert over[0].evidence["ledger_lines"] == 2 and over[0].evidence["ledger_total"] == 100.0


def test_a_part_equal_to_its_whole_is_quiet_and_a_larger_one_is_a_signal() -> None:
    info = {"inv": IndicatorInfo("inv", "投资", "investment"),
            "housing": IndicatorInfo("housing", "住宅", "housing", part_of="inv")}
    equal = [Observation("A", "2023", "inv", 10.0), Observation("A", "2023", "housing", 10.0)]
    larger = [Observation("A", "2023", "inv", 10.0), Observation("A", "2023", "housing", 10.01)]
    assert find_signals(equal, info) == []
    (signal,) = find_signals(larger, info)
    assert signal.kind == "part_exceeds_whole" and signal.evidence["whole"]["value"] == 10.0


def test_quarterly_year_to_date_figures_restart_each_year() -> None:
    info = {"cum": IndicatorInfo("cum", "累计", "cumulative", cumulative=True)}
    obs = [Observation("A", p, "cum", v) for p, v in
           [("2023Q3", 30.0), ("2023Q4", 40.0), ("2024Q1", 10.0), ("2024Q2", 9.0)]]
    (signal,) = find_signals(obs, info)
    assert signal.periods == ("2024Q1", "2024Q2")


def test_round_numbers_and_first_digits() -> None:
    assert [is_round(v) for v in (10, 15, 200, 3500, 1.5, 0.05)] == [True] * 6
    assert [is_round(v) for v in (12, 2.37, 0, 101)] == [False] * 4
    assert [first_digit(v) for v in (0.0456, 9, 1234.5, -7.2)] == [4, 9, 1, 7]
    assert first_digit(0) is None


def test_signal_keys_are_stable_across_reruns(clean: Case) -> None:
    one = [s.key for s in run(plant(clean, "ledger_mismatch", TOWN))]
    two = [s.key for s in run(plant(clean, "ledger_mismatch", TOWN))]
    assert one == two and len(set(one)) == len(one)


def test_a_bad_period_is_refused_with_its_text() -> None:
    with pytest.raises(ValueError, match="2023-13"):
        find_signals([Observation("A", "2023-13", "x", 1.0)], {"x": IndicatorInfo("x", "x", "x")})


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "signals"


def test_cli_finds_one_planted_case_per_kind_in_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["signals", "--policy", "zhejiang-towns", str(EXAMPLE / "facts.csv"), "--ledger",
                 str(EXAMPLE / "ledger.csv"), "--enterprises", str(EXAMPLE / "enterprises.csv"), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    found = {(s["kind"], s["town"]) for s in json.loads(out)["signals"]}
    for pair in [("spike_own_history", "T003"), ("spike_peers", "T003"), ("repeated_figures", "T011"),
                 ("round_heaping", "T017"), ("benford", "T023"), ("duplicate_enterprise", "T029"),
                 ("ledger_mismatch", "T031"), ("part_exceeds_whole", "T037")]:
        assert pair in found


def test_cli_names_the_row_and_column_of_a_non_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "facts.csv"
    bad.write_text("town_id,period,investment\nT1,2023,12.5\nT1,2024,lots\n", encoding="utf-8")
    assert main(["signals", "--policy", "zhejiang-towns", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "investment" in err and "Traceback" not in err
