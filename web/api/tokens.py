"""Token secrets: how they are made, hashed and recognised.

A secret is ``xz_`` + 43 URL-safe characters (256 random bits). Only its SHA-256 is stored:
with that much entropy a slow hash adds nothing, and a hash lookup is one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "xz_"
SHOWN_PREFIX_LENGTH = 10


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def shown_prefix(secret: str) -> str:
    return secret[:SHOWN_PREFIX_LENGTH]
