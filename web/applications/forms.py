"""Forms of the applications pages: parse input; the actions check and decide."""

from __future__ import annotations

import datetime as dt

from django import forms

from accounts.models import Organisation
from portal.bilingual import bi_lazy, bi_text
from portal.forms_util import model_choice_field
from portal.widgets import DatePicker
from programmes.models import Programme

from .facts import fact_fields
from .models import Application, DepartmentOpinion, StepDecision
from .permissions import programmes_open_to_calls

YES_NO = [("", bi_lazy("未填", "not answered")), ("是", bi_lazy("是", "yes")), ("否", bi_lazy("否", "no"))]
TYPE_HINTS = {
    "share": ("小数(0.72)或百分数(72%)", "a fraction (0.72) or a percentage (72%)"),
    "count": ("整数", "a whole number"),
    "year": ("年份，如 2024", "a year, e.g. 2024"),
}


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Programme) -> str:
        return bi_text(obj.short_name_zh, obj.short_name_en)


class CallForm(forms.Form):
    programme = ProgrammeChoiceField(label=bi_lazy("项目", "Programme"), queryset=Programme.objects.none())
    title = forms.CharField(label=bi_lazy("通知标题", "Title"), max_length=200)
    note = forms.CharField(label=bi_lazy("说明", "Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label=bi_lazy("开始日期", "Opens on"), widget=DatePicker())
    closes_on = forms.DateField(label=bi_lazy("截止日期", "Closes on"), widget=DatePicker())
    first_plan_year = forms.IntegerField(
        label=bi_lazy("计划第一年", "First plan year"), required=False, min_value=2000, max_value=2100,
        help_text=bi_lazy("三年投资计划的第一年；空则为开始日期所在年", "year 1 of the three-year plans; blank: the opening year"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "programme").queryset = programmes_open_to_calls(user)
        if not self.is_bound:
            self.initial.setdefault("opens_on", dt.date.today())
            self.initial.setdefault("closes_on", dt.date.today() + dt.timedelta(days=30))


class FactsForm(forms.Form):
    """The core facts at application: one field per fact (per plan year for summed ones).
    Every field accepts any text, so a draft can be kept; the engine's reader checks them."""

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        policy = application.programme.policy
        periods = application.call.plan_periods
        self.groups: list[dict] = []
        if policy.categories:
            self.fields["category"] = forms.ChoiceField(
                label=bi_lazy("项目中的类别", "Category in this programme"), required=False,
                choices=[("", bi_text("请选择", "choose"))] + [(c.id, bi_text(c.label.zh, c.label.en))
                                                            for c in policy.categories],
            )
        self.fields["sub_sector"] = forms.CharField(label=bi_lazy("细分产业", "Sub-sector"), required=False,
                                                    max_length=64)
        for f in fact_fields(policy):
            ind = f.indicator
            names = []
            for n, period in enumerate(periods if f.yearly else periods[:1], start=1):
                year = bi_text(f"第{n}年 {period}", f"year {n} {period}") if f.yearly else ""
                label = bi_text(ind.label.zh, ind.label.en) + (f" ({ind.unit})" if ind.unit not in ("是/否",) else "")
                if year:
                    label = f"{label} · {year}"
                hint = TYPE_HINTS.get(ind.type)
                help_text = " · ".join(p for p in [
                    ind.clause or "",
                    bi_text(*hint) if hint else "",
                    bi_text("必填", "required") if f.required else bi_text("选填", "optional"),
                ] if p)
                field: forms.Field
                if ind.type == "boolean":
                    field = forms.ChoiceField(label=label, choices=YES_NO, required=False, help_text=help_text)
                else:
                    attrs = {"inputmode": "decimal"} if ind.type in ("amount", "number", "share") else {}
                    if ind.type in ("count", "year"):
                        attrs = {"inputmode": "numeric"}
                    field = forms.CharField(label=label, required=False, help_text=help_text,
                                            widget=forms.TextInput(attrs=attrs))
                name = f.key(period)
                self.fields[name] = field
                names.append(name)
            self.groups.append({"fact": f, "names": names})

    def fact_groups(self):
        """The fact fields grouped (a yearly fact's three years together), as bound fields."""
        return [{"fact": g["fact"], "fields": [self[n] for n in g["names"]]} for g in self.groups]


class MaterialForm(forms.Form):
    material_id = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=bi_lazy("选择文件", "Choose a file"),
                           help_text=bi_lazy("PDF、DOC/DOCX、XLS/XLSX、JPG/PNG", "PDF, DOC/DOCX, XLS/XLSX, JPG/PNG"))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=bi_lazy("结果", "Outcome"), choices=StepDecision.Outcome.choices,
                                widget=forms.RadioSelect)
    reason = forms.CharField(label=bi_lazy("理由", "Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=bi_lazy("退回或不予通过时必填", "required to return or reject"))

    def __init__(self, *args, application: Application, step, is_last: bool, **kwargs):
        super().__init__(*args, **kwargs)
        policy = application.programme.policy
        if step.action == "expert_review":
            self.fields["reason"].label = bi_lazy("专家组评审结论", "The expert group's conclusion")
            self.fields["reason"].help_text = bi_lazy("必填", "required")
        if step.action == "recommend":
            self.fields["rank"] = forms.IntegerField(
                label=bi_lazy("推荐排序", "Rank"), min_value=1, required=False,
                help_text=bi_lazy("通过时必填：1 为最优(择优推荐)", "required to pass: 1 is the best (择优推荐)"),
            )
        entry = policy.lifecycle.entry_tiers
        if is_last and len(entry) > 1:
            self.fields["tier"] = forms.ChoiceField(
                label=bi_lazy("入选层级", "Entry tier"), required=False,
                choices=[(t, bi_text(policy.tier(t).label.zh, policy.tier(t).label.en)) for t in entry],
            )


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return bi_text(obj.name_zh, obj.name_en) if obj.name_en else obj.name_zh


class NamedDepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return bi_text(obj.name_zh, obj.name_en) if obj.name_en else obj.name_zh


class DepartmentsForm(forms.Form):
    """The joint-meeting office names the departments of a joint review (003 §四(二))."""

    departments = DepartmentChoiceField(
        label=bi_lazy("参加联审的部门", "Departments to give an opinion"), required=False,
        queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple,
    )
    new_names = forms.CharField(
        label=bi_lazy("其他部门(尚未登记)", "Other departments (not yet registered)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=bi_lazy("每行一个部门全称，如：区生态环境局", "one department's full name a line, e.g. 区生态环境局"),
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "departments").queryset = departments

    def clean_new_names(self) -> list[str]:
        text = self.cleaned_data.get("new_names") or ""
        return [n.strip() for n in text.replace("、", "\n").replace("，", "\n").splitlines() if n.strip()]


class OpinionForm(forms.Form):
    """A named department's opinion, recorded by the office on the department's behalf (003 §四(二))."""

    department = NamedDepartmentField(label=bi_lazy("部门", "Department"), queryset=Organisation.objects.none())
    opinion = forms.ChoiceField(label=bi_lazy("意见", "Opinion"), choices=DepartmentOpinion.Opinion.choices,
                                widget=forms.RadioSelect)
    text = forms.CharField(label=bi_lazy("书面意见", "Written opinion"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=bi_lazy("照录部门书面意见；有条件同意须写明条件",
                                             "as the department wrote it; a conditional agreement states its conditions"))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "department").queryset = departments
