"""Every date field is a browser date picker that shows its date: the picker takes only ISO dates,
while Django's zh-Hans default writes 2026/12/04, which the browser drops (the field shows blank)."""

from __future__ import annotations

import datetime
import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from portal.widgets import DatePicker

WEB = Path(__file__).resolve().parents[2] / "web"


def date_fields() -> list[tuple[str, str, forms.DateField]]:
    found = []
    for path in sorted(WEB.glob("*/forms.py")):
        module = importlib.import_module(f"{path.parent.name}.forms")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.DateField):
                        found.append((f"{module.__name__}.{name}", field_name, field))
    return found


def test_the_forms_have_date_fields_to_check():
    assert len(date_fields()) >= 10


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_field_renders_its_date_in_the_iso_form_the_browser_date_picker_accepts(language):
    day = datetime.date(2026, 12, 4)
    with translation.override(language):
        for where, name, field in date_fields():
            assert isinstance(field.widget, DatePicker), f"{where}.{name} uses {type(field.widget).__name__}"
            html = field.widget.render(name, day)
            assert 'type="date"' in html and 'value="2026-12-04"' in html, (where, name, html)


def test_a_date_picker_value_posted_back_parses_in_chinese():
    with translation.override("zh-hans"):
        assert forms.DateField(widget=DatePicker()).clean("2026-12-04") == datetime.date(2026, 12, 4)


def test_no_form_builds_its_own_date_input():
    offenders = [str(p.relative_to(WEB)) for p in WEB.rglob("*.py")
                 if "DateInput(" in p.read_text(encoding="utf-8") and p.name != "widgets.py"]
    assert not offenders, f"use portal.widgets.DatePicker in {offenders}"
