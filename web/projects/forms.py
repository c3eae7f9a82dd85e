"""Forms of the projects pages: parse and validate input; the actions do the rest."""

from __future__ import annotations

import datetime as dt

from django import forms

from portal.bilingual import bi_lazy, bi_text
from portal.forms_util import choice_field, model_choice_field
from portal.widgets import DatePicker
from regions.models import Region

from .actions import FUNDS_INDICATORS
from .models import Contract, FundingEntry, Party
from .selectors import default_matching_ratio, local_party_choices
from .texts import LOCAL_DUTIES, PROVINCE_DUTIES, TOWN_DUTIES

DATE = DatePicker()


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{bi_text(obj.name_zh, obj.name_en)} ({obj.code})"


class DraftContractForm(forms.Form):
    number = forms.CharField(label=bi_lazy("合同编号", "Contract number"), max_length=64, required=False,
                             help_text=bi_lazy("空则自动编号(年份-小镇编号)", "blank: year and town code"))
    local_party_region = RegionField(label=bi_lazy("市(县)签约方", "City/county party"), queryset=Region.objects.none())
    term_start = forms.DateField(label=bi_lazy("实施期起始日", "Term starts"), widget=DATE)
    provincial_amount = forms.DecimalField(label=bi_lazy("省拨经费(万元)", "Provincial funds (10k yuan)"),
                                           max_digits=12, decimal_places=2, min_value=0)
    city_amount = forms.DecimalField(label=bi_lazy("市配套承诺(万元)", "City matching committed (10k yuan)"),
                                     max_digits=12, decimal_places=2, min_value=0, required=False)
    county_amount = forms.DecimalField(label=bi_lazy("县(区)配套承诺(万元)", "County matching committed (10k yuan)"),
                                       max_digits=12, decimal_places=2, min_value=0, required=False)
    town_amount = forms.DecimalField(label=bi_lazy("镇自筹承诺(万元)", "Town self-raised committed (10k yuan)"),
                                     max_digits=12, decimal_places=2, min_value=0, required=False)
    matching_ratio = forms.DecimalField(
        label=bi_lazy("地方配套比例下限(倍)", "Minimum local matching ratio"), max_digits=6, decimal_places=2,
        min_value=0, required=False, help_text=bi_lazy("空则用政策文件的参数(004 §三6)",
                                                       "blank: the programme's parameter (004 §三6)"))
    province_duties = forms.CharField(label=bi_lazy("省科技厅的权利义务", "Province: rights and duties"),
                                      widget=forms.Textarea(attrs={"rows": 4}), initial=PROVINCE_DUTIES)
    local_duties = forms.CharField(label=bi_lazy("市(县)科技主管部门的权利义务", "City/county: rights and duties"),
                                   widget=forms.Textarea(attrs={"rows": 4}), initial=LOCAL_DUTIES)
    town_duties = forms.CharField(label=bi_lazy("镇政府的权利义务", "Town: rights and duties"),
                                  widget=forms.Textarea(attrs={"rows": 4}), initial=TOWN_DUTIES)

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        policy = enrolment.programme.policy
        choices = local_party_choices(enrolment.town)
        model_choice_field(self, "local_party_region").queryset = Region.objects.filter(pk__in=[r.pk for r in choices])
        if choices:
            self.fields["local_party_region"].initial = choices[0].pk
        ratio = default_matching_ratio(enrolment.programme, dt.date.today())
        if ratio is not None:
            self.fields["matching_ratio"].initial = ratio
        self.target_indicators = [i for i in policy.indicators if i.kind == "reported" and i.type != "text"]
        for ind in self.target_indicators:
            name = f"target__{ind.id}"
            label = bi_text(ind.label.zh, ind.label.en) + (f" ({ind.unit})" if ind.unit else "")
            if ind.type == "boolean":
                self.fields[name] = forms.BooleanField(label=label, required=False,
                                                       help_text=bi_lazy("勾选即承诺达到“是”", "tick to commit to yes"))
            else:
                self.fields[name] = forms.FloatField(label=label, required=False, min_value=0)

    def target_fields(self):
        return [self[f"target__{i.id}"] for i in self.target_indicators]

    def main_fields(self):
        return [f for f in self if not f.name.startswith("target__")]

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        targets = {}
        for ind in self.target_indicators:
            value = data.pop(f"target__{ind.id}")
            if ind.type == "boolean":
                if value:
                    targets[ind.id] = 1.0
            elif value is not None:
                targets[ind.id] = value
        return {**data, "targets": targets}


class SignForm(forms.Form):
    party = forms.ChoiceField(label=bi_lazy("签约方", "Party"), choices=Party.choices)
    signed_on = forms.DateField(label=bi_lazy("签署日期", "Signed on"), widget=DATE, initial=dt.date.today)

    def __init__(self, *args, parties: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if parties is not None:
            choice_field(self, "party").choices = [(p, Party(p).label) for p in parties]


class DateForm(forms.Form):
    on = forms.DateField(label=bi_lazy("日期", "Date"), widget=DATE, initial=dt.date.today)


class EndContractForm(forms.Form):
    outcome = forms.ChoiceField(label=bi_lazy("结束方式", "How it ends"), choices=[
        (Contract.State.COMPLETED, Contract.State.COMPLETED.label),
        (Contract.State.TERMINATED, Contract.State.TERMINATED.label)])
    on = forms.DateField(label=bi_lazy("日期", "Date"), widget=DATE, initial=dt.date.today)
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FundingForm(forms.Form):
    kind = forms.ChoiceField(label=bi_lazy("类型", "Kind"), choices=FundingEntry.Kind.choices)
    source = forms.ChoiceField(label=bi_lazy("资金来源", "Source"), choices=FundingEntry.Source.choices)
    amount = forms.DecimalField(label=bi_lazy("金额(万元)", "Amount (10k yuan)"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=bi_lazy("日期", "Date"), widget=DATE, initial=dt.date.today)
    document_ref = forms.CharField(label=bi_lazy("文件或凭证号", "Document reference"), max_length=128)
    note = forms.CharField(label=bi_lazy("摘要", "Note"), max_length=200, required=False)

    def __init__(self, *args, sources: list[str], may_spend: bool, on: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if on is not None:  # a day within the contract's term (projects.actions.default_ledger_date)
            self.fields["on"].initial = on
        kinds = ([FundingEntry.Kind.ALLOCATION] if sources else []) + ([FundingEntry.Kind.DISBURSEMENT] if may_spend else [])
        choice_field(self, "kind").choices = [(k, FundingEntry.Kind(k).label) for k in kinds]
        shown = FundingEntry.Source.values if may_spend else sources
        choice_field(self, "source").choices = [(s, FundingEntry.Source(s).label) for s in shown]


class ReverseFundingForm(forms.Form):
    reason = forms.CharField(label=bi_lazy("冲销理由", "Why it is reversed"), max_length=150)
    document_ref = forms.CharField(label=bi_lazy("更正文件或凭证号", "Correcting document reference"), max_length=128)


class MilestoneForm(forms.Form):
    year_no = forms.IntegerField(label=bi_lazy("项目年度", "Project year"), min_value=1, max_value=10)
    title = forms.CharField(label=bi_lazy("里程碑", "Milestone"), max_length=200)
    planned_by = forms.DateField(label=bi_lazy("计划完成日期", "Planned by"), widget=DATE)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=bi_lazy("完成日期", "Done on"), widget=DATE, initial=dt.date.today)
    note = forms.CharField(label=bi_lazy("完成情况", "What was done"), max_length=300, required=False)


class ProgressReportForm(forms.Form):
    year = forms.IntegerField(label=bi_lazy("年度", "Year"))
    summary = forms.CharField(label=bi_lazy("年度进展", "Progress this year"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        policy = contract.programme.policy
        self.target_indicators = []
        for target in contract.targets.all():
            try:
                ind = policy.indicator(target.indicator_id)
            except KeyError:
                continue
            if ind.id in FUNDS_INDICATORS:  # the funding ledger writes these
                continue
            self.target_indicators.append(ind)
            label = bi_text(ind.label.zh, ind.label.en) + (f" ({ind.unit})" if ind.unit else "")
            if ind.type == "boolean":
                self.fields[f"value__{ind.id}"] = forms.TypedChoiceField(
                    label=label, required=False, choices=[("", "—"), ("1", bi_text("是", "yes")), ("0", bi_text("否", "no"))],
                    coerce=lambda v: v == "1", empty_value=None)
            else:
                self.fields[f"value__{ind.id}"] = forms.FloatField(label=label, required=False, min_value=0)

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        values = {ind.id: data.pop(f"value__{ind.id}") for ind in self.target_indicators}
        return {**data, "values": {k: v for k, v in values.items() if v is not None}}


class AcceptanceApplicationForm(forms.Form):
    on = forms.DateField(label=bi_lazy("申请日期", "Applied on"), widget=DATE, initial=dt.date.today)
    summary = forms.CharField(label=bi_lazy("申请说明", "Summary"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)
