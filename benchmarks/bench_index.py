"""Benchmark: uncertainty analysis of a composite index, 1,000 towns × 30 indicators × 10,000 runs.

The engine (``xiaozhen.index._uncertainty.run_uncertainty``) prepares each distinct combination of
imputation / normalisation once and aggregates all runs that share it as matrix products. The baseline
is the straightforward loop: for each run, impute, normalise, aggregate and rank with pandas (what
regenerating the index once per run does, as COINr's ``get_sensitivity`` regenerates its coin). The loop
is timed on ``--sample`` runs and scaled up to the full count. Ends with ``ratio: N`` = loop ÷ engine.
Targets: the full engine run under 30 s, ratio ≥ 20.

    .venv/bin/python benchmarks/bench_index.py [--towns 1000] [--indicators 30] [--runs 10000] [--sample 200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xiaozhen.index import load_method  # noqa: E402
from xiaozhen.index._uncertainty import run_uncertainty  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_RATIO = 20.0
DIMENSIONS = 6


def write_case(folder: Path, towns: int, indicators: int, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=3, sigma=0.6, size=(towns, indicators))
    values[rng.random(values.shape) < 0.03] = np.nan
    codes = [f"I{j:02d}" for j in range(indicators)]
    lines = ["code,county," + ",".join(codes)]
    for i in range(towns):
        cells = ["" if np.isnan(v) else f"{v:.4f}" for v in values[i]]
        lines.append(f"T{i:04d},C{i % 20:02d}," + ",".join(cells))
    (folder / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nodes = ["    - {code: Index}"]
    nodes += [f"    - {{code: D{d}, parent: Index}}" for d in range(DIMENSIONS)]
    nodes += [f"    - {{code: {c}, parent: D{j % DIMENSIONS}, direction: {-1 if j % 7 == 3 else 1}}}"
              for j, c in enumerate(codes)]
    method = f"""id: bench
name: {{zh: 基准, en: benchmark}}
data: {{file: data.csv, unit: code, groups: [county]}}
tree:
  nodes:
{chr(10).join(nodes)}
steps:
  impute: {{method: mean}}
  normalise: {{method: minmax}}
uncertainty:
  weights: {{noise: 0.25, levels: [2, 3]}}
  impute: [mean, median]
  normalise: [minmax, rank]
  aggregate: [arithmetic, geometric]
"""
    path = folder / "method.yaml"
    path.write_text(method, encoding="utf-8")
    return path


def pandas_loop(path: Path, runs: int, seed: int) -> float:
    """Seconds for ``runs`` runs of the plain per-run pipeline in pandas."""
    import pandas as pd

    frame = pd.read_csv(path.parent / "data.csv")
    codes = [c for c in frame.columns if c.startswith("I")]
    directions = pd.Series({c: (-1 if j % 7 == 3 else 1) for j, c in enumerate(codes)})
    dims = {f"D{d}": [c for j, c in enumerate(codes) if j % DIMENSIONS == d] for d in range(DIMENSIONS)}
    rng = np.random.default_rng(seed)
    nominal = None
    started = time.perf_counter()
    for _ in range(runs):
        imp, norm, agg = rng.integers(0, 2, size=3)
        data = frame[codes]
        data = data.fillna(data.mean() if imp == 0 else data.median())
        data = data * directions
        if norm == 0:
            data = (data - data.min()) / (data.max() - data.min()) * 100
        else:
            data = (data.rank() - 1) / (len(data) - 1) * 100
        scores = pd.DataFrame(index=frame.index)
        for dim, members in dims.items():
            w = pd.Series(rng.uniform(0.75, 1.25, len(members)), index=members)
            w = w / w.sum()
            if agg == 0:
                scores[dim] = (data[members] * w).sum(axis=1)
            else:
                scores[dim] = np.exp((np.log(data[members] + 1) * w).sum(axis=1)) - 1
        w_top = pd.Series(rng.uniform(0.75, 1.25, DIMENSIONS), index=list(dims))
        w_top = w_top / w_top.sum()
        index = (scores * w_top).sum(axis=1) if agg == 0 else np.exp((np.log(scores + 1) * w_top).sum(axis=1)) - 1
        ranks = index.rank(ascending=False, method="min")
        if nominal is None:
            nominal = ranks
        float((ranks - nominal).abs().mean())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--towns", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--runs", type=int, default=10000)
    parser.add_argument("--sample", type=int, default=200, help="runs of the pandas loop actually timed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_case(Path(tmp), args.towns, args.indicators, args.seed)
        method = load_method(path)
        started = time.perf_counter()
        result = run_uncertainty(method, runs=args.runs, seed=args.seed)
        engine = time.perf_counter() - started
        loop_sample = pandas_loop(path, args.sample, args.seed)
    loop_full = loop_sample / args.sample * result.evaluations
    print(f"towns {args.towns}, indicators {args.indicators}, runs {result.evaluations} "
          f"(N = {result.base_n}, {len(result.sensitivity)} uncertain inputs)")
    print(f"engine, full run:         {engine:8.2f} s   (target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if engine < TARGET_SECONDS else 'NOT met'})")
    print(f"pandas loop, {args.sample} runs:  {loop_sample:8.2f} s   → scaled to {result.evaluations} runs: {loop_full:8.1f} s")
    for s in result.sensitivity:
        print(f"  {s.input:28s} first order {s.first_order:6.3f}  total {s.total:6.3f}")
    ratio = loop_full / engine
    print(f"(target ratio ≥ {TARGET_RATIO:.0f}: {'met' if ratio >= TARGET_RATIO else 'NOT met'}; machine shared, 2 cores)")
    print(f"ratio: {ratio:.1f}")


if __name__ == "__main__":
    main()
