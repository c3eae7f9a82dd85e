"""Small helpers shared by views that handle forms."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .bilingual import bi_text
from .errors import ActionError

T = TypeVar("T")

#: The (zh, en) success message, or a function of the action's result giving it.
Success = tuple[str, str] | Callable[[Any], tuple[str, str]]


def add_action_error(form: forms.Form, error: ActionError) -> None:
    """Show an action's refusal next to the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


@dataclass(frozen=True)
class ActionDone(Generic[T]):
    """What ``run_action`` returns when the action ran: always truthy, whatever ``result`` is."""

    result: T


def run_action(request: HttpRequest, form: forms.Form | None, action: Callable[[dict[str, Any]], T], *,
               success: Success | None, also_valid: Iterable[Any] = (),
               on_error: Callable[[ActionError], None] | None = None) -> ActionDone[T] | None:
    """On a POST whose form is valid, run ``action(form.cleaned_data)`` and queue the bilingual
    ``success`` message (a (zh, en) pair, or a function of the result giving one; None queues
    nothing). Returns an ``ActionDone`` carrying the action's result, or None when the request
    is not a POST, the form is invalid (the action is never called) or the action raised
    ActionError (then shown next to the field it names, or above the form).

    ``form=None`` is a button with no fields: the action gets ``{}`` and a refusal is queued as
    an error message (the page redirects). ``also_valid`` are further forms or formsets that
    must be valid too. ``on_error`` replaces the way a refusal is shown (e.g. a report's
    problems placed next to each of its fields)."""
    if request.method != "POST":
        return None
    checks = [f.is_valid() for f in ([form] if form is not None else []) + list(also_valid)]
    if not all(checks):
        return None
    try:
        result = action(form.cleaned_data if form is not None else {})
    except ActionError as exc:
        if on_error is not None:
            on_error(exc)
        elif form is not None:
            add_action_error(form, exc)
        else:
            messages.error(request, str(exc))
        return None
    if success is not None:
        zh, en = success(result) if callable(success) else success
        messages.success(request, bi_text(zh, en))
    return ActionDone(result)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """``form.fields[name]`` as the choice field it is, to set its choices per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), f"{name} is not a choice field"
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """``form.fields[name]`` as the model choice field it is, to narrow its queryset per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), f"{name} is not a model choice field"
    return field
