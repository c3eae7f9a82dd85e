"""Every number or reading of a programme that is not in its seed, with where it comes from.

A programme file marks these with ``default_source`` (parameters, criteria, transitions, the
excellence rule) or ``plausibility_source`` (indicator ranges). ``policy_defaults`` lists them all,
for ``xiaozhen policies defaults`` and for the web, which label them 默认 default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._expressions import referenced_names
from ._schema import Policy, Text


@dataclass(frozen=True)
class Default:
    kind: str  # parameter | criterion | transition | excellence | indicator
    id: str
    label: Text
    clause: str
    value: Any
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label.model_dump(), "clause": self.clause,
                "value": self.value, "default_source": self.source}


def policy_defaults(policy: Policy) -> list[Default]:
    out: list[Default] = []
    for p in policy.parameters:
        if p.default_source:
            values = [{"from": v.from_.isoformat(), "value": v.value, **({"by_category": v.by_category} if v.by_category else {})}
                      for v in p.values]
            out.append(Default("parameter", p.id, p.label, p.clause, values, " ".join(p.default_source.split())))
    for c in policy.criteria:
        if c.default_source:
            out.append(Default("criterion", c.id, c.label, c.clause, c.expr, " ".join(c.default_source.split())))
    for t in policy.lifecycle.transitions:
        if t.default_source:
            rule = t.when or "officer decides / 官员决定"
            out.append(Default("transition", t.id, t.label, t.clause, rule, " ".join(t.default_source.split())))
    exc = policy.lifecycle.excellence
    if exc and exc.default_source:
        out.append(Default("excellence", "excellence", exc.label, exc.clause, {"score": exc.score, "top": exc.top},
                           " ".join(exc.default_source.split())))
    for ind in policy.indicators:
        if ind.plausibility_source:
            bounds = {k: v for k, v in (("minimum", ind.minimum), ("maximum", ind.maximum)) if v is not None}
            if ind.positive:
                bounds["above"] = 0
            out.append(Default("indicator", ind.id, ind.label, ind.clause or "", bounds, ind.plausibility_source))
    return out


#: Per policy object (kept alive beside its entry, so its id is not reused): each criterion's defaults.
#: Verdict tables ask for every outcome of every row; parsing the expressions each time cost ~85 µs a call.
_BY_POLICY: dict[int, tuple[Policy, dict[str, list[Default]]]] = {}


def criterion_defaults(policy: Policy, criterion_id: str) -> list[Default]:
    """The defaults a criterion's verdict rests on (see ``_criterion_defaults``); a fresh list each call."""
    entry = _BY_POLICY.get(id(policy))
    if entry is None or entry[0] is not policy:
        if len(_BY_POLICY) > 64:
            _BY_POLICY.clear()
        entry = (policy, {c.id: _criterion_defaults(policy, c.id) for c in policy.criteria})
        _BY_POLICY[id(policy)] = entry
    if criterion_id not in entry[1]:
        raise KeyError(criterion_id)
    return list(entry[1][criterion_id])


def _criterion_defaults(policy: Policy, criterion_id: str) -> list[Default]:
    """The defaults a criterion's verdict rests on: its own reading, the parameters its line reads
    (directly or through derived indicators) and the parameter that sets its force, when any of them
    carries ``default_source``. The CLI and the web mark such a criterion 默认 default."""
    criterion = next(c for c in policy.criteria if c.id == criterion_id)
    out: list[Default] = []
    if criterion.default_source:
        out.append(Default("criterion", criterion.id, criterion.label, criterion.clause, criterion.expr,
                           " ".join(criterion.default_source.split())))
    params = {p.id: p for p in policy.parameters}
    derived = {i.id: i for i in policy.indicators if i.kind == "derived" and i.expr}
    seen: set[str] = set()
    names = referenced_names(criterion.expr) + ([criterion.severity_parameter] if criterion.severity_parameter else [])
    while names:
        name = names.pop(0)
        if name in seen:
            continue
        seen.add(name)
        for prefix in ("cum_", "first_"):  # running totals and first years read the indicator itself
            if name.startswith(prefix) and name.removeprefix(prefix) in derived:
                name = name.removeprefix(prefix)
        if name in derived:
            names += referenced_names(derived[name].expr or "")
        elif name in params and params[name].default_source:
            p = params[name]
            out.append(Default("parameter", p.id, p.label, p.clause, p.values[-1].value, " ".join((p.default_source or "").split())))
    return out
