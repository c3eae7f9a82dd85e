"""Permission rules: a named predicate and its one refusal message, in one place.

An app's ``permissions.py`` declares each rule once::

    @rule("无权关闭此报送期间", "you may not close this reporting period")
    def can_manage_reporting(user, programme) -> bool:
        ...

The action that the rule guards is the authority: it calls ``can_manage_reporting.require(by,
programme)``, which raises ``NotAllowed`` with the rule's message. A view asks the same rule,
either to decide what to show (``if can_manage_reporting(user, programme)``) or to refuse a
page (``can_manage_reporting.require(user, programme)``), and never restates the rule or its
words. ``docs/inventory.md`` lists every rule (``python -m portal.inventory``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Generic, ParamSpec

from .errors import NotAllowed

__all__ = ["Rule", "rule"]

P = ParamSpec("P")


class Rule(Generic[P]):
    """A permission predicate (call it for a yes or no) with the message its refusal gives."""

    def __init__(self, predicate: Callable[P, bool], zh: str, en: str) -> None:
        self.predicate = predicate
        self.zh, self.en = zh, en
        functools.update_wrapper(self, predicate)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> bool:
        return bool(self.predicate(*args, **kwargs))

    def require(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Raise NotAllowed, with this rule's message, unless the predicate says yes."""
        if not self.predicate(*args, **kwargs):
            raise NotAllowed(self.zh, self.en)

    def __repr__(self) -> str:
        return f"<rule {self.predicate.__module__}.{self.predicate.__qualname__}: {self.en}>"


def rule(zh: str, en: str) -> Callable[[Callable[P, bool]], Rule[P]]:
    """Declare a permission predicate with its one bilingual refusal message."""

    def decorate(predicate: Callable[P, bool]) -> Rule[P]:
        return Rule(predicate, zh, en)

    return decorate
