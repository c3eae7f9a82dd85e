"""001 §三(四)2–3: high-tech enterprise rewards checked per firm, the 瞪羚 (gazelle) list, and
十亿级 / 百亿级 leading enterprises, over enterprise facts (money in 万元).

Rewards (001 §三(四)2): "首次通过认定的每家奖励补助不低于10万元，重新获得认定的每家奖励补助不低于5万元" —
the floor is per firm, so a zone that paid one firm 15万 and another 5万 for first certifications
has one firm under the floor, whatever the total.

Gazelles (001 §三(四)3): the seed leaves the standard to be made ("加快研究制定瞪羚企业认定标准").
xiaozhen's default, overridable by argument: a firm whose revenue grew at a compound rate of at
least 20 % a year over the three years to the year assessed, from at least 1,000万元 three years
before, and which is not yet a 十亿级 firm. (Provinces' gazelle standards commonly use growth of
about 20 % a year from a base of about 1,000万元; the numbers here are xiaozhen defaults.)

Leaders: 十亿级 revenue ≥ 10亿元 (100,000万元), 百亿级 ≥ 100亿元 (1,000,000万元), in the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import polars as pl

__all__ = [
    "FIRST_CERTIFICATION_FLOOR",
    "GAZELLE_BASE_REVENUE",
    "GAZELLE_GROWTH",
    "RENEWAL_FLOOR",
    "Reward",
    "RewardFinding",
    "check_rewards",
    "gazelles",
    "leaders",
]

#: 001 §三(四)2: 首次通过认定的每家奖励补助不低于10万元.
FIRST_CERTIFICATION_FLOOR = Decimal("10")
#: 001 §三(四)2: 重新获得认定的每家奖励补助不低于5万元.
RENEWAL_FLOOR = Decimal("5")
#: xiaozhen default (001 §三(四)3 leaves the standard open): compound revenue growth per year over three years.
GAZELLE_GROWTH = Decimal("0.20")
#: xiaozhen default: revenue three years before the year assessed, in 万元.
GAZELLE_BASE_REVENUE = 1000.0
BILLION_YUAN = 100_000.0  # 10亿元 in 万元
TEN_BILLION_YUAN = 1_000_000.0  # 100亿元 in 万元


@dataclass(frozen=True)
class Reward:
    """One payment to one firm (万元) for a high-tech certification in a year."""

    credit_code: str
    name: str
    kind: Literal["first", "renewal"]
    amount: Decimal
    year: int


@dataclass(frozen=True)
class RewardFinding:
    reward: Reward
    floor: Decimal
    clause: str = "001 §三(四)2"

    def __str__(self) -> str:
        kind = "首次认定 first certification" if self.reward.kind == "first" else "重新认定 renewal"
        return (f"{self.reward.name or self.reward.credit_code} ({self.reward.credit_code}) {self.reward.year} "
                f"{kind}: 奖励 {self.reward.amount}万元 低于每家 {self.floor}万元 / reward {self.reward.amount}万元 "
                f"is below the per-firm floor of {self.floor}万元 ({self.clause})")


def check_rewards(rewards: list[Reward]) -> list[RewardFinding]:
    """Every reward below its per-firm floor (compared exactly, in Decimal); empty when all meet it."""
    findings = []
    for reward in rewards:
        floor = FIRST_CERTIFICATION_FLOOR if reward.kind == "first" else RENEWAL_FLOOR
        if reward.amount < floor:
            findings.append(RewardFinding(reward, floor))
    return findings


def gazelles(facts: pl.DataFrame, year: int, *, growth: Decimal = GAZELLE_GROWTH,
             base_revenue: float = GAZELLE_BASE_REVENUE) -> pl.DataFrame:
    """Firms meeting the gazelle definition in ``year``, with their base and latest revenue and growth.

    Compound growth g over three years means revenue(year) ≥ revenue(year − 3) × (1 + g)³; the
    comparison is made on that product, not on a rounded rate.
    """
    # (1 + g)³ as a fraction p/q, compared as revenue × q ≥ base × p: 1728 against 1000 × 1.2³ is met,
    # which a floating-point 1.728 might miss.
    p, q = ((1 + growth) ** 3).as_integer_ratio()
    base = facts.filter(pl.col("year") == year - 3).select("credit_code", pl.col("revenue").alias("base_revenue"))
    now = facts.filter(pl.col("year") == year).select("credit_code", "name", "town_id", "revenue")
    joined = now.join(base, on="credit_code", how="inner")
    return (
        joined.filter(
            (pl.col("base_revenue") >= base_revenue)
            & (pl.col("revenue") * q >= pl.col("base_revenue") * p)
            & (pl.col("revenue") < BILLION_YUAN)
        )
        .with_columns(growth=(pl.col("revenue") / pl.col("base_revenue")) ** (1 / 3) - 1)
        .sort("growth", descending=True)
    )


def leaders(facts: pl.DataFrame, year: int) -> pl.DataFrame:
    """十亿级 (revenue ≥ 10亿元) and 百亿级 (≥ 100亿元) firms in ``year``, largest first."""
    return (
        facts.filter((pl.col("year") == year) & (pl.col("revenue") >= BILLION_YUAN))
        .select("credit_code", "name", "town_id", "revenue",
                pl.when(pl.col("revenue") >= TEN_BILLION_YUAN).then(pl.lit("百亿级 ≥ 100亿元"))
                .otherwise(pl.lit("十亿级 ≥ 10亿元")).alias("level"))
        .sort("revenue", descending=True)
    )
