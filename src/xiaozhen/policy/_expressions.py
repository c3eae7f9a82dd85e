"""Compile criteria text once; see ``_language`` for the grammar and its semantics."""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from ._language import LanguageError, names, parse, to_polars

ExpressionError = LanguageError


@lru_cache(maxsize=4096)
def compile_expression(text: str) -> pl.Expr:
    return to_polars(parse(text))


def referenced_names(text: str) -> list[str]:
    """The column names an expression reads, in first-seen order."""
    return names(parse(text))
