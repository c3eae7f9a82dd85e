"""Widgets every form shares.

``DatePicker`` is the one date input: the browser's ``<input type="date">`` accepts only an ISO value
(``2026-12-04``), while Django's localised default for zh-Hans is ``2026/12/04``, which the browser
drops, so a form shown again after an error, or with a date filled in, would show the date blank."""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"


class DatePicker(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
