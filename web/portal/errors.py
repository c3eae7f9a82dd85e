"""The two kinds of refusal every action may raise.

* ``NotAllowed`` — the user may not do this. A subclass of PermissionDenied, so any view
  that lets it propagate answers with the bilingual 403 page.
* ``ActionError`` — the request is not valid (a bad tier, a code with a wrong check
  character …). ``field`` names the form field or input column at fault, when there is one;
  ``details`` lists every problem found (each already bilingual), so a user can fix them
  all at once. Views show ``str(error)`` next to that field.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .bilingual import bi_text


class NotAllowed(PermissionDenied):
    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(bi_text(zh, en))

    def __str__(self) -> str:
        return bi_text(self.zh, self.en)


class ActionError(ValueError):
    def __init__(self, zh: str, en: str, *, field: str | None = None, details: list[str] | None = None):
        self.zh, self.en, self.field = zh, en, field
        self.details = list(details or [])
        super().__init__(str(self))

    def __str__(self) -> str:
        head = bi_text(self.zh, self.en)
        return f"{head}: " + "; ".join(self.details) if self.details else head

