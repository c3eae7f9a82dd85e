"""Properties of the engine that hold for any town, checked on random towns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaozhen.engine import evaluate
from xiaozhen.engine._reference import evaluate_town
from xiaozhen.facts import frame_from_records
from xiaozhen.facts._records import implausible
from xiaozhen.policy import Policy, load_all

POLICIES = load_all()
STAGES = ("application", "annual", "acceptance", "named")


def _value(kind: str) -> st.SearchStrategy[Any]:
    if kind == "boolean":
        return st.sampled_from([True, False, None])
    if kind == "share":
        return st.one_of(st.none(), st.sampled_from([0.0, 0.2, 0.6, 0.7, 1.0]), st.floats(0, 1))
    if kind == "text":
        return st.sampled_from(["a", "b", None])
    if kind in ("count", "year"):
        return st.one_of(st.none(), st.integers(0, 3000).map(float))
    return st.one_of(st.none(), st.sampled_from([0.0, 1.0, 10.0, 20.0, 30.0]), st.floats(0, 500, allow_nan=False))


@st.composite
def towns(draw: st.DrawFn, policy: Policy) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    reported = [i for i in policy.indicators if i.kind == "reported" and i.type != "text"]
    categories = [c.id for c in policy.categories] or [None]
    tiers = [t.id for t in policy.lifecycle.tiers]
    for n in range(draw(st.integers(1, 4))):
        town = f"T{n}"
        category = draw(st.sampled_from(categories))
        sub_sector = draw(st.sampled_from(["s1", "s2", None]))
        for basis in ("plan", "actual"):
            for year in range(2019, 2019 + draw(st.integers(1, 4))):
                row: dict[str, Any] = {
                    "town_id": town, "category": category, "sub_sector": sub_sector,
                    "period": str(year), "basis": basis, "tier": draw(st.sampled_from(tiers)),
                }
                for ind in reported:
                    value = draw(_value(ind.type))
                    if ind.part_of and value is not None:
                        continue  # parts stay blank so they never exceed their whole
                    if value is not None and implausible(ind, value):
                        continue  # outside the indicator's plausible range: refused at import, stays blank
                    row[ind.id] = value
                for group in policy.parts_of_whole:
                    for part in group.parts:
                        row.pop(part, None)
                rows.append(row)
    return rows


def _check_agreement(policy: Policy, rows: list[dict[str, Any]]) -> None:
    frame = frame_from_records(policy, rows)
    records = frame.to_dicts()
    for stage in STAGES:
        if not policy.criteria_for(stage):
            continue
        at = dt.date(2019, 6, 1)
        fast = evaluate(policy, frame, stage, at if stage == "application" else None, all_years=True)
        got = {(tv.town_id, tv.period_year): (tv.verdict, {o.criterion_id: o.outcome for o in tv.outcomes}) for tv in fast}
        for town in {r["town_id"] for r in records}:
            mine = [r for r in records if r["town_id"] == town]
            sub = mine[0]["sub_sector"]
            peers = {r["town_id"] for r in records if r["sub_sector"] == sub and r["basis"] == ("plan" if stage == "application" else "actual")}
            for ref in evaluate_town(policy, mine, stage, at, len(peers) if sub is not None else None):
                key = (town, ref["period_year"])
                assert got[key] == (ref["verdict"], ref["criteria"]), f"{policy.id} {stage} {key}"


def _agreement_test(policy_id: str):
    policy = POLICIES[policy_id]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(rows=towns(policy))
    def test(rows: list[dict[str, Any]]) -> None:
        _check_agreement(policy, rows)

    return test


for _pid in POLICIES:
    globals()[f"test_vectorised_engine_agrees_with_the_per_town_reference_for_{_pid.replace('-', '_')}"] = _agreement_test(_pid)


def _scale_amounts(policy: Policy, rows: list[dict[str, Any]], factor: float) -> list[dict[str, Any]]:
    amounts = {i.id for i in policy.indicators if i.kind == "reported" and i.unit in ("亿元", "万元", "元")}
    return [{k: (v * factor if k in amounts and isinstance(v, float) else v) for k, v in r.items()} for r in rows]


@settings(max_examples=60, deadline=None)
@given(rows=towns(POLICIES["tongzhou-towns"]), factor=st.floats(1, 5))
def test_adding_investment_never_turns_a_pass_into_a_fail(rows, factor):
    policy = POLICIES["tongzhou-towns"]
    before = evaluate(policy, frame_from_records(policy, rows), "application", dt.date(2019, 1, 1))
    after = evaluate(policy, frame_from_records(policy, _scale_amounts(policy, rows, factor)), "application", dt.date(2019, 1, 1))
    for old, new in zip(before, after, strict=True):
        for o, n in zip(old.outcomes, new.outcomes, strict=True):
            assert not (o.outcome == "pass" and n.outcome == "fail"), (o, n)


def test_a_town_with_no_data_is_unknown_rather_than_failed():
    policy = POLICIES["tongzhou-towns"]
    frame = frame_from_records(policy, [{"town_id": "EMPTY", "category": "other", "sub_sector": "现代物流", "period": "2019", "basis": "plan"}])
    verdict = next(iter(evaluate(policy, frame, "application")))
    investment = {o.criterion_id: o.outcome for o in verdict.outcomes}["app_investment_total"]
    assert investment == "unknown"
    assert verdict.verdict == "unknown"


def test_a_share_over_a_zero_total_is_unknown_not_a_pass():
    policy = POLICIES["tongzhou-towns"]
    frame = frame_from_records(policy, [{"town_id": "Z", "category": "other", "period": "2019", "basis": "plan", "investment": 0, "feature_investment": 0}])
    verdict = next(iter(evaluate(policy, frame, "application")))
    outcomes = {o.criterion_id: o.outcome for o in verdict.outcomes}
    assert outcomes["app_feature_share"] == "unknown"
