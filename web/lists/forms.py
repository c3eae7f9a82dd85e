"""Forms of the lists pages: parse and validate input; the actions do the rest."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from portal.bilingual import bi_lazy, bi_text
from portal.forms_util import choice_field
from portal.widgets import DatePicker
from towns.models import Town

from .models import ListEntry


class NewListForm(forms.Form):
    """A new draft: which programme's tier (one choice, ``<programme id>:<tier>``), year, title."""

    kind = forms.ChoiceField(label=bi_lazy("项目与名单层级", "Programme and tier"))
    year = forms.IntegerField(label=bi_lazy("年度", "Year"), min_value=1990, max_value=2100)
    title_zh = forms.CharField(label=bi_lazy("中文标题", "Chinese title"), max_length=200)
    title_en = forms.CharField(label=bi_lazy("英文标题", "English title"), max_length=200, required=False)
    document_number = forms.CharField(label=bi_lazy("文号", "Document number"), max_length=128, required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.programmes = {p.pk: p for p in programmes}
        choices = []
        for programme in programmes:
            for tier in programme.policy.lifecycle.tiers:
                if not tier.terminal:
                    label = f"{bi_text(programme.short_name_zh, programme.short_name_en)} · {bi_text(tier.label.zh, tier.label.en)}"
                    choices.append((f"{programme.pk}:{tier.id}", label))
        choice_field(self, "kind").choices = choices
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean() or {}
        kind = data.get("kind")
        if kind:
            pk, tier = kind.split(":", 1)
            data["programme"], data["tier"] = self.programmes[int(pk)], tier
        return data

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("programme", "tier", "year", "title_zh", "title_en", "document_number")}


class AddEntryForm(forms.Form):
    town_code = forms.CharField(label=bi_lazy("小镇编号", "Town code"), max_length=32,
                                help_text=bi_lazy("须已列入本项目", "the town must be enrolled in this programme"))
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), required=False)

    def clean_town_code(self) -> Town:
        code = self.cleaned_data["town_code"].strip()
        town = Town.objects.select_related("region").filter(code=code).first()
        if town is None:
            raise forms.ValidationError(bi_text(f"没有编号为 {code} 的小镇", f"no town has the code {code}"))
        return town


class NoticeForm(forms.Form):
    notice_opens_on = forms.DateField(label=bi_lazy("公示开始日期", "Notice opens on"),
                                      widget=DatePicker())
    notice_closes_on = forms.DateField(label=bi_lazy("公示截止日期", "Notice closes on"),
                                       widget=DatePicker())
    document_number = forms.CharField(label=bi_lazy("文号", "Document number"), max_length=128, required=False)

    def __init__(self, *args, publication=None, **kwargs):
        today = timezone.localdate()
        initial = {"notice_opens_on": today, "notice_closes_on": today + dt.timedelta(days=7),
                   "document_number": publication.document_number if publication else ""}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideObjectionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=bi_lazy("处理结果", "Outcome"), widget=forms.RadioSelect,
        choices=[("upheld", bi_lazy("异议成立：移出正式名单", "Upheld: the town leaves the final list")),
                 ("dismissed", bi_lazy("异议不成立", "Dismissed"))],
    )
    reason = forms.CharField(label=bi_lazy("处理理由", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    """The public's objection. ``website`` is a honeypot: people never see it, scripts fill it."""

    entry = forms.TypedChoiceField(label=bi_lazy("异议对象(名单中的小镇)", "Town objected to"), coerce=int)
    name = forms.CharField(label=bi_lazy("姓名或单位", "Name or organisation"), max_length=100)
    contact = forms.CharField(label=bi_lazy("联系方式(电话或邮箱)", "Contact (phone or e-mail)"), max_length=200)
    grounds = forms.CharField(label=bi_lazy("异议理由及事实依据", "Grounds and facts"),
                              widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    website = forms.CharField(label=bi_lazy("请勿填写此项", "Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, entries: list[ListEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = {e.pk: e for e in entries}
        choice_field(self, "entry").choices = [("", "—")] + [
            (e.pk, f"{e.position}. {e.town_name_zh}（{e.county_zh}）") for e in entries
        ]

    def clean(self):
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(bi_text("提交未被受理", "the objection was not accepted"))
        return data

    def clean_entry(self) -> ListEntry:
        return self.entries[self.cleaned_data["entry"]]
