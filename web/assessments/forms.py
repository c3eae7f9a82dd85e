"""Forms of the assessment pages: parse and validate input; the actions do the rest."""

from __future__ import annotations

import datetime as dt

from django import forms

from portal.bilingual import bi_lazy, bi_text
from portal.forms_util import choice_field
from portal.widgets import DatePicker
from towns.workflow import allowed_transitions
from xiaozhen.engine import grade_values, risk_values

from .models import Proposal


class StartRunForm(forms.Form):
    year = forms.IntegerField(label=bi_lazy("考核年度", "Year assessed"), min_value=1990, max_value=2100)
    document_number = forms.CharField(
        label=bi_lazy("考核结果文号", "Document number"), max_length=128,
        help_text=bi_lazy("发布后作为每项层级调整的决定文号，如 通特办〔2026〕1号",
                          "the decision reference of every tier change, e.g. the notice's number"),
    )
    effective_on = forms.DateField(
        label=bi_lazy("调整生效日期", "Changes take effect on"), required=False,
        widget=DatePicker(),
        help_text=bi_lazy("空则为次年1月1日", "blank: 1 January of the next year"),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        last = dt.date.today().year - 1
        self.fields["year"].initial = last
        self.fields["document_number"].initial = f"{programme.short_name_zh}考核〔{last + 1}〕1号"


FILTERS = [
    ("", ("全部", "All")),
    ("changes", ("调整层级", "Tier changes")),
    ("negative", ("降格、退出、终止、淘汰、取消", "Down or out")),
    ("demote", ("降格", "Demote")),
    ("exit", ("退出", "Exit")),
    ("promote", ("升格", "Promote")),
    ("extend", ("延期", "Extend")),
    ("terminate", ("终止创建", "Terminate")),
    ("eliminate", ("淘汰", "Eliminate")),
    ("name", ("命名", "Name")),
    ("cancel", ("取消资格", "Cancel")),
    ("star_rate", ("星级评定", "Star rating")),
    ("recommend", ("推荐(不改层级)", "Recommendation (no tier change)")),
    ("stay", ("保持", "Stay")),
    ("excellent", ("年度优秀", "Excellent")),
    ("risk", ("需风险评估", "Risk review due")),
    ("overridden", ("已改定", "Overridden")),
]


class FilterForm(forms.Form):
    action = forms.ChoiceField(label=bi_lazy("按决定筛选", "Filter by action"), required=False,
                               choices=[(k, bi_text(*v)) for k, v in FILTERS])


def _tier_text(policy, tier: str) -> str:
    try:
        label = policy.tier(tier).label
    except KeyError:
        return tier
    return bi_text(label.zh, label.en)


class OverrideForm(forms.Form):
    next_tier = forms.ChoiceField(label=bi_lazy("决定层级", "Decided tier"))
    grade = forms.ChoiceField(label=bi_lazy("等次", "Grade"), required=False)
    star_rating = forms.TypedChoiceField(
        label=bi_lazy("星级", "Stars"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *[(str(n), "★" * n) for n in range(1, 6)]],
    )
    reason = forms.CharField(label=bi_lazy("改定理由(必填)", "Reason (required)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, proposal: Proposal, policy, **kwargs):
        kwargs["prefix"] = f"p{proposal.pk}"
        super().__init__(*args, **kwargs)
        choices = [(proposal.tier, f"{bi_text('不调整', 'no change')}: {_tier_text(policy, proposal.tier)}")]
        for tr in allowed_transitions(policy, proposal.tier):
            if tr.to and all(tr.to != c[0] for c in choices):
                choices.append((tr.to, f"{_tier_text(policy, tr.to)} — {tr.clause}"))
        choice_field(self, "next_tier").choices = choices
        self.fields["next_tier"].initial = proposal.next_tier
        grades = grade_values(policy)
        if grades:
            choice_field(self, "grade").choices = [("", "—"), *[(g, g) for g in grades]]
            self.fields["grade"].initial = proposal.grade
        else:
            del self.fields["grade"]
        if not (proposal.proposed_star_rating or proposal.star_rating or proposal.tier == "named"):
            del self.fields["star_rating"]
        else:
            self.fields["star_rating"].initial = proposal.star_rating


class ExcellentForm(forms.Form):
    excellent = forms.BooleanField(label=bi_lazy("评为年度优秀", "Annual excellent"), required=False)
    reason = forms.CharField(label=bi_lazy("理由(与建议不同时必填)", "Reason (required when differing)"),
                             required=False, max_length=500)

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs["prefix"] = f"x{proposal.pk}"
        super().__init__(*args, **kwargs)
        self.fields["excellent"].initial = proposal.excellent


class RiskReviewForm(forms.Form):
    risk_grade = forms.ChoiceField(label=bi_lazy("风险等级", "Risk grade"))
    reason = forms.CharField(label=bi_lazy("评估意见(必填)", "Findings (required)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, proposal: Proposal, policy, **kwargs):
        kwargs["prefix"] = f"r{proposal.pk}"
        super().__init__(*args, **kwargs)
        choice_field(self, "risk_grade").choices = [(g, g) for g in risk_values(policy)]
        self.fields["risk_grade"].initial = proposal.risk_grade


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FraudFindingForm(forms.Form):
    found_on = forms.DateField(label=bi_lazy("查实日期", "Found on"), widget=DatePicker())
    source = forms.CharField(label=bi_lazy("线索来源", "Source"), max_length=200,
                             help_text=bi_lazy("如 群众举报、审计、现场核查", "e.g. a public report, an audit, a field check"))
    description = forms.CharField(label=bi_lazy("查实情况", "What was found"), widget=forms.Textarea(attrs={"rows": 4}))
    decision_ref = forms.CharField(label=bi_lazy("处理决定文号", "Decision reference"), max_length=128)
    documents = MultipleFileField(label=bi_lazy("证据材料(可多选)", "Evidence documents (several allowed)"),
                                  required=False)


REFORM_HELP = bi_lazy(
    "YAML：name 名称；parameters 参数的新取值(自某日起)；criteria 把准则改为 must 或 should。见下方参数和准则。",
    "YAML: name; parameters with new values from a date; criteria switched to must or should. See the lists below.",
)


def reform_template(policy) -> str:
    """A reform to start from: the first parameter at its current value, the other lines as comments."""
    param = policy.parameters[0] if policy.parameters else None
    lines = ["name: {zh: 改革方案名称, en: Name of the reform}"]
    if param is not None:
        last = param.values[-1]
        lines += ["parameters:", f"  {param.id}: [{{from: {last.from_.isoformat()}, value: {last.value}}}]"]
    annual = policy.criteria_for("annual")
    if annual:
        lines += ["# criteria:", f"#   {annual[0].id}: should"]
    return "\n".join(lines) + "\n"


class WhatIfForm(forms.Form):
    reform = forms.CharField(label=bi_lazy("改革方案", "Reform"), help_text=REFORM_HELP,
                             widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "code"}))
    reason = forms.CharField(label=bi_lazy("测算原因", "Why"), max_length=500,
                             help_text=bi_lazy("记入审计记录", "kept in the audit trail"),
                             widget=forms.Textarea(attrs={"rows": 2}))
