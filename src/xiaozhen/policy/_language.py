"""The criteria language: a small, safe subset of SQL expressions.

One parser, two back ends:

* ``to_polars`` compiles an expression to a Polars expression that runs over
  every town at once (the engine);
* ``evaluate_row`` walks the same tree for one row of plain Python values (the
  reference the property tests and the loop benchmark use).

Both follow SQL's three-valued logic: a missing value (None / null) makes a
comparison *unknown*; ``FALSE AND unknown`` is false; ``TRUE OR unknown`` is
true. Division by zero is unknown rather than infinity or NaN, so an empty
denominator never passes a share test. Nothing here can call Python code:
there is no ``eval``, only the grammar below.

    expr     := or
    or       := and ("OR" and)*
    and      := not ("AND" not)*
    not      := "NOT" not | compare
    compare  := sum [ (=|!=|<>|<|<=|>|>=) sum | IS [NOT] NULL
                      | [NOT] IN "(" literal, … ")" | [NOT] BETWEEN sum AND sum ]
    sum      := product (("+"|"-") product)*
    product  := unary (("*"|"/") unary)*
    unary    := "-" unary | primary
    primary  := number | 'text' | TRUE | FALSE | NULL | name | function "(" args ")"
              | "(" expr ")" | CASE (WHEN expr THEN expr)+ [ELSE expr] END
    function := COALESCE | ABS | LEAST | GREATEST            (row functions)
              | SUM_FIRST_YEARS | SUM_LAST_YEARS             (windows: (indicator, years))
              | SUM | COUNT | AVG | MIN | MAX                (aggregates; targets only)

Comparisons at a line (<, <=, >, >=, BETWEEN) read a value within one part in 10⁹
of the line as *on* the line (docs/adr/0010-exact-comparisons.md): ``0.2 × 24``
is 4.800000000000001 in floating point, and a first-year plan of 4.8 must meet
"不少于总投资额20%". ``=`` and ``!=`` stay exact (they compare codes, grades, counts).

Windows (``SUM_FIRST_YEARS(investment, 3)``, ``SUM_LAST_YEARS(tax, n_years)``) sum a
summed indicator over the first N years of the town's plan (or actual record) or
over the last N actual years up to the year assessed. The engine computes them as
columns before the criteria run (``window_column``); a blank inside the window
makes the sum unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

ROW_FUNCTIONS = {"COALESCE", "ABS", "LEAST", "GREATEST"}
WINDOWS = {"SUM_FIRST_YEARS": "first", "SUM_LAST_YEARS": "last"}
#: A value within this relative distance of a line is on the line (ADR 0010).
RELATIVE_TOLERANCE = 1e-9
AGGREGATES = {"SUM", "COUNT", "AVG", "MIN", "MAX"}
_KEYWORDS = {"AND", "OR", "NOT", "CASE", "WHEN", "THEN", "ELSE", "END", "IS", "NULL", "IN", "TRUE", "FALSE", "BETWEEN"}
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<str>'(?:[^']|'')*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|<>|!=|[-+*/()=<>,]))"
)


class LanguageError(ValueError):
    """An expression outside the language, with the position of the problem."""


@dataclass(frozen=True)
class Node:
    kind: str  # num str bool null col bin not isnull in between case call neg
    value: Any = None
    args: tuple[Node, ...] = ()


def _tokenize(text: str) -> list[tuple[str, Any, int]]:
    tokens: list[tuple[str, Any, int]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise LanguageError(f"unexpected character {bad!r} at position {len(text) - len(text[pos:].lstrip()) + 1}")
        start = m.start(m.lastgroup or 0)
        kind = m.lastgroup or ""
        raw = m.group(kind)
        if kind == "num":
            tokens.append(("num", float(raw), start))
        elif kind == "str":
            tokens.append(("str", raw[1:-1].replace("''", "'"), start))
        elif kind == "name" and raw.upper() in _KEYWORDS | ROW_FUNCTIONS | AGGREGATES | set(WINDOWS):
            tokens.append(("kw", raw.upper(), start))
        elif kind == "name":
            tokens.append(("name", raw, start))
        else:
            tokens.append(("op", raw, start))
        pos = m.end()
    tokens.append(("end", None, len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self, ahead: int = 0) -> tuple[str, Any, int]:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def take(self) -> tuple[str, Any, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, value: Any = None) -> bool:
        k, v, _ = self.peek()
        return k == kind and (value is None or v == value)

    def expect(self, kind: str, value: Any = None) -> tuple[str, Any, int]:
        if not self.at(kind, value):
            k, v, p = self.peek()
            found = "the end" if k == "end" else repr(v)
            raise LanguageError(f"expected {value or kind} at position {p + 1}, found {found}")
        return self.take()

    def parse(self) -> Node:
        node = self.or_()
        if not self.at("end"):
            _, v, p = self.peek()
            raise LanguageError(f"unexpected {v!r} at position {p + 1}")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.at("kw", "OR"):
            self.take()
            node = Node("bin", "OR", (node, self.and_()))
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.at("kw", "AND"):
            self.take()
            node = Node("bin", "AND", (node, self.not_()))
        return node

    def not_(self) -> Node:
        if self.at("kw", "NOT"):
            self.take()
            return Node("not", None, (self.not_(),))
        return self.compare()

    def compare(self) -> Node:
        left = self.sum_()
        k, v, _ = self.peek()
        if k == "op" and v in ("=", "!=", "<>", "<", "<=", ">", ">="):
            self.take()
            op = "!=" if v == "<>" else v
            return Node("bin", op, (left, self.sum_()))
        if self.at("kw", "IS"):
            self.take()
            negate = bool(self.at("kw", "NOT") and self.take())
            self.expect("kw", "NULL")
            node = Node("isnull", None, (left,))
            return Node("not", None, (node,)) if negate else node
        negate = False
        if self.at("kw", "NOT") and self.peek(1)[0] == "kw" and self.peek(1)[1] in ("IN", "BETWEEN"):
            self.take()
            negate = True
        if self.at("kw", "IN"):
            self.take()
            self.expect("op", "(")
            items = [self.literal()]
            while self.at("op", ","):
                self.take()
                items.append(self.literal())
            self.expect("op", ")")
            node = Node("in", tuple(n.value for n in items), (left,))
            return Node("not", None, (node,)) if negate else node
        if self.at("kw", "BETWEEN"):
            self.take()
            low = self.sum_()
            self.expect("kw", "AND")
            node = Node("between", None, (left, low, self.sum_()))
            return Node("not", None, (node,)) if negate else node
        return left

    def literal(self) -> Node:
        k, v, p = self.take()
        if k == "num":
            return Node("num", v)
        if k == "str":
            return Node("str", v)
        if k == "op" and v == "-" and self.at("num"):
            return Node("num", -self.take()[1])
        raise LanguageError(f"expected a number or 'text' in the IN list at position {p + 1}")

    def sum_(self) -> Node:
        node = self.product()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = Node("bin", op, (node, self.product()))
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = Node("bin", op, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.at("op", "-"):
            self.take()
            return Node("neg", None, (self.unary(),))
        return self.primary()

    def primary(self) -> Node:
        k, v, p = self.take()
        if k == "num":
            return Node("num", v)
        if k == "str":
            return Node("str", v)
        if k == "name":
            return Node("col", v)
        if k == "kw" and v in ("TRUE", "FALSE"):
            return Node("bool", v == "TRUE")
        if k == "kw" and v == "NULL":
            return Node("null")
        if k == "op" and v == "(":
            node = self.or_()
            self.expect("op", ")")
            return node
        if k == "kw" and v == "CASE":
            parts: list[Node] = []
            while self.at("kw", "WHEN"):
                self.take()
                cond = self.or_()
                self.expect("kw", "THEN")
                parts += [cond, self.or_()]
            if not parts:
                raise LanguageError(f"CASE needs at least one WHEN at position {p + 1}")
            otherwise = Node("null")
            if self.at("kw", "ELSE"):
                self.take()
                otherwise = self.or_()
            self.expect("kw", "END")
            return Node("case", None, (*parts, otherwise))
        if k == "kw" and v in WINDOWS:
            self.expect("op", "(")
            _, col, _ = self.expect("name")
            self.expect("op", ",")
            nk, n, npos = self.take()
            if nk == "num" and (n != int(n) or n < 1):
                raise LanguageError(f"{v} needs a whole number of years at position {npos + 1}")
            if nk not in ("num", "name"):
                raise LanguageError(f"{v} needs a number of years or a parameter at position {npos + 1}")
            self.expect("op", ")")
            years = Node("num", int(n)) if nk == "num" else Node("col", n)
            return Node("window", WINDOWS[v], (Node("col", col), years))
        if k == "kw" and v in ROW_FUNCTIONS | AGGREGATES:
            self.expect("op", "(")
            args: list[Node] = []
            if v == "COUNT" and self.at("op", "*"):
                self.take()
            elif not self.at("op", ")"):
                args.append(self.or_())
                while self.at("op", ","):
                    self.take()
                    args.append(self.or_())
            self.expect("op", ")")
            if v in ("ABS", "SUM", "AVG", "MIN", "MAX") and len(args) != 1:
                raise LanguageError(f"{v} takes one argument (position {p + 1})")
            if v in ("COALESCE", "LEAST", "GREATEST") and not args:
                raise LanguageError(f"{v} needs arguments (position {p + 1})")
            return Node("call", v, tuple(args))
        found = "the end" if k == "end" else repr(v)
        raise LanguageError(
            f"unexpected {found} at position {p + 1} (functions: {', '.join(sorted(ROW_FUNCTIONS | AGGREGATES))})"
        )


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    if not isinstance(text, str) or not text.strip():
        raise LanguageError("the expression is empty")
    return _Parser(text).parse()


def names(node: Node, *, window_columns: bool = False) -> list[str]:
    """Column names read, in first-seen order.

    A window reads its indicator and its years; with ``window_columns`` it is named by the
    column that holds its sum instead (what a person is shown: the window's total, not the plan's).
    """
    out: list[str] = []

    def walk(n: Node) -> None:
        if n.kind == "col":
            out.append(n.value)
        if n.kind == "window" and window_columns:
            out.append(_window(n).column)
            if n.args[1].kind == "col":
                out.append(n.args[1].value)
            return
        for a in n.args:
            walk(a)

    walk(node)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Window:
    """``SUM_FIRST_YEARS(indicator, years)`` or ``SUM_LAST_YEARS(…)``: ``years`` is a number or a parameter."""

    end: str  # "first" or "last"
    indicator: str
    years: int | str

    @property
    def column(self) -> str:
        return window_column(self.end, self.indicator, self.years)


def window_column(end: str, indicator: str, years: int | str) -> str:
    """The frame column holding a window's sum, e.g. ``sum_first_3__counted_investment``."""
    return f"sum_{end}_{years}__{indicator}"


def _window(node: Node) -> Window:
    col, years = node.args
    return Window(node.value, col.value, years.value)


def windows(node: Node) -> list[Window]:
    """The windows an expression reads, in first-seen order."""
    out: list[Window] = []

    def walk(n: Node) -> None:
        if n.kind == "window":
            out.append(_window(n))
        for a in n.args:
            walk(a)

    walk(node)
    return list(dict.fromkeys(out))


def _tolerance(a: Any, b: Any) -> Any:
    return RELATIVE_TOLERANCE * max(abs(a), abs(b), 1.0)


def uses_aggregates(node: Node) -> bool:
    return (node.kind == "call" and node.value in AGGREGATES) or any(uses_aggregates(a) for a in node.args)


# ---------------------------------------------------------------- Polars back end
_CMP = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _is_text(node: Node) -> bool:
    return node.kind in ("str", "bool")


def _polars_compare(op: str, a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """Ordering comparisons with the line's tolerance (ADR 0010); ``=`` and ``!=`` exact."""
    if op in ("=", "!="):
        return _CMP[op](a, b)
    tol = RELATIVE_TOLERANCE * pl.max_horizontal(a.cast(pl.Float64).abs(), b.cast(pl.Float64).abs(), pl.lit(1.0))
    if op == ">=":
        return a >= b - tol
    if op == "<=":
        return a <= b + tol
    if op == ">":
        return a > b + tol
    return a < b - tol


def _row_compare(op: str, a: Any, b: Any) -> bool:
    if op in ("=", "!=") or isinstance(a, str | bool) or isinstance(b, str | bool):
        return bool(_CMP[op](a, b))
    tol = _tolerance(float(a), float(b))
    if op == ">=":
        return bool(a >= b - tol)
    if op == "<=":
        return bool(a <= b + tol)
    if op == ">":
        return bool(a > b + tol)
    return bool(a < b - tol)


def to_polars(node: Node) -> pl.Expr:
    k = node.kind
    if k == "num":
        return pl.lit(float(node.value), dtype=pl.Float64)
    if k == "str":
        return pl.lit(node.value, dtype=pl.String)
    if k == "bool":
        return pl.lit(node.value, dtype=pl.Boolean)
    if k == "null":
        return pl.lit(None)
    if k == "col":
        return pl.col(node.value)
    if k == "window":
        return pl.col(_window(node).column)
    args = [to_polars(a) for a in node.args]
    if k == "neg":
        return -args[0]
    if k == "not":
        return ~args[0].cast(pl.Boolean)
    if k == "isnull":
        return args[0].is_null()
    if k == "in":
        return args[0].is_in(list(node.value))
    if k == "between":
        return _polars_compare(">=", args[0], args[1]) & _polars_compare("<=", args[0], args[2])
    if k == "case":
        *pairs, otherwise = args
        chain: Any = pl.when(pairs[0].cast(pl.Boolean)).then(pairs[1])
        for i in range(2, len(pairs), 2):
            chain = chain.when(pairs[i].cast(pl.Boolean)).then(pairs[i + 1])
        return chain.otherwise(otherwise)
    if k == "bin":
        a, b = args
        op = node.value
        if op == "AND":
            return a.cast(pl.Boolean) & b.cast(pl.Boolean)
        if op == "OR":
            return a.cast(pl.Boolean) | b.cast(pl.Boolean)
        if op in _CMP:
            if _is_text(node.args[0]) or _is_text(node.args[1]):
                return _CMP[op](a, b)
            return _polars_compare(op, a, b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return pl.when(b == 0).then(None).otherwise(a.cast(pl.Float64) / b)
    if k == "call":
        fn = node.value
        if fn == "COALESCE":
            return pl.coalesce(args)
        if fn == "ABS":
            return args[0].abs()
        if fn == "LEAST":
            return pl.min_horizontal(args)
        if fn == "GREATEST":
            return pl.max_horizontal(args)
        if fn == "SUM":  # SQL: the sum of no values is unknown, not 0
            return pl.when(args[0].count() > 0).then(args[0].sum())
        if fn == "COUNT":
            return args[0].count() if args else pl.len()
        if fn == "AVG":
            return args[0].mean()
        if fn == "MIN":
            return args[0].min()
        if fn == "MAX":
            return args[0].max()
    raise LanguageError(f"cannot compile node {node.kind} {node.value!r}")  # pragma: no cover


# ---------------------------------------------------------------- row back end (reference)
def evaluate_row(node: Node, row: dict[str, Any]) -> Any:
    """Evaluate for one row of plain values, with the same semantics as ``to_polars``."""
    k = node.kind
    if k in ("num", "str", "bool"):
        return node.value
    if k == "null":
        return None
    if k == "col":
        return row.get(node.value)
    if k == "window":
        return row.get(_window(node).column)
    if k == "case":
        *pairs, otherwise = node.args
        for i in range(0, len(pairs), 2):
            if evaluate_row(pairs[i], row) is True:
                return evaluate_row(pairs[i + 1], row)
        return evaluate_row(otherwise, row)
    if k == "bin" and node.value in ("AND", "OR"):
        a = evaluate_row(node.args[0], row)
        b = evaluate_row(node.args[1], row)
        if node.value == "AND":
            if a is False or b is False:
                return False
            return None if a is None or b is None else True
        if a is True or b is True:
            return True
        return None if a is None or b is None else False
    if k == "call" and node.value in ("COALESCE", "LEAST", "GREATEST"):
        vals = [evaluate_row(a, row) for a in node.args]
        present = [v for v in vals if v is not None]
        if node.value == "COALESCE":
            return present[0] if present else None
        if not present:
            return None
        return min(present) if node.value == "LEAST" else max(present)
    if k == "isnull":
        return evaluate_row(node.args[0], row) is None
    vals = [evaluate_row(a, row) for a in node.args]
    if any(v is None for v in vals):
        return None
    if k == "neg":
        return -vals[0]
    if k == "not":
        return not vals[0]
    if k == "in":
        return vals[0] in node.value
    if k == "between":
        return _row_compare(">=", vals[0], vals[1]) and _row_compare("<=", vals[0], vals[2])
    if k == "bin":
        a, b = vals
        op = node.value
        if op in _CMP:
            return _row_compare(op, a, b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return None if b == 0 else a / b
    if k == "call" and node.value == "ABS":
        return abs(vals[0])
    raise LanguageError(f"{node.value} cannot be evaluated for one row")
