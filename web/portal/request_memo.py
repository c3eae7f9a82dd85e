"""What one request reads several times, read once: a memo that lives exactly as long as the request.

A page's dashboard panels and permission rules each ask for, say, the programmes in force; with
``memo("programmes", load)`` the first asks the database and the rest reuse the answer. Outside a
request (a management command, a task, a test calling a selector) nothing is kept: ``load`` runs each
time. Any state change clears the memo (``audit.record`` calls ``clear()``), so a page drawn after an
action reads what the action wrote. Nothing outlives the request, so no worker ever serves another's
stale answer.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_STORE: ContextVar[dict[str, Any] | None] = ContextVar("xiaozhen_request_memo", default=None)


def memo(key: str, load: Callable[[], T]) -> T:
    """``load()``, once per request under ``key``."""
    store = _STORE.get()
    if store is None:
        return load()
    if key not in store:
        store[key] = load()
    return store[key]


def clear() -> None:
    """Forget what this request has read (after a state change)."""
    store = _STORE.get()
    if store is not None:
        store.clear()


class RequestMemoMiddleware:
    """Give each request an empty memo, and drop it when the response is made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _STORE.set({})
        try:
            return self.get_response(request)
        finally:
            _STORE.reset(token)
