"""Clean synthetic towns, and one planted anomaly per signal kind: for tests, the benchmark and the demo.

The clean data are what honest reporting looks like: town sizes spread over orders of magnitude, figures grow
with noise, investment is the sum of project-ledger lines (whose sizes are log-normal, so their first digits
follow Benford's law), parts stay below wholes, cumulative figures only rise, every enterprise belongs to one
town.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ._checks import EnterpriseClaim, LedgerLine, Observation
from ._model import IndicatorInfo

INDICATORS: dict[str, IndicatorInfo] = {i.id: i for i in [
    IndicatorInfo("fixed_asset_investment", "固定资产投资", "Fixed-asset investment", "亿元"),
    IndicatorInfo("housing_investment", "商品住宅项目投资", "Commercial housing investment", "亿元",
                  part_of="fixed_asset_investment"),
    IndicatorInfo("cum_fixed_asset_investment", "累计固定资产投资", "Cumulative fixed-asset investment", "亿元",
                  cumulative=True),
    IndicatorInfo("operating_revenue", "营业收入", "Operating revenue", "亿元"),
    IndicatorInfo("tax_revenue", "税收收入", "Tax revenue", "亿元"),
    IndicatorInfo("visitors", "游客接待量", "Visitors", "万人次", type="number"),
    IndicatorInfo("enterprises", "入驻企业数", "Enterprises", "家", type="count"),
    IndicatorInfo("patents", "发明专利授权数", "Invention patents granted", "件", type="count"),
]}

PLANTED_KINDS = ("cumulative_decrease", "spike", "repeated_figures", "round_heaping", "benford",
                 "duplicate_enterprise", "ledger_mismatch", "part_exceeds_whole")


@dataclass(frozen=True)
class Case:
    observations: list[Observation]
    ledger: list[LedgerLine]
    enterprises: list[EnterpriseClaim]
    towns: list[str]
    years: list[int]

    @property
    def indicators(self) -> dict[str, IndicatorInfo]:
        return INDICATORS


def _sig(value: float, digits: int = 4) -> float:
    """Round to ``digits`` significant digits, as figures are reported."""
    if value == 0:
        return 0.0
    return float(round(value, digits - 1 - int(np.floor(np.log10(abs(value))))))


def credit_code(town_no: int, n: int) -> str:
    """An 18-character code shaped like a unified social credit code (fictional)."""
    return f"91320{town_no % 10:01d}{town_no:02d}MA{n:07d}X"[:18].ljust(18, "0")


def clean_case(towns: int = 40, years: tuple[int, int] = (2017, 2024), seed: int = 1, projects: int = 15) -> Case:
    rng = np.random.default_rng(seed)
    year_list = list(range(years[0], years[1] + 1))
    codes = [f"T{i:03d}" for i in range(1, towns + 1)]
    obs: list[Observation] = []
    ledger: list[LedgerLine] = []
    claims: list[EnterpriseClaim] = []
    for t_no, town in enumerate(codes, start=1):
        size = float(np.exp(rng.normal(0, 0.8)))
        revenue = 40 * size * float(np.exp(rng.normal(0, 0.5)))
        visitors = 30 * size * float(np.exp(rng.normal(0, 0.9)))
        enterprises = int(20 * size) + 5
        patents = int(rng.integers(2, 30))
        housing_share = float(rng.uniform(0.03, 0.2))
        cum = 0.0
        investment_level = 8 * size
        for year in year_list:
            period = str(year)
            # project sizes spread over orders of magnitude (Benford-like), scaled to a smoothly growing total
            investment_level *= float(np.exp(rng.normal(0.06, 0.12)))
            raw = np.exp(rng.normal(0, 1.5, size=projects))
            amounts = np.array([_sig(v) for v in raw * investment_level / raw.sum()])
            for j, amount in enumerate(amounts):
                ledger.append(LedgerLine(town, period, "fixed_asset_investment", f"{town}-P{year}-{j + 1:02d}",
                                         float(amount)))
            investment = round(float(amounts.sum()), 4)
            cum = round(cum + investment, 4)
            housing = round(investment * min(0.9, housing_share * float(np.exp(rng.normal(0, 0.10)))), 4)
            revenue *= float(np.exp(rng.normal(0.08, 0.06)))
            visitors *= float(np.exp(rng.normal(0.05, 0.08)))
            enterprises += int(rng.integers(0, 4))
            patents += int(rng.integers(0, 6))
            for ind, value in [("fixed_asset_investment", investment), ("housing_investment", housing),
                               ("cum_fixed_asset_investment", cum), ("operating_revenue", round(revenue, 4)),
                               ("tax_revenue", round(revenue * 0.07 * float(np.exp(rng.normal(0, 0.05))), 4)),
                               ("visitors", round(visitors, 2)), ("enterprises", float(enterprises)),
                               ("patents", float(patents))]:
                obs.append(Observation(town, period, ind, value))
            for n in range(1, 6):
                claims.append(EnterpriseClaim(credit_code(t_no, n), town, year, f"{town} 企业 {n}"))
    return Case(obs, ledger, claims, codes, year_list)


def _set(case: Case, town: str, period: str, indicator: str, value: float) -> list[Observation]:
    return [replace(o, value=value) if (o.town, o.period, o.indicator) == (town, period, indicator) else o
            for o in case.observations]


def _get(case: Case, town: str, period: str, indicator: str) -> float:
    return next(o.value for o in case.observations if (o.town, o.period, o.indicator) == (town, period, indicator))


def plant(case: Case, kind: str, town: str) -> Case:
    """Plant one anomaly of ``kind`` (one of PLANTED_KINDS) in ``town``."""
    y = [str(v) for v in case.years]
    if kind == "cumulative_decrease":
        before = _get(case, town, y[-3], "cum_fixed_asset_investment")
        return replace(case, observations=_set(case, town, y[-2], "cum_fixed_asset_investment", round(before * 0.8, 4)))
    if kind == "spike":
        value = _get(case, town, y[-2], "operating_revenue")
        return replace(case, observations=_set(case, town, y[-2], "operating_revenue", round(value * 5, 4)))
    if kind == "repeated_figures":
        value = _get(case, town, y[-4], "tax_revenue")
        obs = case.observations
        for period in y[-3:]:
            obs = _set(replace(case, observations=obs), town, period, "tax_revenue", value)
        return replace(case, observations=obs)
    if kind == "round_heaping":
        def roundish(v: float) -> float:
            if v <= 0:
                return v
            step = 0.5 * 10 ** np.floor(np.log10(v))
            return float(round(v / step) * step)
        return replace(
            case,
            observations=[replace(o, value=roundish(o.value)) if o.town == town and INDICATORS[o.indicator].measured
                          else o for o in case.observations],
            ledger=[replace(line, amount=roundish(line.amount)) if line.town == town else line for line in case.ledger],
        )
    if kind == "benford":
        rng = np.random.default_rng(99)
        ledger = [replace(line, amount=round(float(rng.uniform(0.5, 0.99)), 4)) if line.town == town else line
                  for line in case.ledger]
        totals: dict[str, float] = {}
        for line in ledger:
            if line.town == town:
                totals[line.period] = totals.get(line.period, 0.0) + line.amount
        obs = case.observations
        for period, total in totals.items():
            obs = _set(replace(case, observations=obs), town, period, "fixed_asset_investment", round(total, 4))
        # keep the cumulative figure and the housing part consistent with the new totals
        cum = 0.0
        for period in y:
            cum += totals[period]
            obs = _set(replace(case, observations=obs), town, period, "cum_fixed_asset_investment", round(cum, 4))
            obs = _set(replace(case, observations=obs), town, period, "housing_investment", round(totals[period] * 0.1, 4))
        return replace(case, observations=obs, ledger=ledger)
    if kind == "duplicate_enterprise":
        other = next(c for c in case.enterprises if c.town != town)
        return replace(case, enterprises=[*case.enterprises, replace(other, town=town, year=int(y[-1]))])
    if kind == "ledger_mismatch":
        value = _get(case, town, y[-3], "fixed_asset_investment")
        return replace(case, observations=_set(case, town, y[-3], "fixed_asset_investment", round(value * 1.3, 4)))
    if kind == "part_exceeds_whole":
        whole = _get(case, town, y[-1], "fixed_asset_investment")
        return replace(case, observations=_set(case, town, y[-1], "housing_investment", round(whole * 1.2, 4)))
    raise ValueError(f"unknown kind {kind!r}; known: {', '.join(PLANTED_KINDS)}")
