"""The request a signed-in page receives: ``request.user`` is a ``User``, never anonymous.

Every page needs sign-in (``LoginRequiredMiddleware``), so a view annotates its request as
``AuthedRequest``; pages marked ``@login_not_required`` take a plain ``HttpRequest``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import User

__all__ = ["AuthedRequest", "TokenRequest"]


class AuthedRequest(HttpRequest):
    user: User


class TokenRequest(AuthedRequest):
    """An API request: ``api.auth.BearerToken`` set ``user`` to the token's user and ``auth`` to the token."""

    auth: Any
