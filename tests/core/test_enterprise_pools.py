"""001 §三(四)2–3: per-firm reward floors, the gazelle list and 十亿级 / 百亿级 leaders."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from xiaozhen.enterprises import Reward, check_rewards, gazelles, leaders


def reward(kind: str, amount: str, code: str = "A") -> Reward:
    return Reward(credit_code=code, name=f"企业{code}", kind=kind, amount=Decimal(amount), year=2024)  # type: ignore[arg-type]


def test_a_zone_paying_fifteen_and_five_for_two_first_certifications_has_one_firm_under_the_floor():
    findings = check_rewards([reward("first", "15", "A"), reward("first", "5", "B")])
    assert [f.reward.credit_code for f in findings] == ["B"]
    assert "below the per-firm floor of 10万元 (001 §三(四)2)" in str(findings[0])


def test_reward_floors_at_their_exact_bounds():
    assert check_rewards([reward("first", "10"), reward("renewal", "5")]) == []
    assert len(check_rewards([reward("first", "9.99"), reward("renewal", "4.99")])) == 2
    assert check_rewards([reward("renewal", "5.01"), reward("first", "10.01")]) == []


def panel(rows: list[tuple[str, int, float]]) -> pl.DataFrame:
    return pl.DataFrame({"credit_code": [r[0] for r in rows], "name": [r[0] for r in rows],
                         "town_id": ["T"] * len(rows), "year": [r[1] for r in rows], "revenue": [float(r[2]) for r in rows]})


def test_a_gazelle_grew_twenty_percent_a_year_from_at_least_ten_million_yuan():
    exact = 1728.0  # 1,000万元 × 1.2³: exactly 20 % a year
    facts = panel([("at", 2021, 1000), ("at", 2024, exact), ("under", 2021, 1000), ("under", 2024, exact - 0.01),
                   ("small", 2021, 999), ("small", 2024, 5000), ("big", 2021, 60_000), ("big", 2024, 120_000)])
    assert gazelles(facts, 2024).get_column("credit_code").to_list() == ["at"]


def test_leaders_are_split_at_one_and_ten_billion_yuan():
    facts = panel([("a", 2024, 99_999), ("b", 2024, 100_000), ("c", 2024, 1_000_000), ("d", 2023, 2_000_000)])
    found = leaders(facts, 2024)
    assert found.get_column("credit_code").to_list() == ["c", "b"]
    assert found.get_column("level").to_list() == ["百亿级 ≥ 100亿元", "十亿级 ≥ 10亿元"]
