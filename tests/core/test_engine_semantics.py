"""Engine rules that every programme relies on, shown on a tiny programme built in the test."""

from __future__ import annotations

import datetime as dt

from xiaozhen.engine import evaluate, track_targets
from xiaozhen.facts import frame_from_records
from xiaozhen.policy import Policy

TEXT = {"zh": "测试", "en": "test"}


def _policy(**extra) -> Policy:
    data = {
        "schema_version": 1,
        "identity": {
            "id": "tiny", "name": TEXT, "short_name": TEXT, "issuer": TEXT, "document_number": "T-1",
            "seed": None, "programme_type": "characteristic_town", "effective_from": "2020-01-01",
        },
        "parameters": [
            {"id": "weight", "label": TEXT, "unit": "1", "clause": "T §1", "values": [{"from": "2020-01-01", "value": 2}]},
            {"id": "pass_line", "label": TEXT, "unit": "1", "clause": "T §1", "values": [{"from": "2020-01-01", "value": 10}]},
        ],
        "indicators": [
            {"id": "output", "label": TEXT, "unit": "亿元", "aggregate": "sum"},
            {"id": "land_km2", "label": TEXT, "unit": "km²", "type": "number", "blank_is_zero": True},
            {"id": "score", "label": TEXT, "unit": "1", "kind": "derived", "expr": "cum_output * weight"},
        ],
        "criteria": [
            {"id": "score_ok", "label": TEXT, "stage": "application", "clause": "T §2", "expr": "score >= pass_line"},
            {"id": "land_small", "label": TEXT, "stage": "application", "clause": "T §3", "expr": "land_km2 <= 1"},
        ],
        "lifecycle": {"tiers": [{"id": "listed", "label": TEXT, "stage": "annual"}], "entry_tiers": ["listed"]},
        "reporting": {"frequency": "year", "clause": "T §4"},
        "targets": [
            {"id": "total_output", "label": TEXT, "unit": "亿元", "expr": "SUM(output)", "target": 100, "year": 2025, "clause": "T §5"}
        ],
    }
    data.update(extra)
    return Policy.model_validate(data)


def _outcomes(policy: Policy, rows: list[dict]) -> dict[str, str]:
    verdict = next(iter(evaluate(policy, frame_from_records(policy, rows), "application", dt.date(2021, 1, 1))))
    return {o.criterion_id: o.outcome for o in verdict.outcomes}


def test_a_derived_indicator_can_read_a_parameter():
    policy = _policy()
    rows = [{"town_id": "A", "period": "2021", "basis": "plan", "output": 5, "land_km2": 0.5}]
    assert _outcomes(policy, rows)["score_ok"] == "pass"  # 5 × 2 = 10 ≥ 10, the bound included
    rows[0]["output"] = 4.9
    assert _outcomes(policy, rows)["score_ok"] == "fail"


def test_a_blank_later_plan_year_does_not_overwrite_an_earlier_value():
    policy = _policy()
    rows = [
        {"town_id": "A", "period": "2021", "basis": "plan", "output": 5, "land_km2": 3},
        {"town_id": "A", "period": "2022", "basis": "plan", "output": 5},
    ]
    assert _outcomes(policy, rows)["land_small"] == "fail"
    rows[0].pop("land_km2")
    assert _outcomes(policy, rows)["land_small"] == "pass"  # blank everywhere means none


def test_a_target_nobody_reported_is_unknown_not_zero():
    policy = _policy()
    rows = [{"town_id": "A", "period": "2021", "basis": "actual", "land_km2": 1}]
    [target] = track_targets(policy, frame_from_records(policy, rows))
    assert target.latest is None
    assert target.on_track is None


def test_a_target_is_projected_linearly_to_its_year():
    policy = _policy()
    rows = [
        {"town_id": t, "period": str(y), "basis": "actual", "output": v}
        for t, y, v in [("A", 2021, 10), ("B", 2021, 10), ("A", 2022, 20), ("B", 2022, 20), ("A", 2023, 30), ("B", 2023, 30)]
    ]
    [target] = track_targets(policy, frame_from_records(policy, rows))
    assert target.latest == 60 and target.latest_year == 2023
    assert abs(target.projected - 100) < 1e-9  # 20, 40, 60 → 100 in 2025
    assert target.on_track is True
