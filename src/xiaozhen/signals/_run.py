"""Run every check over one programme's figures and return the signals, strongest first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ._checks import (
    EnterpriseClaim,
    LedgerLine,
    Observation,
    benford,
    cumulative_decrease,
    duplicate_enterprises,
    ledger_mismatches,
    ledger_totals,
    parts_exceed_whole,
    period_key,
    repeated_figures,
    round_heaping,
    spikes_own_history,
    spikes_peers,
)
from ._model import KIND_LABELS, IndicatorInfo, Settings, Signal

_STRENGTH_ORDER = {"strong": 0, "moderate": 1, "weak": 2}


def find_signals(
    observations: Sequence[Observation],
    indicators: dict[str, IndicatorInfo],
    *,
    ledger: Sequence[LedgerLine] = (),
    enterprises: Iterable[EnterpriseClaim] = (),
    settings: Settings | None = None,
) -> list[Signal]:
    """Every signal in the figures. Nothing is changed or decided: the caller shows them to an officer.

    Benford's test reads a town's project-ledger amounts when it has enough of them (project sizes are the
    kind of figure the law describes), otherwise its reported figures.
    """
    settings = settings or Settings()
    for o in observations:
        period_key(o.period)
    known = [o for o in observations if o.indicator in indicators]
    ledger = list(ledger)
    measured = [o for o in known if indicators[o.indicator].measured]
    lines = [Observation(line.town, line.period, f"ledger:{line.indicator}", line.amount) for line in ledger]
    figures = measured + lines
    by_town_ledger: dict[str, list[Observation]] = defaultdict(list)
    for line in lines:
        by_town_ledger[line.town].append(line)
    benford_figures: list[Observation] = []
    reported_by_town: dict[str, list[Observation]] = defaultdict(list)
    for o in measured:
        reported_by_town[o.town].append(o)
    for town in set(reported_by_town) | set(by_town_ledger):
        own = by_town_ledger.get(town, [])
        benford_figures += own if len(own) >= settings.benford_min_sample else reported_by_town.get(town, [])
    signals = [
        *cumulative_decrease(known, indicators),
        *spikes_own_history(known, indicators, settings),
        *spikes_peers(known, indicators, settings),
        *repeated_figures(known, indicators, settings),
        *round_heaping(figures, settings),
        *benford(benford_figures, settings),
        *duplicate_enterprises(enterprises),
        *ledger_mismatches(known, ledger_totals(ledger), indicators, settings),
        *parts_exceed_whole(known, indicators),
    ]
    kinds = list(KIND_LABELS)
    signals.sort(key=lambda s: (_STRENGTH_ORDER[s.strength], kinds.index(s.kind), s.town, s.indicator or "", s.periods))
    return signals
