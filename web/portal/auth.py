"""The one user predicate every floor needs: a signed-in, active person."""

from __future__ import annotations

from typing import Any

__all__ = ["is_active"]


def is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)
