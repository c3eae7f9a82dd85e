from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter(name="stars")
def stars(value) -> str:
    """★★★☆☆ for 3, with the number for screen readers; — when there is none."""
    if not value:
        return "—"
    n = int(value)
    return format_html('<span class="stars" title="{n} 星 / {n} stars" aria-label="{n} 星 / {n} stars">{s}</span>',
                       n=n, s="★" * n + "☆" * (5 - n))
