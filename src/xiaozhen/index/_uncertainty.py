"""Uncertainty and sensitivity: rerun the index under alternative choices and weights, vectorised across runs.

Design (Saltelli et al. 2010, as COINr's ``get_sensitivity``): each uncertain input is one column of two
independent uniform samples A and B (N rows); each AB_i is A with column i taken from B. The model is run
on A, B and every AB_i: N (d + 2) runs. A column's value picks one alternative (an imputation, a number of
winsorised points, a normalisation, an aggregation, or one of a pool of noisy weight sets).

The output whose variance is split is COINr's: the mean absolute shift of the units' ranks from their
nominal ranks. First-order indices use Saltelli (2010) S_i = mean(f(B)(f(AB_i) − f(A))) / V; total indices use
Jansen (1999) ST_i = mean((f(A) − f(AB_i))²) / 2V, with V the variance of f over A and B.

Runs that share their discrete choices share one prepared (normalised) matrix; their weights differ, so they
are aggregated together as matrix products (units × indicators @ indicators × runs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ._method import Method
from ._run import Choices, IndexData, Prepared, nominal_choices, prepare, read_data, run_index
from ._steps import Array

#: How many noisy weight sets the weights input chooses among (COINr's get_noisy_weights draws a pool too).
WEIGHT_POOL = 200
#: Runs aggregated at once: bounds memory at about units × CHUNK floats per aggregate.
CHUNK = 2000


#: How each alternative is shown to people.
CHOICE_LABELS = {
    "none": "不插补 none", "mean": "均值 mean", "median": "中位数 median", "group_mean": "组内均值 group mean",
    "minmax": "最小-最大 min-max", "zscore": "z 分数 z-score", "rank": "百分位排名 percentile rank",
    "goalposts": "目标区间 goalposts", "distance_to_target": "距目标 distance to target",
    "arithmetic": "算术平均 arithmetic", "geometric": "几何平均 geometric",
}


@dataclass(frozen=True)
class UnitRanks:
    code: str
    name: str
    nominal_rank: int
    median_rank: float
    p5: float
    p95: float


@dataclass(frozen=True)
class Sensitivity:
    input: str
    alternatives: str
    first_order: float
    total: float


@dataclass(frozen=True)
class UncertaintyResult:
    method_id: str
    seed: int
    base_n: int
    evaluations: int
    units: list[UnitRanks]
    sensitivity: list[Sensitivity]
    #: The root's score per unit in the nominal run, and the dimensions' (root's children) scores.
    nominal_scores: dict[str, list[float]]


@dataclass(frozen=True)
class _Input:
    name: str
    kind: str  # impute | treat_winmax | normalise | aggregate | weights
    alternatives: list[object]

    def label(self) -> str:
        if self.kind == "weights":
            return f"{len(self.alternatives)} 组权重 weight sets"
        if self.kind == "treat_winmax":
            return ", ".join(f"{a} 点 points" for a in self.alternatives)
        return ", ".join(CHOICE_LABELS.get(str(a), str(a)) for a in self.alternatives)


def _inputs(method: Method) -> list[_Input]:
    u = method.spec.uncertainty
    out: list[_Input] = []
    if u.impute:
        out.append(_Input("impute 插补", "impute", list(u.impute)))
    if u.treat_winmax:
        out.append(_Input("winsorise points 缩尾点数", "treat_winmax", list(u.treat_winmax)))
    if u.normalise:
        out.append(_Input("normalise 标准化", "normalise", list(u.normalise)))
    if u.aggregate:
        out.append(_Input("aggregate 加总", "aggregate", list(u.aggregate)))
    if u.weights:
        out.append(_Input("weights 权重", "weights", list(range(WEIGHT_POOL))))
    return out


def _weight_pool(method: Method, nominal: dict[str, float], rng: np.random.Generator) -> list[dict[str, Array]]:
    """Noisy weight sets: each child weight of a parent on a perturbed level × U(1 − noise, 1 + noise)."""
    tree = method.tree
    spec = method.spec.uncertainty.weights
    pool: list[dict[str, Array]] = []
    for _ in range(WEIGHT_POOL):
        sets: dict[str, Array] = {}
        for parent, kids in tree.children.items():
            w = np.array([nominal[k] for k in kids])
            if spec is not None and tree.level_of(parent) in spec.levels:
                w = w * rng.uniform(1 - spec.noise, 1 + spec.noise, size=len(kids))
            sets[parent] = w / w.sum() if w.sum() > 0 else w
        pool.append(sets)
    return pool


def _aggregate_runs(method: Method, normalised: Array, weights: dict[str, Array], how: str) -> Array:
    """Root scores (units × runs) for runs that share ``normalised``; ``weights[parent]`` is runs × children."""
    tree = method.tree
    offset = method.spec.steps.aggregate.geometric_offset
    index = {c: j for j, c in enumerate(tree.indicators)}
    runs = next(iter(weights.values())).shape[0]
    scores: dict[str, Array] = {}
    for level_no, level in enumerate(tree.levels[1:], start=2):
        for parent in level:
            kids = tree.children[parent]
            w = weights[parent]  # runs × k
            if level_no == 2:
                block = normalised[:, [index[k] for k in kids]]  # units × k
                present = ~np.isnan(block)
                values = np.where(present, block, 0.0)
                if how == "geometric":
                    values = np.where(present, np.log(values + offset), 0.0)
                num = values @ w.T
                den = present.astype(float) @ w.T
            else:
                num = np.zeros((normalised.shape[0], runs))
                den = np.zeros_like(num)
                for j, k in enumerate(kids):
                    child = scores[k]
                    present = ~np.isnan(child)
                    value = np.log(child + offset) if how == "geometric" else child
                    num += np.where(present, value, 0.0) * w[None, :, j]
                    den += present * w[None, :, j]
            with np.errstate(all="ignore"):
                mean = num / den
                scores[parent] = np.exp(mean) - offset if how == "geometric" else mean
    return scores[tree.root]


def _ranks(scores: Array) -> NDArray[np.int32]:
    """Rank per column (1 = best); missing scores rank last."""
    filled = np.where(np.isnan(scores), -np.inf, scores)
    order = np.argsort(-filled, axis=0, kind="stable")
    ranks = np.empty(scores.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[0] + 1, dtype=np.int32)[:, None], axis=0)
    return ranks


def run_uncertainty(
    method: Method, *, runs: int, seed: int, data: IndexData | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> UncertaintyResult:
    """Rank intervals and sensitivity indices over about ``runs`` model runs (N = runs // (d + 2))."""
    data = data or read_data(method)
    nominal = run_index(method, data)
    root = method.tree.root
    nominal_rank = _ranks(nominal.scores[root][:, None])[:, 0]
    inputs = _inputs(method)
    d = len(inputs)
    rng = np.random.default_rng(seed)
    base_n = max(2, runs // (d + 2)) if d else max(2, runs)
    a = rng.random((base_n, d))
    b = rng.random((base_n, d))
    blocks = [a, b] + [np.where(np.arange(d)[None, :] == i, b, a) for i in range(d)]
    design = np.vstack(blocks) if d else np.zeros((base_n, 0))
    choice = np.floor(design * np.array([len(i.alternatives) for i in inputs])).astype(int) if d else design.astype(int)
    evaluations = choice.shape[0]
    pool = _weight_pool(method, nominal.weights, rng)
    base = nominal_choices(method)
    kinds = [i.kind for i in inputs]

    def pick(row: np.ndarray, kind: str, default: object) -> object:
        return inputs[kinds.index(kind)].alternatives[row[kinds.index(kind)]] if kind in kinds else default

    keys: dict[tuple[object, ...], list[int]] = {}
    for r in range(evaluations):
        row = choice[r]
        key = (pick(row, "impute", base.impute), pick(row, "treat_winmax", base.treat_winmax),
               pick(row, "normalise", base.normalise), pick(row, "aggregate", base.aggregate))
        keys.setdefault(key, []).append(r)
    weight_col = kinds.index("weights") if "weights" in kinds else None
    ranks = np.empty((len(nominal.units), evaluations), dtype=np.int32)
    done = 0
    cache: dict[tuple[object, ...], Prepared] = {}
    for (imp, winmax, norm, agg), rows in keys.items():
        choices = Choices(impute=str(imp), normalise=str(norm), aggregate=str(agg), weight=base.weight,
                          treat_winmax=int(str(winmax)))
        pkey = (imp, winmax, norm)
        if pkey not in cache:
            cache[pkey] = prepare(method, data, choices, keep=nominal.prepared.kept)
        normalised = cache[pkey].normalised
        for start in range(0, len(rows), CHUNK):
            chunk = np.array(rows[start:start + CHUNK])
            weights: dict[str, Array] = {}
            for parent in method.tree.children:
                if weight_col is None:
                    weights[parent] = np.tile(_nominal(method, nominal.weights, parent), (len(chunk), 1))
                else:
                    weights[parent] = np.stack([pool[i][parent] for i in choice[chunk, weight_col]])
            scores = _aggregate_runs(method, normalised, weights, str(agg))
            ranks[:, chunk] = _ranks(scores)
            done += len(chunk)
            if progress:
                progress(done, evaluations)
    shift = np.abs(ranks - nominal_rank[:, None]).mean(axis=0)
    sensitivity: list[Sensitivity] = []
    if d:
        first, total = sobol_indices(shift, base_n, d)
        sensitivity = [Sensitivity(inp.name, inp.label(), float(first[i]), float(total[i]))
                       for i, inp in enumerate(inputs)]
    q = np.percentile(ranks, [5, 50, 95], axis=1)
    units = [UnitRanks(code=u, name=n, nominal_rank=int(nominal_rank[i]), median_rank=float(q[1, i]),
                       p5=float(q[0, i]), p95=float(q[2, i]))
             for i, (u, n) in enumerate(zip(nominal.units, nominal.names, strict=True))]
    units.sort(key=lambda x: (x.nominal_rank, x.code))
    dims = {c: [float(v) for v in nominal.scores[c]] for c in [root, *method.tree.children[root]]}
    return UncertaintyResult(method_id=method.spec.id, seed=seed, base_n=base_n, evaluations=evaluations,
                             units=units, sensitivity=sensitivity, nominal_scores=dims)


def sobol_indices(y: Array, n: int, d: int) -> tuple[Array, Array]:
    """First-order (Saltelli 2010) and total (Jansen 1999) indices from outputs laid out as [A, B, AB_1 … AB_d],
    each block ``n`` long. All zeros when the output does not vary."""
    f_a, f_b = y[:n], y[n:2 * n]
    variance = float(np.var(np.concatenate([f_a, f_b]), ddof=1))
    first, total = np.zeros(d), np.zeros(d)
    if variance <= 0:
        return first, total
    for i in range(d):
        f_ab = y[(2 + i) * n:(3 + i) * n]
        first[i] = np.mean(f_b * (f_ab - f_a)) / variance
        total[i] = np.mean((f_a - f_ab) ** 2) / (2 * variance)
    return first, total


def _nominal(method: Method, weights: dict[str, float], parent: str) -> Array:
    return np.array([weights[k] for k in method.tree.children[parent]])
