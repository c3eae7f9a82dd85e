"""Every number or reading of a programme that is not in its seed, with where it comes from.

A programme file marks these with ``default_source`` (parameters, criteria, transitions, the
excellence rule) or ``plausibility_source`` (indicator ranges). ``policy_defaults`` lists them all,
for ``xiaozhen policies defaults`` and for the web, which label them 默认 default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
