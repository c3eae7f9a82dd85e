"""Password sign-in, with the signed-in user loaded for a request in one query.

Django's ``ModelBackend`` loads the user on every request and leaves their region and town to be
fetched the first time a page asks (every page of an official asks for the region: it is their
scope; every page of a town body asks for the town). ``PasswordBackend`` loads all three together.
It is Django's backend otherwise: the same password check, the same refusal of inactive users.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


def load_user(user_id: Any) -> User | None:
    """The user with this primary key, their region and their town (with its region) in one query."""
    try:
        return User.objects.select_related("region", "town__region").get(pk=user_id)
    except User.DoesNotExist:
        return None


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
