"""Forms of the towns pages: parse and validate input; the actions do the rest."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from portal.bilingual import bi_lazy, bi_text
from portal.forms_util import choice_field, model_choice_field
from portal.widgets import DatePicker
from programmes.models import deferred_document
from programmes.permissions import visible_programmes
from regions.models import Region
from regions.permissions import visible_regions

from .models import Enrolment, Town
from .workflow import allowed_transitions


def region_label(code: str, name_zh: str, name_en: str, level: str) -> str:
    """A region as an option: indented by level, both names, its code."""
    indent = {"province": "", "city": "· ", "county": "· · "}.get(level, "")
    return f"{indent}{bi_text(name_zh, name_en)} ({code})"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return region_label(obj.code, obj.name_zh, obj.name_en, obj.level)


class TownFilterForm(forms.Form):
    """The town list's filters. Its selects are filled from plain rows, not model objects: the
    region select alone holds every region of a province (about 130) and is on every list page
    (benchmarks/bench_web.py). Values are primary keys, so filtered links stay as they were."""

    q = forms.CharField(label=bi_lazy("名称或编号", "Name or code"), required=False)
    programme = forms.TypedChoiceField(label=bi_lazy("项目", "Programme"), required=False, coerce=int,
                                       empty_value=None)
    tier = forms.ChoiceField(label=bi_lazy("层级", "Tier"), required=False)
    region = forms.TypedChoiceField(label=bi_lazy("地区", "Region"), required=False, coerce=int,
                                    empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = list(visible_programmes(user).select_related("current_version")
                          .defer(*deferred_document("current_version")))
        choice_field(self, "programme").choices = [("", bi_text("全部项目", "All programmes"))] + [
            (p.pk, bi_text(p.short_name_zh, p.short_name_en)) for p in programmes]
        chosen = self.data.get("programme")
        tiers: dict[str, str] = {}
        for programme in programmes:
            if chosen and str(programme.pk) != str(chosen):
                continue
            for tier in programme.policy.lifecycle.tiers:
                tiers.setdefault(tier.id, bi_text(tier.label.zh, tier.label.en))
        choice_field(self, "tier").choices = [("", bi_text("全部层级", "All tiers")), *tiers.items()]
        regions = visible_regions(user).values_list("pk", "code", "name_zh", "name_en", "level")
        self._region_prefix: dict[int, str] = {}
        region_choices: list[tuple[int | str, str]] = [("", bi_text("全部地区", "All regions"))]
        for pk, code, name_zh, name_en, level in regions:
            self._region_prefix[pk] = Region.prefix_of(code, level)
            region_choices.append((pk, region_label(code, name_zh, name_en, level)))
        choice_field(self, "region").choices = region_choices

    def filter(self, towns: QuerySet[Town]) -> QuerySet[Town]:
        if not self.is_valid():
            return towns
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            towns = towns.filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(code__startswith=q))
        if data["region"]:
            towns = towns.filter(region__code__startswith=self._region_prefix[data["region"]])
        if data["programme"] or data["tier"]:
            # Exists, not a join: a town in two programmes must not appear twice.
            enrolled = Enrolment.objects.filter(town=OuterRef("pk"), ended_on__isnull=True)
            if data["programme"]:
                enrolled = enrolled.filter(programme=data["programme"])
            if data["tier"]:
                enrolled = enrolled.filter(tier=data["tier"])
            towns = towns.filter(Exists(enrolled))
        return towns


class TownCreateForm(forms.Form):
    region = RegionChoiceField(label=bi_lazy("所在县(区)", "County"), queryset=Region.objects.none())
    name_zh = forms.CharField(label=bi_lazy("中文名称", "Chinese name"), max_length=100)
    name_en = forms.CharField(label=bi_lazy("英文名称", "English name"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=bi_lazy("产业类别", "Category"), required=False,
        help_text=bi_lazy("您可见项目的政策文件所列类别", "the categories of the programmes you can see"),
    )
    sub_sector = forms.CharField(label=bi_lazy("细分产业", "Sub-sector"), max_length=64, required=False)
    contact_name = forms.CharField(label=bi_lazy("联系人", "Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(label=bi_lazy("联系电话", "Contact phone"), max_length=32, required=False)
    contact_email = forms.EmailField(label=bi_lazy("电子邮箱", "Contact e-mail"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "region").queryset = visible_regions(user).exclude(level=Region.Level.PROVINCE)
        categories: dict[str, str] = {}
        for programme in visible_programmes(user).filter(current_version__isnull=False).order_by("policy_id"):
            for category in programme.policy.categories:
                categories.setdefault(category.id, bi_text(category.label.zh, category.label.en))
        choice_field(self, "category").choices = [("", "—"), *categories.items()]


class ChangeTierForm(forms.Form):
    to_tier = forms.ChoiceField(label=bi_lazy("调整为", "Move to"))
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    decision_ref = forms.CharField(
        label=bi_lazy("决定文号", "Decision reference"), max_length=128,
        help_text=bi_lazy("如 通特办〔2020〕3号", "e.g. the number of the district's notice"),
    )
    effective_on = forms.DateField(
        label=bi_lazy("生效日期", "Effective on"), initial=dt.date.today,
        widget=DatePicker(),
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        kwargs["prefix"] = f"e{enrolment.pk}"
        super().__init__(*args, **kwargs)
        policy = enrolment.programme.policy
        choices: dict[str, str] = {}
        for tr in allowed_transitions(policy, enrolment.tier):
            if tr.to:
                label = policy.tier(tr.to).label
                choices.setdefault(tr.to, f"{bi_text(label.zh, label.en)} — {tr.clause}")
        choice_field(self, "to_tier").choices = list(choices.items())


class ExtensionApprovalForm(forms.Form):
    """A dated approval of this town's extension (002 §三(四) 经批准可适当延长)."""

    approved_on = forms.DateField(label=bi_lazy("批准日期", "Approved on"), widget=DatePicker())
    approved_until = forms.DateField(label=bi_lazy("延期至", "Extended until"), widget=DatePicker(),
                                     help_text=bi_lazy("年度考核按此日期判断延期是否到期，不再用默认年限",
                                                       "the assessment reads this date instead of the default length"))
    decision_ref = forms.CharField(label=bi_lazy("批准文号", "Approval reference"), max_length=128)
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        kwargs["prefix"] = f"a{enrolment.pk}"
        super().__init__(*args, **kwargs)
