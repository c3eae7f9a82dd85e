"""A password hasher for accounts whose password is published, such as the demo's.

`make demo` prints every demo login (``demo-`` + username) on the screen. Hashing those with
Django's default PBKDF2 (a million iterations, about a quarter of a second each) made more than
half of ``load_demo``'s time for over a hundred accounts while protecting nothing. This hasher is
PBKDF2 with a thousand iterations under its own algorithm name, listed after the default in
``PASSWORD_HASHERS``: Django still accepts it, and re-hashes the password with the default
hasher at the account's first sign-in. ``accounts.actions.create_user(check_password=False)``
(demo and benchmark accounts only) is the one place that writes it.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class PublishedPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_published"
    iterations = 1_000
