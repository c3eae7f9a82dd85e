"""Which regions a user may pick in filters and forms."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Region
from .scope import scope_q


def visible_regions(user: Any) -> QuerySet[Region]:
    """Regions inside the user's scope (all of them for a nationwide auditor)."""
    return Region.objects.filter(scope_q(user, "code"))
