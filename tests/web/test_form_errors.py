"""Django's own form errors read in both languages, Chinese first (issue 16): the Chinese is Django's
zh_Hans translation, the English its message, on every form without the form saying anything."""

from __future__ import annotations

from django import forms
from django.utils import translation

from audit.forms import AuditFilterForm
from towns.forms import TownCreateForm


class Everything(forms.Form):
    name = forms.CharField(max_length=4)
    count = forms.IntegerField(min_value=1)
    amount = forms.DecimalField(max_digits=4, decimal_places=1)
    kind = forms.ChoiceField(choices=[("a", "甲 A")])
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False)


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def halves(message: str) -> tuple[str, str]:
    first, second = message.split(" / ")
    return first, second


def errors_of(form: forms.Form) -> dict[str, str]:
    form.is_valid()
    return {name: " ".join(errors) for name, errors in form.errors.items()}


def test_required_invalid_number_choice_length_email_and_date_errors_are_chinese_then_english():
    with translation.override("zh-hans"):
        errors = errors_of(Everything({"name": "太长的名字", "count": "x", "amount": "12345", "kind": "z",
                                       "email": "not-an-email", "day": "2026-13-40"}))
        required = errors_of(Everything({}))
    zh, en = halves(errors["name"])
    assert chinese(zh) and "4" in zh and "5" in zh  # Django's translation, its numbers filled in
    assert en == "Ensure this value has at most 4 characters (it has 5)."
    assert chinese(halves(errors["count"])[0]) and halves(errors["count"])[1] == "Enter a whole number."
    assert "Ensure that there are no more than 4 digits in total." in errors["amount"]
    assert errors["amount"].index("4") < errors["amount"].index(" / ")  # the Chinese, with its number, first
    assert "/ Select a valid choice. z is not one of the available choices." in errors["kind"]
    assert chinese(halves(errors["email"])[0]) and halves(errors["email"])[1] == "Enter a valid email address."
    assert errors["day"].endswith("/ Enter a valid date.")
    assert chinese(halves(required["name"])[0]) and halves(required["name"])[1] == "This field is required."


def test_english_first_puts_the_english_first():
    with translation.override("en"):
        errors = errors_of(Everything({}))
    first, second = halves(errors["count"])
    assert first == "This field is required." and chinese(second)


def test_the_platforms_own_forms_get_the_same_errors(db, province_officer):
    with translation.override("zh-hans"):
        town = errors_of(TownCreateForm({"name_zh": "", "region": "999999"}, user=province_officer))
        audit = errors_of(AuditFilterForm({"verb": "no_such_verb", "date_from": "yesterday"}))
    assert chinese(halves(town["name_zh"])[0]) and halves(town["name_zh"])[1] == "This field is required."
    assert town["region"].endswith("/ Select a valid choice. That choice is not one of the available choices.")
    assert audit["verb"].endswith("/ Select a valid choice. no_such_verb is not one of the available choices.")
    assert audit["date_from"].endswith("/ Enter a valid date.")
