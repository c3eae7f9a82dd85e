"""PlainSelect renders the same select as Django's, without a template per option."""

from __future__ import annotations

from django import forms

from portal.widgets import PlainSelect


class RegionForm(forms.Form):
    region = forms.ChoiceField(label="地区", required=True, widget=PlainSelect,
                               choices=[("", "全部"), ("1", "南宁 <市>"), ("2", "柳州")])


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = str(RegionForm({"region": "2"})["region"])
    assert html.startswith("<select") and 'name="region"' in html and 'id="id_region"' in html
    assert '<option value="2" selected>柳州</option>' in html
    assert '<option value="1">南宁 &lt;市&gt;</option>' in html
    assert " required" in html and 'required="True"' not in html


def test_an_invalid_choice_is_announced_on_the_widget():
    form = RegionForm({"region": "9"})
    assert not form.is_valid()
    html = str(form["region"])
    assert 'aria-invalid="true"' in html and "selected" not in html
