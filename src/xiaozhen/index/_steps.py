"""The steps of a composite index on plain numpy arrays (units in rows, indicators in columns; NaN = missing).

Each function follows a named COINr function (bluefoxr/COINr, R/…); the docstring says which,
and docs/index.md explains the choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


# ---------------------------------------------------------------- impute (COINr R/impute.R)

def impute(x: Array, method: str, groups: NDArray[np.object_] | None = None) -> Array:
    """Fill missing values column by column.

    ``mean`` / ``median``: of the column (COINr ``i_mean`` / ``i_median``);
    ``group_mean``: of the column within the unit's group (COINr ``i_mean_grp``); a unit whose
    group has no value for an indicator stays missing, as in COINr.
    """
    if method == "none":
        return x.copy()
    out = x.copy()
    if method in ("mean", "median"):
        with np.errstate(all="ignore"):
            fill = np.nanmean(x, axis=0) if method == "mean" else _nanmedian(x)
        rows, cols = np.where(np.isnan(out))
        out[rows, cols] = fill[cols]
        return out
    if method == "group_mean":
        if groups is None:
            raise ValueError("group_mean needs groups")
        for g in {v for v in groups if v is not None}:
            rows = np.array([v == g for v in groups])
            block = out[rows]
            present = ~np.isnan(block)
            counts = present.sum(axis=0)
            sums = np.where(present, block, 0.0).sum(axis=0)
            with np.errstate(all="ignore"):
                means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
            block = np.where(present, block, means[None, :])
            out[rows] = block
        return out
    raise ValueError(f"unknown imputation {method!r}")


def _nanmedian(x: Array) -> Array:
    out = np.full(x.shape[1], np.nan)
    for j in range(x.shape[1]):
        col = x[:, j][~np.isnan(x[:, j])]
        if col.size:
            out[j] = float(np.median(col))
    return out


# ---------------------------------------------------------------- screen (COINr R/screen_units.R)

def availability(x: Array) -> Array:
    """Share of indicators present per unit (COINr ``get_data_avail``: Dat_Avail)."""
    if x.shape[1] == 0:
        return np.ones(x.shape[0])
    return np.asarray((~np.isnan(x)).sum(axis=1) / x.shape[1], dtype=np.float64)


# ---------------------------------------------------------------- treat (COINr R/treat.R)

def skew(x: Array) -> float:
    """Sample skewness as Excel's SKEW and COINr's ``skew`` (from e1071, type 2); NaN ignored."""
    v = x[~np.isnan(x)]
    n = v.size
    if n < 3:
        return float("nan")
    d = v - v.mean()
    m2 = float((d**2).sum())
    if m2 == 0:
        return float("nan")
    y = np.sqrt(n) * float((d**3).sum()) / m2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: Array) -> float:
    """Sample excess kurtosis as Excel's KURT and COINr's ``kurt`` (from e1071, type 2); NaN ignored."""
    v = x[~np.isnan(x)]
    n = v.size
    if n < 4:
        return float("nan")
    d = v - v.mean()
    m2 = float((d**2).sum())
    if m2 == 0:
        return float("nan")
    r = n * float((d**4).sum()) / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def passes_skew_kurt(x: Array, skew_limit: float, kurt_limit: float) -> bool:
    """COINr ``check_SkewKurt``: passes unless |skew| ≥ limit AND kurtosis ≥ limit."""
    s, k = skew(x), kurt(x)
    if np.isnan(s) or np.isnan(k):
        return True
    return bool(abs(s) < skew_limit or k < kurt_limit)


@dataclass(frozen=True)
class Treatment:
    """What happened to one indicator in the outlier step, with the numbers that decided it."""

    code: str
    skew_before: float
    kurt_before: float
    action: str  # "none", "winsorised", "log", "log (still failing)"
    points: int
    skew_after: float
    kurt_after: float
    winsorised_high: tuple[int, ...] = ()
    winsorised_low: tuple[int, ...] = ()


def winsorise(x: Array, winmax: int, skew_limit: float, kurt_limit: float) -> tuple[Array, int, list[int], list[int]]:
    """COINr ``winsorise``: while the column fails, replace the extreme value(s) on the side the skew points to
    by the next value in; stop when it passes or ``winmax`` points are reached.

    Mirrors COINr exactly, including how it counts points (``nwin <- length(imax) + length(imin)`` of the
    latest step on each side: tied extremes are replaced together).
    """
    x = x.copy()
    imax: list[int] = []
    imin: list[int] = []
    nwin = 0
    passing = passes_skew_kurt(x, skew_limit, kurt_limit)
    while not passing and nwin < winmax:
        present = ~np.isnan(x)
        if skew(x) >= 0:
            top = np.nanmax(x)
            imax = [int(i) for i in np.where(present & (x == top))[0]]
            rest = x[present & (x != top)]
            x[imax] = rest.max() if rest.size else top
        else:
            bottom = np.nanmin(x)
            imin = [int(i) for i in np.where(present & (x == bottom))[0]]
            rest = x[present & (x != bottom)]
            x[imin] = rest.min() if rest.size else bottom
        nwin = len(imax) + len(imin)
        passing = passes_skew_kurt(x, skew_limit, kurt_limit)
    return x, nwin, imax, imin


def log_ct(x: Array) -> Array:
    """COINr ``log_CT`` (the COIN Tool's log): ln(x − min + 0.01 (max − min))."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    with np.errstate(all="ignore"):
        return np.asarray(np.log(x - lo + 0.01 * (hi - lo)), dtype=np.float64)


def treat_column(x: Array, code: str, winmax: int, skew_limit: float, kurt_limit: float) -> tuple[Array, Treatment]:
    """COINr ``Treat`` default for one indicator: winsorise; if still failing, log-transform the ORIGINAL values
    (``combine_treat = FALSE``)."""
    s0, k0 = skew(x), kurt(x)
    if passes_skew_kurt(x, skew_limit, kurt_limit):
        return x.copy(), Treatment(code, s0, k0, "none", 0, s0, k0)
    w, nwin, hi, lo = winsorise(x, winmax, skew_limit, kurt_limit)
    if passes_skew_kurt(w, skew_limit, kurt_limit):
        return w, Treatment(code, s0, k0, "winsorised", nwin, skew(w), kurt(w), tuple(hi), tuple(lo))
    logged = log_ct(x)
    action = "log" if passes_skew_kurt(logged, skew_limit, kurt_limit) else "log (still failing)"
    return logged, Treatment(code, s0, k0, action, 0, skew(logged), kurt(logged))


# ---------------------------------------------------------------- normalise (COINr R/normalise.R)

def normalise(
    x: Array, method: str, directions: Array, low: float = 0.0, high: float = 100.0,
    targets: Array | None = None, goalposts: Array | None = None,
) -> Array:
    """Normalise every column; negative-direction indicators are turned round first (COINr multiplies by
    the direction before ``n_minmax``, ``n_zscore``, ``n_rank``).

    - ``minmax``: (x − min)/(max − min) onto [low, high] (``n_minmax``);
    - ``zscore``: (x − mean)/sd with the n − 1 sd (``n_zscore``);
    - ``rank``: average ranks, 1 = lowest, scaled onto [low, high] as percentile ranks (``n_prank``);
    - ``goalposts``: (x − worst)/(best − worst) clipped to [0, 1] then onto [low, high] (``n_goalposts``);
    - ``distance_to_target``: (x − min)/(target − min), capped at 1, onto [low, high] (``n_dist2targ``);
      for a negative direction (max − x)/(max − target).
    """
    y = x * directions[None, :]
    with np.errstate(all="ignore"):
        if method == "minmax":
            lo, hi = np.nanmin(y, axis=0), np.nanmax(y, axis=0)
            return np.asarray((y - lo) / (hi - lo) * (high - low) + low, dtype=np.float64)
        if method == "zscore":
            mean = np.nanmean(y, axis=0)
            sd = np.nanstd(y, axis=0, ddof=1)
            return np.asarray((y - mean) / sd, dtype=np.float64)
        if method == "rank":
            out = np.full_like(y, np.nan)
            for j in range(y.shape[1]):
                out[:, j] = percent_rank(y[:, j])
            return np.asarray(out * (high - low) + low, dtype=np.float64)
        if method == "goalposts":
            if goalposts is None:
                raise ValueError("goalposts normalisation needs goalposts")
            worst, best = goalposts[:, 0], goalposts[:, 1]
            share = np.clip((x - worst) / (best - worst), 0, 1)
            return np.asarray(share * (high - low) + low, dtype=np.float64)
        if method == "distance_to_target":
            if targets is None:
                raise ValueError("distance-to-target normalisation needs targets")
            lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
            up = (x - lo) / (targets - lo)
            down = (hi - x) / (hi - targets)
            share = np.minimum(np.where(directions[None, :] > 0, up, down), 1.0)
            return np.asarray(share * (high - low) + low, dtype=np.float64)
    raise ValueError(f"unknown normalisation {method!r}")


def percent_rank(v: Array) -> Array:
    """(rank − 1)/(n − 1) with average ranks for ties; NaN stays NaN (COINr ``n_prank``)."""
    out = np.full(v.shape, np.nan)
    present = ~np.isnan(v)
    vals = v[present]
    n = vals.size
    if n == 0:
        return out
    order = np.argsort(vals, kind="stable")
    ranks = np.empty(n)
    ranks[order] = np.arange(1, n + 1)
    # average ties
    _, inverse = np.unique(vals, return_inverse=True)
    sums = np.bincount(inverse, weights=ranks)
    counts = np.bincount(inverse)
    avg = (sums / counts)[inverse]
    out[present] = (avg - 1) / (n - 1) if n > 1 else 0.5
    return out


# ---------------------------------------------------------------- weights (COINr R/weights.R)

def entropy_weights(x: Array) -> Array:
    """Entropy weights over the columns of ``x`` (non-negative normalised scores): columns whose values
    differ more across units (lower entropy) weigh more."""
    v = np.where(np.isnan(x), 0.0, x)
    v = v - np.minimum(v.min(axis=0), 0.0)
    n = v.shape[0]
    totals = v.sum(axis=0)
    with np.errstate(all="ignore"):
        p = np.where(totals > 0, v / totals, 1.0 / n)
        e = -np.where(p > 0, p * np.log(p), 0.0).sum(axis=0) / np.log(n)
    d = np.clip(1 - e, 0, None)
    if d.sum() == 0:
        return np.full(x.shape[1], 1.0 / x.shape[1])
    return np.asarray(d / d.sum(), dtype=np.float64)


def critic_weights(x: Array) -> Array:
    """CRITIC weights (Diakoulaki et al. 1995): standard deviation × Σ(1 − correlation) per column."""
    v = np.where(np.isnan(x), np.nanmean(x, axis=0), x)
    sd = v.std(axis=0, ddof=1)
    if x.shape[1] == 1:
        return np.ones(1)
    with np.errstate(all="ignore"):
        r = np.corrcoef(v, rowvar=False)
    r = np.nan_to_num(r, nan=0.0)
    c = sd * (1 - r).sum(axis=0)
    if not np.isfinite(c).all() or c.sum() == 0:
        return np.full(x.shape[1], 1.0 / x.shape[1])
    return np.asarray(c / c.sum(), dtype=np.float64)


# ---------------------------------------------------------------- aggregate (COINr R/aggregate.R)

def aggregate(children: Array, weights: Array, method: str, offset: float = 1.0) -> Array:
    """Weighted mean of a parent's children per unit, missing children skipped and weights rescaled to sum
    to 1 over those present (COINr ``a_amean``); ``geometric``: exp(Σ w ln(x + offset)) − offset."""
    present = ~np.isnan(children)
    w = np.where(present, weights[None, :], 0.0)
    total = w.sum(axis=1)
    with np.errstate(all="ignore"):
        if method == "arithmetic":
            out = np.where(present, children, 0.0) @ weights / total
        elif method == "geometric":
            logs = np.log(np.where(present, children, 0.0) + offset)
            out = np.exp(np.where(present, logs, 0.0) @ weights / total) - offset
        else:
            raise ValueError(f"unknown aggregation {method!r}")
    return np.asarray(np.where(total > 0, out, np.nan), dtype=np.float64)


def rank_descending(scores: Array) -> Array:
    """Rank 1 = highest score; ties share the best rank (R ``rank(-x, ties.method = "min")``); NaN stays NaN."""
    out = np.full(scores.shape, np.nan)
    present = ~np.isnan(scores)
    vals = scores[present]
    if vals.size == 0:
        return out
    # rank = 1 + number of strictly higher scores
    sorted_vals = np.sort(vals)
    higher = vals.size - np.searchsorted(sorted_vals, vals, side="right")
    out[present] = higher + 1
    return out
