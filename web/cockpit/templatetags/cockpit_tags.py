"""Cockpit numbers as an official reads them."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter(name="num")
def num(value: Any) -> str:
    """12345.678 → 12,345.68; 3.0 → 3; None → —."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text or "0"


@register.filter(name="percent")
def percent(share: Any) -> str:
    return "—" if share is None else f"{float(share) * 100:.1f}%"


@register.filter(name="bar")
def bar(share: Any) -> int:
    """A share as a bar width (0–100)."""
    return 0 if share is None else max(0, min(100, round(float(share) * 100)))


@register.filter(name="comparison")
def comparison(op: str) -> str:
    return {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(op, op)
