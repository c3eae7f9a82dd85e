"""xiaozhen.verdicts: the one stored shape of a verdict and of a criterion outcome."""

from __future__ import annotations

import datetime as dt
import json
import math

from hypothesis import given
from hypothesis import strategies as st

from xiaozhen.engine import CriterionOutcome
from xiaozhen.policy import Text
from xiaozhen.verdicts import (
    SCHEMA,
    StoredVerdict,
    outcome_from_json,
    outcome_to_json,
    upgrade_outcome,
    upgrade_verdict,
)

INVESTMENT = CriterionOutcome(
    criterion_id="investment", label=Text(zh="固定资产投资", en="Fixed-asset investment"), clause="003 §二(一)",
    severity="must", outcome="fail", values={"investment": 8.5, "since": dt.date(2024, 1, 1)},
    thresholds={"min": 10},
)


def test_an_outcome_is_stored_under_criterion_id_with_its_numbers():
    data = outcome_to_json(INVESTMENT)
    assert data["criterion_id"] == "investment" and "criterion" not in data
    assert data["values"] == {"investment": 8.5, "since": "2024-01-01"}
    assert data["thresholds"] == {"min": 10}
    assert json.loads(json.dumps(data)) == data


def test_a_missing_number_is_stored_as_null_not_as_nan():
    outcome = CriterionOutcome("x", Text(zh="甲", en="X"), "c", "must", "unknown", {"x": math.nan}, {"min": math.inf})
    data = outcome_to_json(outcome)
    assert data["values"] == {"x": None} and data["thresholds"] == {"min": None}
    json.dumps(data, allow_nan=False)


def test_an_outcome_stored_before_version_1_under_criterion_is_still_read():
    legacy = {"criterion": "investment", "label": {"zh": "固定资产投资", "en": "Fixed-asset investment"},
              "clause": "003 §二(一)", "severity": "must", "outcome": "fail", "values": {"investment": 8.5},
              "thresholds": {"min": 10}}
    assert outcome_from_json(legacy).criterion_id == "investment"
    upgraded = upgrade_outcome(legacy)
    assert upgraded["criterion_id"] == "investment" and "criterion" not in upgraded
    assert upgrade_outcome(upgraded) == upgraded


def test_a_stored_verdict_carries_its_schema_version_and_reads_back_the_same():
    stored = StoredVerdict(verdict="fail", outcomes=(INVESTMENT,), problems=("第 3 行 …",),
                           programme_version=2, content_hash="abc")
    data = stored.to_json()
    assert data["schema"] == SCHEMA == 1
    again = StoredVerdict.from_json(json.loads(json.dumps(data)))
    assert again is not None
    assert again.verdict == "fail" and again.programme_version == 2 and again.problems == ("第 3 行 …",)
    assert again.outcomes[0].criterion_id == "investment" and again.outcomes[0].values["investment"] == 8.5
    assert again.town_verdict().failed[0].criterion_id == "investment"


def test_an_empty_stored_verdict_reads_as_nothing_evaluated():
    assert StoredVerdict.from_json({}) is None
    assert StoredVerdict.from_json(None) is None
    assert StoredVerdict.from_json({"verdict": "pass"}) is None
    assert upgrade_verdict({}) is None


def test_upgrading_a_verdict_without_a_schema_adds_it_and_keeps_everything_else():
    legacy = {"verdict": "pass", "programme_version": 1, "content_hash": "h", "problems": [],
              "outcomes": [{"criterion_id": "a", "label": {"zh": "甲", "en": "A"}, "clause": "c", "severity": "must",
                            "outcome": "pass", "values": {"a": 1}, "thresholds": {}}]}
    upgraded = upgrade_verdict(legacy)
    assert upgraded == {**legacy, "schema": 1}
    assert upgrade_verdict(upgraded) == upgraded


numbers = st.one_of(st.none(), st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=8), st.booleans())


@given(st.text(min_size=1, max_size=12), st.dictionaries(st.text(max_size=6), numbers, max_size=4),
       st.dictionaries(st.text(max_size=6), numbers, max_size=3), st.sampled_from(["pass", "fail", "unknown"]))
def test_any_outcome_survives_a_json_round_trip(criterion_id, values, thresholds, result):
    outcome = CriterionOutcome(criterion_id, Text(zh="甲", en="A"), "c", "must", result, values, thresholds)
    data = json.loads(json.dumps(outcome_to_json(outcome), allow_nan=False))
    assert outcome_from_json(data) == outcome
