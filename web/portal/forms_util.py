"""Small helpers shared by views that handle forms."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from .errors import ActionError


def add_action_error(form: forms.Form, error: ActionError) -> None:
    """Show an action's refusal next to the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
