"""Read settings from the environment and fail loudly on a bad value.

Every reader raises ImproperlyConfigured naming the variable and what it expected,
so a typo in a deployment is an error at start-up, never a silently ignored setting.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is set but empty; unset it or give a value")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
    if number <= 0:
        raise ImproperlyConfigured(f"{name}={value!r} must be greater than 0")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",")]
    if not all(items):
        raise ImproperlyConfigured(f"{name}={value!r} has an empty item; separate values with commas")
    return items


def env_database(name: str, default: str) -> dict[str, Any]:
    import dj_database_url

    url = env_str(name, default)
    assert url is not None
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a database URL we can use: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise ImproperlyConfigured(
            f"{name} names {engine or 'no engine'}; xiaozhen runs on SQLite and PostgreSQL only"
        )
    if engine == "django.db.backends.postgresql" and env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Server-side binding, and from a query's fifth run on a connection a prepared statement: PostgreSQL
        # then plans each of a page's queries once per connection, not once per request (planning a dashboard's
        # five-join queries took ten times as long as running them). docs/deploy.md; off behind a pooler in
        # transaction mode (DATABASE_PREPARED_STATEMENTS=false).
        config.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return dict(config)
