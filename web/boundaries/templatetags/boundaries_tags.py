"""Numbers as an official reads them: km² to four places, shares as percentages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter(name="km2")
def km2(area_m2: float | None) -> str:
    """2852616.8 (m²) → 2.8526."""
    return "—" if area_m2 is None else f"{area_m2 / 1e6:,.4f}"


@register.filter(name="pct")
def pct(share: float | None) -> str:
    """0.3332 → 33.32%."""
    return "—" if share is None else f"{share * 100:.2f}%"
