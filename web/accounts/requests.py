"""The request a signed-in page receives: ``request.user`` is a ``User``, never anonymous.

Every page needs sign-in (``LoginRequiredMiddleware``), so a view annotates its request as
``AuthedRequest``; pages marked ``@login_not_required`` take a plain ``HttpRequest``.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User

__all__ = ["AuthedRequest"]


class AuthedRequest(HttpRequest):
    user: User
