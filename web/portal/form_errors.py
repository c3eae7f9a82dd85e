"""Django's own form and field errors in both languages: 这个字段是必填项。 / This field is required.

Django writes its validation messages in English and translates them through its bundled catalog
(docs/adr/0002): a form error was therefore Chinese only, while everything else on the page is Chinese
with English beside it. ``install()`` (called once, from ``PortalConfig.ready``) rewrites the default
messages of every form field class and of Django's validators as bilingual lazy strings: the Chinese is
Django's own zh_Hans translation, the English its message id, the active language first (``bi_text``).
A form that sets its own ``error_messages`` keeps them; a plural message (at most N characters) keeps
its plural in both languages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import validators
from django.utils import translation
from django.utils.functional import Promise, lazy

from .bilingual import bi_text


def _pair(msgid: str) -> str:
    with translation.override("zh-hans"):
        zh = translation.gettext(msgid)
    return bi_text(zh, msgid)


_bilingual = lazy(_pair, str)


class BilingualPlural(Promise):
    """An ``ngettext_lazy`` message in both languages; ``message % params`` picks the plural form."""

    def __init__(self, singular: str, plural: str, number: str) -> None:
        self.singular, self.plural, self.number = singular, plural, number

    def __mod__(self, params: Any) -> str:
        n = params[self.number] if isinstance(params, dict) else params
        with translation.override("zh-hans"):
            zh = translation.ngettext(self.singular, self.plural, n) % params
        en = (self.singular if n == 1 else self.plural) % params
        return bi_text(zh, en)

    def __str__(self) -> str:
        return bi_text(translation.ngettext(self.singular, self.plural, 2), self.plural)


#: The parameter that picks the plural of each validator's counted message.
_PLURAL_NUMBER = {"limit_value": ("MaxLengthValidator", "MinLengthValidator"), "max": ("DecimalValidator", "FileField")}


def _convert(message: Any, owner: str) -> Any:
    kw = getattr(message, "_kw", None) or {}
    if "singular" in kw and "plural" in kw:
        number = next((key for key, owners in _PLURAL_NUMBER.items() if owner in owners), "limit_value")
        return BilingualPlural(kw["singular"], kw["plural"], number)
    args = getattr(message, "_args", None)
    if isinstance(message, Promise) and args and isinstance(args[0], str) and len(args) == 1:
        return _bilingual(args[0])
    return message


def _field_classes() -> list[type[forms.Field]]:
    out: list[type[forms.Field]] = []
    todo: list[type[forms.Field]] = [forms.Field]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out


_INSTALLED = False


def install() -> None:
    """Make every form field's and validator's default message bilingual (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    for cls in _field_classes():
        own = cls.__dict__.get("default_error_messages")
        if own:
            cls.default_error_messages = {code: _convert(m, cls.__name__) for code, m in own.items()}
    for name in dir(validators):
        cls = getattr(validators, name)
        if not isinstance(cls, type):
            continue
        if "message" in cls.__dict__:
            setattr(cls, "message", _convert(cls.__dict__["message"], cls.__name__))  # noqa: B010
        if isinstance(cls.__dict__.get("messages"), dict):
            setattr(cls, "messages",  # noqa: B010
                    {code: _convert(m, cls.__name__) for code, m in cls.__dict__["messages"].items()})
