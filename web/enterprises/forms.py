from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from portal.bilingual import bi_lazy, bi_text
from regions.models import Region
from xiaozhen.enterprises import methods_dir


def method_choices() -> list[tuple[str, str]]:
    return [(p.stem, p.stem) for p in sorted(methods_dir().glob("*.yaml"))]


class ImportForm(forms.Form):
    county = forms.ModelChoiceField(queryset=Region.objects.none(), label=bi_lazy("县(区)", "County"))
    # An empty file is refused below, naming it (Django's own message names no file and has no English).
    file = forms.FileField(label=bi_lazy("企业数据文件(CSV/XLSX/Parquet)", "Enterprise figures (CSV, XLSX or Parquet)"),
                           allow_empty_file=True)

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["county"]).queryset = counties

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(bi_text(f"文件 {upload.name} 是空的", f"file {upload.name} is empty"))
        return upload


class RunForm(forms.Form):
    county = forms.ModelChoiceField(queryset=Region.objects.none(), label=bi_lazy("县(区)", "County"))
    year = forms.IntegerField(label=bi_lazy("评价年度", "Year"), min_value=2000, max_value=2100)
    method_id = forms.ChoiceField(label=bi_lazy("评价办法", "Method"), choices=method_choices)

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["county"]).queryset = counties


class NoticeForm(forms.Form):
    opens_on = forms.DateField(label=bi_lazy("公示开始", "Notice opens on"), initial=dt.date.today,
                               widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=bi_lazy("公示截止", "Notice closes on"),
                                widget=forms.DateInput(attrs={"type": "date"}))


class ObjectionForm(forms.Form):
    name = forms.CharField(label=bi_lazy("姓名或单位", "Name or organisation"), max_length=100)
    contact = forms.CharField(label=bi_lazy("联系方式", "Contact"), max_length=200)
    grounds = forms.CharField(label=bi_lazy("异议理由", "Grounds"), widget=forms.Textarea)


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(label=bi_lazy("处理结果", "Outcome"), coerce=lambda v: v == "yes",
                                    choices=[("no", bi_lazy("异议不成立", "Rejected")), ("yes", bi_lazy("异议成立", "Upheld"))])
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea)
