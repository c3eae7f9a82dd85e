"""Forms of the review and acceptance pages: parse and validate input; the actions do the rest."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet

from accounts.models import Role, User
from portal.bilingual import bi_lazy, bi_text
from portal.forms_util import model_choice_field
from portal.widgets import DatePicker
from programmes.models import Programme
from programmes.permissions import visible_programmes
from regions.models import Region
from regions.permissions import visible_regions
from towns.models import ExpertAssignment
from xiaozhen.scoring import DivergenceRule, validate_sheet

from .models import Panel, PanelMember
from .selectors import rubric_lines


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Programme) -> str:
        return bi_text(obj.short_name_zh, obj.short_name_en)


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.username})"


def experts() -> QuerySet[User]:
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("username")


class PanelCreateForm(forms.Form):
    programme = ProgrammeChoiceField(label=bi_lazy("项目", "Programme"), queryset=Programme.objects.none())
    town = forms.CharField(label=bi_lazy("小镇编号", "Town code"), max_length=32)
    purpose = forms.ChoiceField(label=bi_lazy("任务", "Purpose"), choices=ExpertAssignment.Purpose.choices)
    subject_ref = forms.CharField(
        label=bi_lazy("评审对象", "Subject"), max_length=64,
        help_text=bi_lazy("类型:编号，如 application:12、acceptance:3", "kind:id, e.g. application:12, acceptance:3"),
    )
    title = forms.CharField(label=bi_lazy("标题", "Title"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "programme").queryset = visible_programmes(user)


class AddMemberForm(forms.Form):
    expert = ExpertChoiceField(label=bi_lazy("专家", "Expert"), queryset=User.objects.none())

    def __init__(self, *args, panel: Panel, **kwargs):
        kwargs["prefix"] = "add"
        super().__init__(*args, **kwargs)
        taken = panel.members.filter(Q(active=True) | Q(conflict=PanelMember.Conflict.CONFLICTED))
        model_choice_field(self, "expert").queryset = experts().exclude(pk__in=taken.values("expert_id"))


class ReplaceMemberForm(forms.Form):
    expert = ExpertChoiceField(label=bi_lazy("替换为", "Replace with"), queryset=User.objects.none())
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), max_length=500)

    def __init__(self, *args, member: PanelMember, **kwargs):
        kwargs["prefix"] = f"m{member.pk}"
        super().__init__(*args, **kwargs)
        panel = member.panel
        model_choice_field(self, "expert").queryset = experts().exclude(pk__in=panel.members.values("expert_id"))
        self.initial.setdefault("reason", bi_text("声明利益冲突，回避", "declared a conflict of interest"))


class DeclareForm(forms.Form):
    conflicted = forms.TypedChoiceField(
        label=bi_lazy("与该小镇或申报单位有无利益冲突？", "Do you have a conflict of interest with this town?"),
        choices=[("no", bi_lazy("无利益冲突", "No conflict")), ("yes", bi_lazy("有利益冲突，申请回避", "I have a conflict and stand down"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
    )
    note = forms.CharField(label=bi_lazy("说明(有冲突时必填)", "Note (required when there is a conflict)"),
                           required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    """One score and one comment per rubric item; the core's rules checked field by field."""

    overall_comment = forms.CharField(label=bi_lazy("总体意见", "Overall comment"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        self.rubric = rubric_lines(panel)
        self.rule = DivergenceRule.from_dict(panel.rule)
        fields: dict[str, forms.Field] = {}
        for line in self.rubric:
            floor = self.rule.comment_below * line.max_score
            fields[f"score_{line.id}"] = forms.FloatField(
                label=f"{bi_text(line.label_zh, line.label_en)} ({bi_text('满分', 'max')} {line.max_score:g})",
                min_value=0, max_value=line.max_score,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )
            fields[f"comment_{line.id}"] = forms.CharField(
                label=bi_text(f"{line.label_zh}意见", f"{line.label_en} comment"), required=False, max_length=1000,
                help_text=bi_text(f"低于 {floor:g} 分须写明理由", f"required below {floor:g}"),
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        self.fields = {**fields, **self.fields}

    def item_rows(self):
        return [(line, self[f"score_{line.id}"], self[f"comment_{line.id}"]) for line in self.rubric]

    def clean(self):
        data = super().clean() or {}
        scores = {line.id: data.get(f"score_{line.id}") for line in self.rubric
                  if f"score_{line.id}" not in self.errors}
        comments = {line.id: data.get(f"comment_{line.id}", "") for line in self.rubric}
        for problem in validate_sheet([line for line in self.rubric if line.id in scores], scores, comments, self.rule):
            target = f"comment_{problem.item}" if "comment" in problem.en else f"score_{problem.item}"
            self.add_error(target, bi_text(problem.zh, problem.en))
        return data

    def action_input(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {line.id: data[f"score_{line.id}"] for line in self.rubric},
            "comments": {line.id: data.get(f"comment_{line.id}", "") for line in self.rubric},
            "overall_comment": data.get("overall_comment", ""),
        }


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=bi_lazy("评审结论", "Decision"), choices=Panel.Outcome.choices,
                                widget=forms.RadioSelect)
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ApplyAcceptanceForm(forms.Form):
    summary = forms.CharField(
        label=bi_lazy("总结材料", "Summary of the work"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=bi_lazy("建设期完成情况：投资、产业、功能、机制等", "what the period achieved: investment, industry, functions, mechanisms"),
    )
    material_ref = forms.CharField(label=bi_lazy("材料编号或链接", "Material reference or link"), required=False,
                                   max_length=300)


def _date_field() -> forms.DateField:
    return forms.DateField(label=bi_lazy("生效日期", "Effective on"), initial=dt.date.today, required=False,
                           help_text=bi_lazy("空则为今天", "blank: today"),
                           widget=DatePicker())


class AcceptanceStepForm(forms.Form):
    outcome = forms.ChoiceField(label=bi_lazy("结论", "Outcome"), choices=Panel.Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, naming: bool, **kwargs):
        kwargs["prefix"] = "step"
        super().__init__(*args, **kwargs)
        if naming:
            self.fields["decision_ref"] = forms.CharField(
                label=bi_lazy("命名决定文号", "Naming decision reference"), max_length=128, required=False,
                help_text=bi_lazy("通过时必填，如 桂科〔2026〕12号", "required for a pass, e.g. the notice number"),
            )
            self.fields["effective_on"] = _date_field()


class ExtendForm(forms.Form):
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    decision_ref = forms.CharField(label=bi_lazy("决定文号", "Decision reference"), max_length=128)
    effective_on = _date_field()

    def __init__(self, *args, **kwargs):
        kwargs["prefix"] = "extend"
        super().__init__(*args, **kwargs)


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{bi_text(obj.name_zh, obj.name_en)} ({obj.code})"


class DelegationForm(forms.Form):
    programme = ProgrammeChoiceField(label=bi_lazy("项目", "Programme"), queryset=Programme.objects.none())
    region = RegionChoiceField(label=bi_lazy("委托给(设区市或县区)", "Delegate to (city or county)"),
                               queryset=Region.objects.none())
    town = forms.CharField(label=bi_lazy("仅限小镇(编号，可空)", "Only this town (code, optional)"), required=False,
                           max_length=32)
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), required=False, max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "programme").queryset = visible_programmes(user)
        model_choice_field(self, "region").queryset = visible_regions(user).exclude(level=Region.Level.PROVINCE)
