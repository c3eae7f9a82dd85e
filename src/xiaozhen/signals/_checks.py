"""The checks. Each takes plain observations and returns signals with their evidence; none changes anything."""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ._model import BENFORD_CAVEAT, IndicatorInfo, Settings, Signal, Strength

_PERIOD = re.compile(r"^(\d{4})(?:[-]?[Qq]([1-4]))?$")


@dataclass(frozen=True)
class Observation:
    """One reported figure: a town's value of an indicator in a period (``2021`` or ``2021Q3``)."""

    town: str
    period: str
    indicator: str
    value: float


@dataclass(frozen=True)
class LedgerLine:
    """One project line of a town's ledger (项目台账): the amount it contributes to an indicator in a period."""

    town: str
    period: str
    indicator: str
    project: str
    amount: float


@dataclass(frozen=True)
class LedgerTotal:
    """The sum of a town's project-ledger lines for an indicator in a period (e.g. completed investment)."""

    town: str
    period: str
    indicator: str
    total: float
    lines: int


def ledger_totals(lines: Iterable[LedgerLine]) -> list[LedgerTotal]:
    sums: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for line in lines:
        sums[(line.town, line.period, line.indicator)].append(line.amount)
    return [LedgerTotal(t, p, i, float(sum(v)), len(v)) for (t, p, i), v in sums.items()]


@dataclass(frozen=True)
class EnterpriseClaim:
    """A town lists an enterprise (by its unified social credit code, 统一社会信用代码) in a year."""

    credit_code: str
    town: str
    year: int
    name: str = ""


def period_key(period: str) -> tuple[int, int]:
    """``2021`` → (2021, 0); ``2021Q3`` → (2021, 3). Refuses anything else."""
    match = _PERIOD.match(period.strip())
    if not match:
        raise ValueError(f"period {period!r} is neither a year (2021) nor a quarter (2021Q3)")
    return int(match.group(1)), int(match.group(2) or 0)


def _fmt(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _series(observations: Iterable[Observation]) -> dict[tuple[str, str], list[tuple[str, float]]]:
    out: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for o in observations:
        if math.isfinite(o.value):
            out[(o.town, o.indicator)].append((o.period, o.value))
    for values in out.values():
        values.sort(key=lambda pv: period_key(pv[0]))
    return out


def _robust_z(value: float, reference: Sequence[float]) -> tuple[float, float, float]:
    """(z, median, scale): scale is 1.4826 × MAD, or 1.2533 × mean absolute deviation when the MAD is 0."""
    ref = np.asarray(reference, dtype=float)
    median = float(np.median(ref))
    mad = float(np.median(np.abs(ref - median)))
    scale = 1.4826 * mad
    if scale == 0:
        scale = 1.2533 * float(np.mean(np.abs(ref - median)))
    if scale == 0:
        return 0.0, median, 0.0
    return (value - median) / scale, median, scale


def _z_strength(z: float) -> Strength:
    z = abs(z)
    return "strong" if z >= 10 else "moderate" if z >= 5 else "weak"


# ------------------------------------------------------------------ 1. cumulative figures that go down

def cumulative_decrease(observations: Iterable[Observation], indicators: dict[str, IndicatorInfo]) -> list[Signal]:
    """A running total (累计) lower than the period before. Quarterly year-to-date figures restart each year,
    so quarters are compared within their year; years with years."""
    signals: list[Signal] = []
    for (town, ind), values in _series(observations).items():
        info = indicators.get(ind)
        if not info or not info.cumulative:
            continue
        for (p0, v0), (p1, v1) in itertools.pairwise(values):
            k0, k1 = period_key(p0), period_key(p1)
            if (k0[1] == 0) != (k1[1] == 0) or (k1[1] and k0[0] != k1[0]):
                continue
            if v1 < v0 - 1e-9:
                drop = (v0 - v1) / abs(v0) if v0 else 1.0
                strength: Strength = "strong" if drop >= 0.10 else "moderate" if drop >= 0.01 else "weak"
                signals.append(Signal(
                    "cumulative_decrease", town, ind, (p0, p1), strength, drop,
                    f"{info.label_zh}是累计数，{p1} 为 {_fmt(v1)}，低于 {p0} 的 {_fmt(v0)}(下降 {drop:.1%})",
                    f"{info.label_en} is cumulative, yet {p1} ({_fmt(v1)}) is below {p0} ({_fmt(v0)}), down {drop:.1%}",
                    {"before": {"period": p0, "value": v0}, "after": {"period": p1, "value": v1}, "drop_share": drop,
                     "unit": info.unit},
                ))
    return signals


# ------------------------------------------------------------------ 2. spikes: own history and peers

def _consecutive(p0: str, p1: str) -> bool:
    k0, k1 = period_key(p0), period_key(p1)
    if k0[1] == 0 and k1[1] == 0:
        return k1[0] == k0[0] + 1
    return bool(k0[1] and k1[1]) and (k1[0] * 4 + k1[1]) - (k0[0] * 4 + k0[1]) == 1


@dataclass(frozen=True)
class _Step:
    town: str
    indicator: str
    p0: str
    p1: str
    v0: float
    v1: float

    @property
    def growth(self) -> float:
        """Log growth ln(v1 / v0): symmetric, so ×5 and ÷5 are the same size of change."""
        return math.log(self.v1 / self.v0)


def _steps(observations: Iterable[Observation], indicators: dict[str, IndicatorInfo]) -> dict[tuple[str, str], list[_Step]]:
    """Each town's period-on-period steps per indicator (positive values, consecutive periods)."""
    out: dict[tuple[str, str], list[_Step]] = defaultdict(list)
    for (town, ind), values in _series(observations).items():
        info = indicators.get(ind)
        if not info or info.cumulative or not info.measured:
            continue
        for (p0, v0), (p1, v1) in itertools.pairwise(values):
            if v0 > 0 and v1 > 0 and _consecutive(p0, p1):
                out[(town, ind)].append(_Step(town, ind, p0, p1, v0, v1))
    return out


def spikes_own_history(observations: Iterable[Observation], indicators: dict[str, IndicatorInfo],
                       settings: Settings) -> list[Signal]:
    """A change far from the town's own usual change: (growth − the town's median earlier growth) divided by how
    much this indicator's growth usually wanders from a town's median (1.4826 × MAD pooled over all towns, since
    a few years of one town cannot give a stable spread)."""
    steps = _steps(observations, indicators)
    pooled: dict[str, list[float]] = defaultdict(list)
    for (_, ind), series in steps.items():
        if len(series) >= 2:
            median = float(np.median([st.growth for st in series]))
            pooled[ind] += [abs(st.growth - median) for st in series]
    scale_of = {ind: 1.4826 * float(np.median(devs)) for ind, devs in pooled.items() if devs}
    min_growth = math.log(1 + settings.min_change)
    signals: list[Signal] = []
    need = max(1, settings.min_history - 1)
    for (town, ind), series in steps.items():
        scale = scale_of.get(ind, 0.0)
        if scale <= 0:
            continue
        info = indicators[ind]
        for i in range(need, len(series)):
            st = series[i]
            usual = float(np.median([x.growth for x in series[:i]]))
            z = (st.growth - usual) / scale
            if abs(z) >= settings.robust_z and abs(st.growth) >= min_growth:
                factor = st.v1 / st.v0
                signals.append(Signal(
                    "spike_own_history", town, ind, (st.p0, st.p1), _z_strength(z), z,
                    f"{info.label_zh}由 {st.p0} 的 {_fmt(st.v0)} 变为 {st.p1} 的 {_fmt(st.v1)}(×{factor:.2f})，"
                    f"该镇此前年均变化 ×{math.exp(usual):.2f}，稳健 z = {z:.1f}",
                    f"{info.label_en} went from {_fmt(st.v0)} ({st.p0}) to {_fmt(st.v1)} ({st.p1}), ×{factor:.2f}, "
                    f"where the town's earlier changes were ×{math.exp(usual):.2f} a period: robust z = {z:.1f}",
                    {"before": {"period": st.p0, "value": st.v0}, "after": {"period": st.p1, "value": st.v1},
                     "history": {x.p1: x.v1 for x in series[:i]} | {series[0].p0: series[0].v0},
                     "factor": factor, "usual_factor": math.exp(usual), "scale": scale, "robust_z": z,
                     "threshold": settings.robust_z, "unit": info.unit},
                ))
    return signals


def spikes_peers(observations: Iterable[Observation], indicators: dict[str, IndicatorInfo],
                 settings: Settings) -> list[Signal]:
    """A town's change on the previous period far from its peers' changes in the same period (robust z of log
    growth against the other towns'). Change, not level: big towns are not spikes for being big."""
    by_period: dict[tuple[str, str], list[_Step]] = defaultdict(list)
    for series in _steps(observations, indicators).values():
        for st in series:
            by_period[(st.indicator, st.p1)].append(st)
    min_growth = math.log(1 + settings.min_change)
    signals: list[Signal] = []
    for (ind, _period), steps in by_period.items():
        if len(steps) < settings.min_peers:
            continue
        info = indicators[ind]
        for st in steps:
            others = [x.growth for x in steps if x.town != st.town]
            z, median, _scale = _robust_z(st.growth, others)
            if abs(z) >= settings.robust_z and abs(st.growth - median) >= min_growth:
                factor = st.v1 / st.v0
                signals.append(Signal(
                    "spike_peers", st.town, ind, (st.p0, st.p1), _z_strength(z), z,
                    f"{info.label_zh}由 {st.p0} 的 {_fmt(st.v0)} 变为 {st.p1} 的 {_fmt(st.v1)}(×{factor:.2f})，"
                    f"同期其他 {len(others)} 个小镇中位数 ×{math.exp(median):.2f}，稳健 z = {z:.1f}",
                    f"{info.label_en} went from {_fmt(st.v0)} ({st.p0}) to {_fmt(st.v1)} ({st.p1}), ×{factor:.2f}, "
                    f"against a median of ×{math.exp(median):.2f} over {len(others)} other towns: robust z = {z:.1f}",
                    {"before": {"period": st.p0, "value": st.v0}, "after": {"period": st.p1, "value": st.v1},
                     "factor": factor, "peer_median_factor": math.exp(median), "peers": len(others),
                     "robust_z": z, "threshold": settings.robust_z, "unit": info.unit},
                ))
    return signals


# ------------------------------------------------------------------ 3. the same figures year after year

def repeated_figures(observations: Iterable[Observation], indicators: dict[str, IndicatorInfo],
                     settings: Settings) -> list[Signal]:
    """The same non-zero yearly figure ``min_repeats`` or more years running (copied forward, not measured).
    Only flows (figures measured afresh each period); an area or a count may honestly stay the same."""
    signals: list[Signal] = []
    for (town, ind), values in _series(observations).items():
        info = indicators.get(ind)
        if not info or not info.measured or not info.flow:
            continue
        yearly = [(p, v) for p, v in values if period_key(p)[1] == 0]
        run: list[tuple[str, float]] = []
        for p, v in [*yearly, ("9999", math.nan)]:
            consecutive = run and period_key(p)[0] == period_key(run[-1][0])[0] + 1
            if run and consecutive and v == run[-1][1]:
                run.append((p, v))
                continue
            if len(run) >= settings.min_repeats and run[0][1] != 0:
                n = len(run)
                digits = len(re.sub(r"[^0-9]", "", f"{run[0][1]:.6g}").strip("0"))
                strength: Strength = "strong" if n >= 4 or digits >= 3 else "moderate" if digits >= 2 else "weak"
                periods = tuple(p_ for p_, _ in run)
                signals.append(Signal(
                    "repeated_figures", town, ind, periods, strength, float(n),
                    f"{info.label_zh}连续 {n} 年均为 {_fmt(run[0][1])}({periods[0]}–{periods[-1]})",
                    f"{info.label_en} is exactly {_fmt(run[0][1])} for {n} years running ({periods[0]}–{periods[-1]})",
                    {"value": run[0][1], "years": list(periods), "significant_digits": digits, "unit": info.unit},
                ))
            run = [(p, v)] if math.isfinite(v) else []
    return signals


# ------------------------------------------------------------------ 4. round-number heaping

def is_round(value: float) -> bool:
    """A multiple of half its leading power of ten: 10, 15, 200, 3500, 1.5 are round; 12, 2.37 are not."""
    v = abs(value)
    if v == 0 or not math.isfinite(v):
        return False
    step = 0.5 * 10 ** math.floor(math.log10(v))
    ratio = v / step
    return abs(ratio - round(ratio)) < 1e-9 * max(1.0, ratio)


def _binomial_tail(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p)."""
    return float(sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def round_heaping(observations: Sequence[Observation], settings: Settings) -> list[Signal]:
    """A town whose figures are round far more often than all towns' figures are (one-sided binomial test)."""
    by_town: dict[str, list[Observation]] = defaultdict(list)
    for o in observations:
        if math.isfinite(o.value) and o.value != 0:
            by_town[o.town].append(o)
    total = sum(len(v) for v in by_town.values())
    if not total:
        return []
    base = sum(is_round(o.value) for v in by_town.values() for o in v) / total
    base = min(max(base, 0.02), 0.5)
    signals: list[Signal] = []
    for town, obs in by_town.items():
        n = len(obs)
        if n < settings.heaping_min_values:
            continue
        rounds = [o for o in obs if is_round(o.value)]
        k = len(rounds)
        p = _binomial_tail(k, n, base)
        if p < settings.heaping_p and k / n >= 2 * base:
            strength: Strength = "strong" if p < 1e-6 else "moderate" if p < 1e-4 else "weak"
            signals.append(Signal(
                "round_heaping", town, None, tuple(sorted({o.period for o in rounds}, key=period_key)), strength, p,
                f"{n} 个数字中 {k} 个是整数({k / n:.0%})，全部小镇为 {base:.0%}；二项检验 p = {p:.1e}",
                f"{k} of {n} figures are round ({k / n:.0%}) against {base:.0%} over all towns; binomial p = {p:.1e}",
                {"round": k, "values": n, "share": k / n, "baseline_share": base, "p_value": p,
                 "examples": [{"indicator": o.indicator, "period": o.period, "value": o.value} for o in rounds[:8]]},
            ))
    return signals


# ------------------------------------------------------------------ 5. Benford first digits

BENFORD = np.log10(1 + 1 / np.arange(1, 10))


def first_digit(value: float) -> int | None:
    v = abs(value)
    if v == 0 or not math.isfinite(v):
        return None
    return int(f"{v:e}"[0])


def _chi2_sf_8(x: float) -> float:
    """Survival function of chi-square with 8 degrees of freedom (closed form for even df)."""
    h = x / 2
    return float(math.exp(-h) * sum(h**i / math.factorial(i) for i in range(4)))


def benford(observations: Sequence[Observation], settings: Settings) -> list[Signal]:
    """Each town's first digits against Benford's law: flagged when Nigrini's MAD is above the nonconformity
    line AND the chi-square test rejects. Below the minimum sample no test is made."""
    digits: dict[str, list[int]] = defaultdict(list)
    for o in observations:
        d = first_digit(o.value)
        if d is not None:
            digits[o.town].append(d)
    signals: list[Signal] = []
    for town, ds in digits.items():
        n = len(ds)
        if n < settings.benford_min_sample:
            continue
        counts = np.bincount(np.array(ds), minlength=10)[1:]
        observed = counts / n
        mad = float(np.mean(np.abs(observed - BENFORD)))
        chi2 = float(((counts - n * BENFORD) ** 2 / (n * BENFORD)).sum())
        p = _chi2_sf_8(chi2)
        # Nigrini's MAD lines are for large samples; a small sample's MAD is large by chance alone, so the line is
        # at least twice the MAD expected under the law for this n.
        null_mad = float(np.mean(np.sqrt(BENFORD * (1 - BENFORD) / n))) * math.sqrt(2 / math.pi)
        line = max(settings.benford_mad, 2 * null_mad)
        if mad > line and p < settings.benford_p:
            strength: Strength = "strong" if mad > 0.03 and p < 1e-6 else "moderate" if mad > 0.02 else "weak"
            signals.append(Signal(
                "benford", town, None, (), strength, mad,
                f"{n} 个数字的首位分布偏离本福特定律：MAD = {mad:.3f}(> {line:.3f})，卡方 p = {p:.1e}",
                f"the first digits of {n} figures depart from Benford's law: MAD = {mad:.3f} "
                f"(> {line:.3f}), chi-square p = {p:.1e}",
                {"sample": n, "observed": {str(d): int(c) for d, c in zip(range(1, 10), counts, strict=True)},
                 "expected_share": {str(d): round(float(e), 4) for d, e in zip(range(1, 10), BENFORD, strict=True)},
                 "mad": mad, "mad_line": line, "chi_square": chi2, "p_value": p, "min_sample": settings.benford_min_sample,
                 "caveat": BENFORD_CAVEAT},
            ))
    return signals


# ------------------------------------------------------------------ 6. the same enterprise claimed by two towns

def duplicate_enterprises(claims: Iterable[EnterpriseClaim]) -> list[Signal]:
    """The same credit code listed by two or more towns in the same year: one signal per town involved."""
    by_code: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for c in claims:
        code = c.credit_code.strip().upper()
        if code:
            by_code[(code, c.year)][c.town] = c.name
    signals: list[Signal] = []
    for (code, year), towns in sorted(by_code.items()):
        if len(towns) < 2:
            continue
        name = next((n for n in towns.values() if n), "")
        strength: Strength = "strong" if len(towns) >= 3 else "moderate"
        for town in sorted(towns):
            others = tuple(sorted(t for t in towns if t != town))
            signals.append(Signal(
                "duplicate_enterprise", town, None, (str(year),), strength, float(len(towns)),
                f"企业 {name or code}(统一社会信用代码 {code})在 {year} 年同时被 {', '.join(others)} 申报",
                f"enterprise {name or code} (credit code {code}) is also claimed in {year} by {', '.join(others)}",
                {"credit_code": code, "enterprise": name, "year": year, "towns": sorted(towns)},
                towns=others,
            ))
    return signals


# ------------------------------------------------------------------ 7. a report against its project ledger

def ledger_mismatches(observations: Iterable[Observation], ledger: Iterable[LedgerTotal],
                      indicators: dict[str, IndicatorInfo], settings: Settings) -> list[Signal]:
    """A reported figure that differs from the sum of its project-ledger lines by more than the tolerance."""
    reported = {(o.town, o.period, o.indicator): o.value for o in observations}
    signals: list[Signal] = []
    for line in ledger:
        value = reported.get((line.town, line.period, line.indicator))
        if value is None:
            continue
        larger = max(abs(value), abs(line.total))
        diff = value - line.total
        share = abs(diff) / larger if larger else 0.0
        if share > settings.ledger_tolerance:
            info = indicators.get(line.indicator) or IndicatorInfo(line.indicator, line.indicator, line.indicator)
            strength: Strength = "strong" if share >= 0.2 else "moderate" if share >= 0.05 else "weak"
            signals.append(Signal(
                "ledger_mismatch", line.town, line.indicator, (line.period,), strength, share,
                f"{line.period} 报表{info.label_zh} {_fmt(value)}，项目台账 {line.lines} 个项目合计 {_fmt(line.total)}，"
                f"相差 {_fmt(diff)}({share:.1%})",
                f"{line.period} report gives {info.label_en} {_fmt(value)}; its ledger's {line.lines} projects add up "
                f"to {_fmt(line.total)}: a difference of {_fmt(diff)} ({share:.1%})",
                {"reported": value, "ledger_total": line.total, "ledger_lines": line.lines, "difference": diff,
                 "share": share, "tolerance": settings.ledger_tolerance, "unit": info.unit},
            ))
    return signals


# ------------------------------------------------------------------ 8. parts larger than their whole

def parts_exceed_whole(observations: Iterable[Observation], indicators: dict[str, IndicatorInfo]) -> list[Signal]:
    """A part (e.g. housing investment) larger than its whole (fixed-asset investment) in the same report."""
    values = {(o.town, o.period, o.indicator): o.value for o in observations}
    signals: list[Signal] = []
    for (town, period, ind), part in sorted(values.items()):
        info = indicators.get(ind)
        if not info or not info.part_of:
            continue
        whole = values.get((town, period, info.part_of))
        if whole is None or part <= whole + 1e-9:
            continue
        whole_info = indicators.get(info.part_of) or IndicatorInfo(info.part_of, info.part_of, info.part_of)
        excess = (part - whole) / abs(whole) if whole else 1.0
        strength: Strength = "strong" if excess >= 0.10 else "moderate" if excess >= 0.01 else "weak"
        signals.append(Signal(
            "part_exceeds_whole", town, ind, (period,), strength, excess,
            f"{period} {info.label_zh} {_fmt(part)} 大于{whole_info.label_zh} {_fmt(whole)}",
            f"{period} {info.label_en} {_fmt(part)} is larger than {whole_info.label_en} {_fmt(whole)}",
            {"part": {"indicator": ind, "value": part}, "whole": {"indicator": info.part_of, "value": whole},
             "excess_share": excess, "unit": info.unit},
        ))
    return signals
