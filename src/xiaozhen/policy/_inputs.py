"""Which reported indicators a stage's criteria read (through cum_/first_ forms and derived ones)."""

from __future__ import annotations

from ._expressions import referenced_names
from ._schema import Policy


def reported_inputs(policy: Policy, expr: str) -> list[str]:
    """The reported indicators ``expr`` reads, in the order it first reaches them."""
    reported = {i.id for i in policy.indicators if i.kind == "reported"}
    derived = {i.id: i.expr or "" for i in policy.indicators if i.kind == "derived"}
    out: list[str] = []
    seen: set[str] = set()
    stack = list(referenced_names(expr))
    while stack:
        name = stack.pop(0)
        base = name.removeprefix("cum_").removeprefix("first_")
        if base in seen:
            continue
        seen.add(base)
        if base in reported:
            out.append(base)
        elif base in derived:
            stack.extend(referenced_names(derived[base]))
    return out


def stage_inputs(policy: Policy, stage: str, *, severity: str | None = None) -> list[str]:
    """The reported indicators ``stage``'s criteria read (only ``severity`` ones when given),
    in the programme file's indicator order."""
    wanted: set[str] = set()
    for criterion in policy.criteria_for(stage):
        if severity is None or criterion.severity == severity:
            wanted.update(reported_inputs(policy, criterion.expr))
    return [i.id for i in policy.indicators if i.id in wanted]
