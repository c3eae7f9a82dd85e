"""django-axes' check, for sign-ins that come with a request.

Every sign-in over HTTP (the login page, the admin's) passes its request to ``authenticate``, and
django-axes counts and locks those. ``authenticate`` without a request — the test client's
``login()``, a shell — is not reachable from outside, and django-axes would refuse it outright,
so it is let through to Django's own backend unchecked.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class RequestAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> AbstractBaseUser | None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
