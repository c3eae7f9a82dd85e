from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from portal.bilingual import bi_lazy
from portal.widgets import DatePicker

from .models import AuditEntry
from .verbs import VERBS


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(label=bi_lazy("操作", "Verb"), required=False,
                             choices=[("", "—"), *((verb, f"{zh} / {en}") for verb, (zh, en) in VERBS.items())])
    actor = forms.CharField(label=bi_lazy("用户名", "Username"), required=False)
    object_type = forms.CharField(label=bi_lazy("对象类型", "Object type"), required=False)
    object_id = forms.CharField(label=bi_lazy("对象编号", "Object id"), required=False)
    region = forms.CharField(
        label=bi_lazy("区划代码前缀", "Region code prefix"), required=False, max_length=6,
        help_text=bi_lazy("如 4501 为南宁市", "e.g. 4501 for Nanning"),
    )
    date_from = forms.DateField(label=bi_lazy("起始日期", "From"), required=False,
                                widget=DatePicker())
    date_to = forms.DateField(label=bi_lazy("截止日期", "To"), required=False,
                              widget=DatePicker())

    def clean_region(self) -> str:
        value = self.cleaned_data["region"].strip()
        if value and not value.isdigit():
            raise forms.ValidationError(bi_lazy("区划代码只含数字", "a region code has digits only"))
        return value

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if not self.is_valid():
            return entries
        d = self.cleaned_data
        if d["verb"]:
            entries = entries.filter(verb=d["verb"].strip())
        if d["actor"]:
            entries = entries.filter(actor_username=d["actor"].strip())
        if d["object_type"]:
            entries = entries.filter(object_type=d["object_type"].strip())
        if d["object_id"]:
            entries = entries.filter(object_id=d["object_id"].strip())
        if d["region"]:
            entries = entries.filter(region__code__startswith=d["region"])
        if d["date_from"]:
            entries = entries.filter(at__date__gte=d["date_from"])
        if d["date_to"]:
            entries = entries.filter(at__date__lte=d["date_to"])
        return entries
