from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from portal.bilingual import bi_lazy, bi_text
from portal.widgets import DatePicker
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
    class_shares = forms.CharField(
        label=bi_lazy("本县分类比例(可选)", "This county's class shares (optional)"), required=False, max_length=60,
        help_text=bi_lazy("按 A、B、C、D 顺序填写百分比，如 20,60,15,5；留空按评价办法的默认比例",
                          "per cents for A, B, C, D in order, e.g. 20,60,15,5; blank keeps the method's default"))
    shares_reason = forms.CharField(label=bi_lazy("调整理由", "Why these shares"), required=False, max_length=500)

    def __init__(self, *args: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["county"]).queryset = counties


class NoticeForm(forms.Form):
    opens_on = forms.DateField(label=bi_lazy("公示开始", "Notice opens on"), initial=dt.date.today,
                               widget=DatePicker())
    closes_on = forms.DateField(label=bi_lazy("公示截止", "Notice closes on"),
                                widget=DatePicker())


class ObjectionForm(forms.Form):
    name = forms.CharField(label=bi_lazy("姓名或单位", "Name or organisation"), max_length=100)
    contact = forms.CharField(label=bi_lazy("联系方式", "Contact"), max_length=200)
    grounds = forms.CharField(label=bi_lazy("异议理由", "Grounds"), widget=forms.Textarea)


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(label=bi_lazy("处理结果", "Outcome"), coerce=lambda v: v == "yes",
                                    choices=[("no", bi_lazy("异议不成立", "Rejected")), ("yes", bi_lazy("异议成立", "Upheld"))])
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea)


def _date(label_zh: str, label_en: str, **kw: Any) -> forms.DateField:
    return forms.DateField(label=bi_lazy(label_zh, label_en), widget=DatePicker(), **kw)


class PoolEntryForm(forms.Form):
    """001 §三(四)2: a firm enters the zone's high-tech cultivation pool."""

    credit_code = forms.CharField(label=bi_lazy("统一社会信用代码", "Credit code"), max_length=18)
    name = forms.CharField(label=bi_lazy("企业名称", "Enterprise"), max_length=200)
    entered_on = _date("入库日期", "Entered on", initial=dt.date.today)


class PoolExitForm(forms.Form):
    entry: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=bi_lazy("出库企业", "Firm leaving"))
    exited_on = _date("出库日期", "Left on", initial=dt.date.today)
    reason = forms.CharField(label=bi_lazy("出库原因(如：已认定为高新技术企业)", "Why (e.g. certified high-tech)"),
                             max_length=200)

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["entry"]).queryset = entries


class RewardForm(forms.Form):
    """001 §三(四)2: a reward paid to one firm, checked against the per-firm floor when recorded."""

    credit_code = forms.CharField(label=bi_lazy("统一社会信用代码", "Credit code"), max_length=18)
    name = forms.CharField(label=bi_lazy("企业名称", "Enterprise"), max_length=200)
    kind = forms.ChoiceField(label=bi_lazy("类型", "Kind"),
                             choices=[("first", bi_lazy("首次认定", "First certification")),
                                      ("renewal", bi_lazy("重新认定", "Renewal"))])
    certificate_number = forms.CharField(label=bi_lazy("高新技术企业证书编号", "Certificate number"), max_length=40)
    certified_on = _date("认定日期", "Certified on")
    amount_wan = forms.DecimalField(label=bi_lazy("奖励金额(万元)", "Amount (10k yuan)"), max_digits=12, decimal_places=2)
