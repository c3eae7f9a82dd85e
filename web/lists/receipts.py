"""The receipt an objector gets (异议受理回执): a number to quote, and a private link to the receipt.

The link carries a signed token of the objection's id, so only the objector (who was sent to it
after submitting) can open it; the number alone reveals nothing."""

from __future__ import annotations

from django.core import signing

from .models import Objection

RECEIPT_SALT = "lists.objection-receipt"


def objection_number(objection: Objection) -> str:
    return f"异议〔{objection.submitted_at.year}〕{objection.pk:05d}号"


def objection_token(objection: Objection) -> str:
    return signing.dumps(objection.pk, salt=RECEIPT_SALT)


def objection_from_token(token: str) -> int | None:
    """The objection id a token was made for, or None when it was not made here."""
    try:
        return int(signing.loads(token, salt=RECEIPT_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
