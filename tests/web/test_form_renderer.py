"""The fast form renderer writes exactly the markup Django's templates write, and hands on the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.form_renderer import FAST, FastTemplates


class EveryWidget(forms.Form):
    name = forms.CharField(label="名称 <b>", max_length=20, help_text="帮助")
    count = forms.IntegerField(label="数量", required=False, widget=forms.NumberInput(attrs={"min": 0, "step": "1"}))
    email = forms.EmailField(label="邮箱", required=False)
    secret = forms.CharField(label="密码", widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    agree = forms.BooleanField(label="同意", required=False)
    colour = forms.ChoiceField(label="颜色", choices=[("", "全部"), ("r", "红 & 赤"), ("g", "绿")], required=False)
    grouped = forms.ChoiceField(label="分组", required=False, choices=[
        ("甲组", [("1", "一"), ("2", "二 <二>")]), ("3", "三")])
    many = forms.MultipleChoiceField(label="多选", required=False, choices=[("a", "A"), ("b", "B")])
    note = forms.CharField(label="备注", widget=forms.Textarea, required=False)
    pick = forms.ChoiceField(label="单选", widget=forms.RadioSelect, choices=[("x", "X"), ("y", "Y")], required=False)


def both_ways(form_class, data=None, **kwargs) -> tuple[str, str]:
    fast = form_class(data, renderer=FastTemplates(), **kwargs)
    django = form_class(data, renderer=DjangoTemplates(), **kwargs)
    render = lambda f: "\n".join(f"{b.label_tag()}|{b}" for b in f)  # noqa: E731
    return render(fast), render(django)


def test_every_widget_and_label_is_written_exactly_as_djangos_templates_write_it():
    fast, django = both_ways(EveryWidget)
    assert fast == django
    assert '<select name="grouped" id="id_grouped">' in fast and '<optgroup label="甲组">' in fast


def test_a_bound_form_with_errors_keeps_its_values_and_aria_attributes():
    data = {"name": 'x" onmouseover="alert(1)', "count": "-", "secret": "s", "agree": "on",
            "colour": "r", "grouped": "2", "many": ["a", "b"], "on": "2026-12-01", "note": "<script>"}
    fast, django = both_ways(EveryWidget, data)
    assert fast == django
    assert 'aria-invalid="true"' in fast and "&quot; onmouseover=&quot;" in fast
    assert '<option value="2" selected>二 &lt;二&gt;</option>' in fast


def test_a_whole_form_layout_still_goes_through_djangos_templates():
    form = EveryWidget(renderer=FastTemplates())
    assert "django/forms/div.html" not in FAST
    assert str(form) == str(EveryWidget(renderer=DjangoTemplates()))
    assert '<div class="helptext" id="id_name_helptext">帮助</div>' in str(form)


def test_the_site_uses_the_fast_renderer(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), FastTemplates)
    finally:
        get_default_renderer.cache_clear()


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=15)


@settings(max_examples=80, deadline=None)
@given(value=texts, label=texts, attr=st.one_of(texts, st.booleans(), st.integers()), safe=st.booleans())
def test_any_value_label_or_attribute_is_escaped_as_django_escapes_it(value, label, attr, safe):
    shown = mark_safe(label) if safe else label

    class One(forms.Form):
        field = forms.CharField(label=shown, widget=forms.TextInput(attrs={"data-x": attr}))
        choice = forms.ChoiceField(label=shown, choices=[(value, shown), ("k", "K")])

    fast, django = both_ways(One, {"field": value, "choice": value})
    assert fast == django


@pytest.mark.parametrize("when", [dt.date(2026, 12, 1), None])
def test_an_initial_date_is_shown_the_same_way(when):
    class Dated(forms.Form):
        on = forms.DateField(initial=when, widget=forms.DateInput(attrs={"type": "date"}), required=False)

    fast, django = both_ways(Dated)
    assert fast == django and 'type="date"' in fast


def test_a_required_select_marks_the_choice_and_an_invalid_one_on_the_widget():
    class RegionForm(forms.Form):
        region = forms.ChoiceField(label="地区", choices=[("", "全部"), ("1", "南宁 <市>"), ("2", "柳州")])

    chosen = str(RegionForm({"region": "2"}, renderer=FastTemplates())["region"])
    assert '<option value="2" selected>柳州</option>' in chosen and '<option value="1">南宁 &lt;市&gt;</option>' in chosen
    assert " required" in chosen and 'required="True"' not in chosen
    invalid = RegionForm({"region": "9"}, renderer=FastTemplates())
    assert not invalid.is_valid()
    assert 'aria-invalid="true"' in str(invalid["region"]) and "selected" not in str(invalid["region"])
