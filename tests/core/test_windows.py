"""Windows in the criteria language (issue 9, Deliver 3): SUM_FIRST_YEARS and SUM_LAST_YEARS, both back ends."""

from __future__ import annotations

from xiaozhen.engine import evaluate
from xiaozhen.engine._reference import evaluate_town
from xiaozhen.facts import frame_from_records
from xiaozhen.policy import Policy, get_policy


def _with_annual_criterion(expr: str) -> Policy:
    data = get_policy("tongzhou-towns").model_dump(by_alias=True)
    data["criteria"] = [c for c in data["criteria"] if c["stage"] != "annual"] + [
        {"id": "window_check", "label": {"zh": "窗口", "en": "Window"}, "stage": "annual", "clause": "test",
         "expr": expr, "severity": "must"}
    ]
    return Policy.model_validate(data)


def _rows(per_year: dict[str, float | None]) -> list[dict]:
    return [{"town_id": "T", "category": "其他", "period": p, "basis": "actual", "investment": v} for p, v in per_year.items()]


def _both(policy: Policy, rows: list[dict]) -> dict[int, tuple[str, str]]:
    frame = frame_from_records(policy, rows)
    vector = {tv.period_year: tv.verdict for tv in evaluate(policy, frame, "annual", all_years=True)}
    reference = {r["period_year"]: r["verdict"] for r in evaluate_town(policy, frame.to_dicts(), "annual")}
    return {year: (vector[year], reference[year]) for year in vector}


def test_the_last_two_years_sum_exactly_on_the_line_passes_and_a_year_before_it_is_left_out():
    policy = _with_annual_criterion("SUM_LAST_YEARS(investment, 2) >= 10")
    got = _both(policy, _rows({"2019": 100, "2020": 4, "2021": 6, "2022": 3.99}))
    assert got[2020] == ("pass", "pass")  # 100 + 4
    assert got[2021] == ("pass", "pass")  # 4 + 6: exactly 10
    assert got[2022] == ("fail", "fail")  # 6 + 3.99; 2019's 100 is outside the window


def test_a_year_missing_inside_the_last_years_window_makes_it_unknown():
    policy = _with_annual_criterion("SUM_LAST_YEARS(investment, 2) >= 10")
    got = _both(policy, _rows({"2019": 6, "2021": 6}))
    assert got[2021] == ("unknown", "unknown")  # 2020 has no row


def test_the_first_years_window_stops_growing_after_n_years():
    policy = _with_annual_criterion("SUM_FIRST_YEARS(investment, 2) >= 10")
    got = _both(policy, _rows({"2019": 3, "2020": 6.99, "2021": 50}))
    assert got[2019] == ("fail", "fail") and got[2020] == ("fail", "fail")
    assert got[2021] == ("fail", "fail")  # 2021's 50 is after the first two years
