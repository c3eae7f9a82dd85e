"""Bound cases generated from the programme files (issue 9, Deliver 1 and 2).

For every comparison at a line in every criterion (``value >= line``, ``value < line``, ``BETWEEN``),
``bound_cases`` builds three rows: the value exactly on the line, and one step either side. "Exactly on
the line" is what an official would write: the line computed in decimal arithmetic from the parameters
(``0.2 × 24.3 = 4.86``), not the floating-point product (4.860000000000001). The expected outcome follows
the operator: ``>=``/``<=`` include the line, ``>``/``<`` exclude it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from xiaozhen.policy import Policy, resolve_parameter_value
from xiaozhen.policy._language import Node, _window, evaluate_row, parse

ORDERING = (">=", ">", "<=", "<")
#: What each operator gives at the line, a step above it and a step below it.
EXPECTED = {
    ">=": {"on": True, "above": True, "below": False},
    ">": {"on": False, "above": True, "below": False},
    "<=": {"on": True, "above": False, "below": True},
    "<": {"on": False, "above": False, "below": True},
}
#: A made-up figure for every non-parameter name on the line's side (a total, a year count).
FIGURE = Decimal("24.3")
COUNTS = {"years_elapsed", "years_in_tier", "years_in_programme", "missed_streak", "towns_in_sub_sector"}


class _Unsupported(Exception):
    pass


@dataclass(frozen=True)
class BoundCase:
    policy_id: str
    criterion_id: str
    comparison: str  # the operator as the value side reads it
    value_name: str
    line: Decimal
    node: Node  # the comparison, value side on the left
    row: dict[str, Any]  # everything but the value

    def rows(self) -> dict[str, dict[str, Any]]:
        step = _step(self.line)
        return {
            "on": {**self.row, self.value_name: float(self.line)},
            "above": {**self.row, self.value_name: float(self.line + step)},
            "below": {**self.row, self.value_name: float(self.line - step)},
        }

    @property
    def name(self) -> str:
        return f"{self.policy_id}.{self.criterion_id}: {self.value_name} {self.comparison} {self.line}"


def _step(line: Decimal) -> Decimal:
    """One step in the fourth significant digit (0.001 at a share of 0.2, 0.01 at 24.3)."""
    if line == 0:
        return Decimal("0.001")
    exponent = math.floor(math.log10(abs(float(line)))) - 3
    return Decimal(1).scaleb(exponent)


def _decimal(node: Node, row: dict[str, Any], decimals: dict[str, Decimal]) -> Decimal:
    kind = node.kind
    if kind == "num":
        return Decimal(str(node.value))
    if kind == "col":
        if node.value not in decimals:
            raise _Unsupported(node.value)
        return decimals[node.value]
    if kind == "window":
        return decimals[_window(node).column]
    if kind == "neg":
        return -_decimal(node.args[0], row, decimals)
    if kind == "bin" and node.value in "+-*/":
        a, b = (_decimal(x, row, decimals) for x in node.args)
        if node.value == "+":
            return a + b
        if node.value == "-":
            return a - b
        if node.value == "*":
            return a * b
        if b == 0:
            raise _Unsupported("division by zero")
        return a / b
    if kind == "case":
        *pairs, otherwise = node.args
        for i in range(0, len(pairs), 2):
            if evaluate_row(pairs[i], row) is True:
                return _decimal(pairs[i + 1], row, decimals)
        return _decimal(otherwise, row, decimals)
    raise _Unsupported(kind)


def _line_inputs(policy: Policy, side: Node, at: dt.date) -> tuple[dict[str, Any], dict[str, Decimal]]:
    params = {p.id for p in policy.parameters}
    row: dict[str, Any] = {}
    decimals: dict[str, Decimal] = {}

    def walk(n: Node) -> None:
        if n.kind == "window":
            column = _window(n).column
            row[column], decimals[column] = float(FIGURE), FIGURE
            return
        if n.kind == "col":
            if n.value in params:
                value = resolve_parameter_value(policy, n.value, at)
                if isinstance(value, (bool, str)):
                    raise _Unsupported(n.value)
                row[n.value], decimals[n.value] = value, Decimal(str(value))
            elif n.value in COUNTS:
                row[n.value], decimals[n.value] = 2, Decimal(2)
            else:
                row[n.value], decimals[n.value] = float(FIGURE), FIGURE
        for a in n.args:
            walk(a)

    walk(side)
    return row, decimals


def _comparisons(node: Node) -> list[Node]:
    """Every ordering comparison in the tree; BETWEEN gives one for each bound."""
    out: list[Node] = []
    if node.kind == "bin" and node.value in ORDERING:
        out.append(node)
    if node.kind == "between":
        value, low, high = node.args
        out += [Node("bin", ">=", (value, low)), Node("bin", "<=", (value, high))]
    for a in node.args:
        out += _comparisons(a)
    return out


_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


def bound_cases(policy: Policy) -> tuple[list[BoundCase], list[str]]:
    """(cases, skipped): a comparison is skipped when neither side is a single figure."""
    params = {p.id for p in policy.parameters}
    at = policy.identity.effective_from
    cases: list[BoundCase] = []
    skipped: list[str] = []
    for c in policy.criteria:
        for cmp in _comparisons(parse(c.expr)):
            left, right = cmp.args
            op = cmp.value
            if _is_figure(left, params):
                value, line_side = left, right
            elif _is_figure(right, params):
                value, line_side, op = right, left, _FLIP[op]
            else:
                skipped.append(f"{policy.id}.{c.id}: {op}")
                continue
            name = value.value if value.kind == "col" else _window(value).column
            try:
                row, decimals = _line_inputs(policy, line_side, at)
                line = _decimal(line_side, row, decimals)
            except (_Unsupported, InvalidOperation, LookupError):
                skipped.append(f"{policy.id}.{c.id}: {op}")
                continue
            node = Node("bin", op, (Node("col", name), line_side))
            cases.append(BoundCase(policy.id, c.id, op, name, line, node, row))
    return cases, skipped


def _is_figure(node: Node, params: set[str]) -> bool:
    """A single reported or derived figure (or a window's sum), not a parameter or a number."""
    return (node.kind == "col" and node.value not in params) or node.kind == "window"
