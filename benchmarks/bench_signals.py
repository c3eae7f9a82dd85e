"""Benchmark: how often the signals cry wolf on clean data, and how often they find what was planted.

Clean synthetic programmes (``xiaozhen.signals.synthetic.clean_case``: 40 towns × 8 years, project ledgers,
enterprise lists) are checked with the default settings; every signal on them is a false positive. Then one
anomaly of each kind is planted in one town and the planted kind must be found there. Prints the
false-positive rate per town and per figure, the detection rate, the time per programme, and ends with
``ratio: N`` = detection rate ÷ false-positive rate per town (higher is better).

    .venv/bin/python benchmarks/bench_signals.py [--cases 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xiaozhen.signals import find_signals  # noqa: E402
from xiaozhen.signals.synthetic import PLANTED_KINDS, clean_case, plant  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10)
    args = parser.parse_args()
    false_positives: Counter[str] = Counter()
    towns_flagged = towns = figures = found = planted = 0
    elapsed = 0.0
    for seed in range(1, args.cases + 1):
        case = clean_case(seed=seed)
        started = time.perf_counter()
        signals = find_signals(case.observations, case.indicators, ledger=case.ledger, enterprises=case.enterprises)
        elapsed += time.perf_counter() - started
        false_positives.update(s.kind for s in signals)
        towns_flagged += len({s.town for s in signals})
        towns += len(case.towns)
        figures += len(case.observations) + len(case.ledger)
        town = case.towns[seed % len(case.towns)]
        for kind in PLANTED_KINDS:
            expected = {"spike": "spike_own_history"}.get(kind, kind)
            bad = plant(case, kind, town)
            hits = find_signals(bad.observations, bad.indicators, ledger=bad.ledger, enterprises=bad.enterprises)
            planted += 1
            found += any(s.kind == expected and s.town == town for s in hits)
    fp_total = sum(false_positives.values())
    fp_town = towns_flagged / towns
    detection = found / planted
    print(f"clean programmes: {args.cases} × 40 towns × 8 years = {towns} towns, {figures:,} figures")
    print(f"false positives: {fp_total} signals ({fp_total / figures:.5%} of figures); "
          f"{towns_flagged} of {towns} clean towns flagged ({fp_town:.2%})")
    for kind, n in sorted(false_positives.items()):
        print(f"  {kind:22s} {n}")
    print(f"planted anomalies found in their town: {found} of {planted} ({detection:.0%})")
    print(f"time per programme (40 towns): {elapsed / args.cases * 1000:.0f} ms")
    print(f"ratio: {detection / max(fp_town, 1e-9):.1f}")


if __name__ == "__main__":
    main()
