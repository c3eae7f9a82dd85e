"""Criteria are written as SQL expressions and compiled by Polars.

Polars parses the text into an expression tree that only reads columns, so a
policy file can compare, add and branch but never run code. Python ``eval`` is
never used.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl


class ExpressionError(ValueError):
    """An expression that does not parse, or names something unknown."""


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> pl.Expr:
    try:
        return pl.sql_expr(text)
    except Exception as exc:  # polars raises several error types for bad SQL
        raise ExpressionError(f"cannot parse expression {text!r}: {exc}") from None


def referenced_names(text: str) -> list[str]:
    """The column names an expression reads, in first-seen order."""
    names = compile_expression(text).meta.root_names()
    return list(dict.fromkeys(names))
