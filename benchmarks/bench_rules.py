"""Benchmark: every criterion of 003 and 000 over 100,000 synthetic towns × 5 years.

Prints the vectorised time (all stages' criteria for every town-year, plus the
annual decisions), the time of the straightforward per-town Python loop over
the same rules (engine/_reference.py, measured on a sample and scaled up), and
ends with ``ratio: N`` = loop time / vectorised time. Target: ratio ≥ 50 and the
vectorised run under 2 s.

    .venv/bin/python benchmarks/bench_rules.py [--towns 100000] [--sample 400]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from xiaozhen.engine import assessment_frame, evaluate, prepare
from xiaozhen.engine._reference import evaluate_town
from xiaozhen.policy import Policy, get_policy

POLICIES = tuple(p for p in ("tongzhou-towns", "guangxi-innovation-towns") if p in __import__("xiaozhen.policy", fromlist=["load_all"]).load_all())
YEARS = 5
PLAN_YEARS = 3
FIRST_YEAR = 2019


def synthetic_facts(policy: Policy, towns: int, seed: int = 7) -> pl.DataFrame:
    """Plan rows (3 years) and actual rows (5 years) per town, values spread around the thresholds."""
    rng = np.random.default_rng(seed)
    categories = [c.id for c in policy.categories] or ["none"]
    tiers = [t.id for t in policy.lifecycle.tiers if t.stage] or [policy.lifecycle.tiers[0].id]
    town_ids = np.array([f"T{i:06d}" for i in range(towns)])
    town_cat = rng.choice(categories, towns)
    town_sub = np.array([f"sub{i}" for i in rng.integers(0, towns // 2 + 1, towns)])
    town_tier = rng.choice(tiers, towns)
    frames = []
    for basis, n_years in (("plan", PLAN_YEARS), ("actual", YEARS)):
        n = towns * n_years
        cols: dict[str, object] = {
            "town_id": np.repeat(town_ids, n_years),
            "town_name": np.repeat(town_ids, n_years),
            "category": np.repeat(town_cat, n_years),
            "sub_sector": np.repeat(town_sub, n_years),
            "region_code": np.repeat("450100", n),
            "period": np.tile([str(FIRST_YEAR + y) for y in range(n_years)], towns),
            "basis": np.repeat(basis, n),
            "tier": np.repeat(town_tier, n_years),
        }
        wholes: dict[str, np.ndarray] = {}
        for ind in policy.indicators:
            if ind.kind != "reported":
                continue
            if ind.type == "boolean":
                values: np.ndarray = rng.random(n) < 0.85
            elif ind.type == "share":
                values = rng.uniform(0.5, 1.0, n)
            elif ind.type in ("count", "year"):
                values = rng.integers(0, 40, n).astype(float)
            else:
                values = rng.gamma(2.0, 4.0, n)
            if ind.part_of and ind.part_of in wholes:
                values = wholes[ind.part_of] * rng.uniform(0.0, 1.0, n) * (0.2 if ind.blank_is_zero else 1.0)
            if ind.type not in ("boolean",):
                wholes[ind.id] = values
            cols[ind.id] = values
        frame = pl.DataFrame(cols)
        frames.append(frame)
    out = pl.concat(frames, how="diagonal_relaxed")
    for ind in policy.indicators:
        if ind.kind == "reported" and ind.type == "boolean" and ind.id not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.Boolean).alias(ind.id))
    return out


def stages(policy: Policy) -> list[str]:
    return [s for s in ("application", "annual", "acceptance", "named") if policy.criteria_for(s)]


def run_vectorised(policy: Policy, facts: pl.DataFrame) -> int:
    """All stages over every town-year; plans are prepared once and actuals once."""
    evaluated = 0
    start = dt.date(FIRST_YEAR, 1, 1)
    plans = prepare(policy, facts, "application", start)
    actuals = prepare(policy, facts, "annual", None)
    for stage in stages(policy):
        at = start if stage == "application" else None
        frame = plans if stage == "application" else actuals
        result = evaluate(policy, facts, stage, at, all_years=True, prepared=frame)
        evaluated += result.frame.height * len(result.criteria)
    if policy.lifecycle.transitions:
        assessment_frame(policy, facts, FIRST_YEAR + YEARS - 1, prepared=actuals)
    return evaluated


def run_loop(policy: Policy, by_town: dict[str, list[dict]], peers: dict[tuple[str, str], int]) -> int:
    evaluated = 0
    for rows in by_town.values():
        sub = rows[0]["sub_sector"]
        for stage in stages(policy):
            basis = "plan" if stage == "application" else "actual"
            at = dt.date(FIRST_YEAR, 1, 1) if stage == "application" else None
            for result in evaluate_town(policy, rows, stage, at, peers.get((basis, sub))):
                evaluated += len(result["criteria"])
    return evaluated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--towns", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args()

    total_fast = 0.0
    total_loop = 0.0
    for pid in POLICIES:
        policy = get_policy(pid)
        facts = synthetic_facts(policy, args.towns)
        run_vectorised(policy, facts.head(1000))  # warm the expression caches
        t0 = time.perf_counter()
        outcomes = run_vectorised(policy, facts)
        fast = time.perf_counter() - t0

        sample_ids = facts["town_id"].unique(maintain_order=True).head(args.sample)
        sample = facts.filter(pl.col("town_id").is_in(sample_ids.implode()))
        by_town: dict[str, list[dict]] = {}
        for row in sample.to_dicts():
            by_town.setdefault(row["town_id"], []).append(row)
        counts = facts.group_by("basis", "sub_sector").agg(pl.col("town_id").n_unique())
        peers = {(b, s): n for b, s, n in counts.iter_rows()}
        t0 = time.perf_counter()
        run_loop(policy, by_town, peers)
        loop_sample = time.perf_counter() - t0
        loop = loop_sample * args.towns / len(by_town)

        total_fast += fast
        total_loop += loop
        print(
            f"{pid}: {args.towns:,} towns × {YEARS} years, {facts.height:,} fact rows, "
            f"{outcomes:,} criterion outcomes"
        )
        print(f"  vectorised: {fast:.3f} s")
        print(f"  per-town loop: {loop_sample:.3f} s for {len(by_town)} towns → {loop:.1f} s scaled to {args.towns:,}")
    print(f"vectorised total: {total_fast:.3f} s (target < 2 s)")
    print(f"per-town loop total (scaled): {total_loop:.1f} s")
    print(f"ratio: {total_loop / total_fast:.0f}")


if __name__ == "__main__":
    main()
