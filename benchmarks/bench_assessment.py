"""Benchmark: the annual assessment of a whole programme, as the web run computes it.

The 6 towns of examples/tongzhou-towns/history.csv are copied to ``--towns`` towns (new ids,
same figures), then timed: ``annual_results`` (every proposal with its criteria outcomes,
grades, risk review and excellence) against the baseline ``assessment_frame`` alone (the
vectorised decisions without building per-town results). Ends with ``ratio: N`` = baseline /
annual_results. Target: 2,000 towns under 5 s, so that a run can stay inside the request
(docs/adr/0008).

    .venv/bin/python benchmarks/bench_assessment.py [--towns 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xiaozhen.engine import annual_results, assessment_frame  # noqa: E402
from xiaozhen.facts import read_facts  # noqa: E402
from xiaozhen.policy import get_policy  # noqa: E402

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--towns", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    policy = get_policy("tongzhou-towns")
    base = read_facts(ROOT / "examples/tongzhou-towns/history.csv", policy)
    ids = base["town_id"].unique().to_list()
    copies = -(-args.towns // len(ids))
    history = pl.concat([base.with_columns((pl.col("town_id") + f"-{n}").alias("town_id")) for n in range(copies)])
    towns = history["town_id"].n_unique()

    def timed(func) -> float:
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            func()
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    baseline = timed(lambda: assessment_frame(policy, history, 2020))
    full = timed(lambda: annual_results(policy, history, 2020))
    print(f"towns: {towns}  assessment_frame: {baseline:.3f} s  annual_results: {full:.3f} s  "
          f"target < {TARGET_SECONDS:.0f} s: {'ok' if full < TARGET_SECONDS else 'MISSED'}")
    print(f"ratio: {baseline / full:.3f}")


if __name__ == "__main__":
    main()
