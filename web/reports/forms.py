"""Forms of the reports app. They only carry what was typed: the core checks the values
(``xiaozhen.reports.check_values``), so every field is text and nothing is refused here
that Excel would accept."""

from __future__ import annotations

from typing import Any

from django import forms

from portal.bilingual import bi_lazy, bi_text
from portal.forms_util import choice_field
from xiaozhen.policy import Indicator, Policy
from xiaozhen.reports import (
    PROJECT_TYPES,
    VALUES_SHEET,
    ReportProblem,
    period_meaning,
    reported_indicators,
)
from xiaozhen.safefiles import DEFAULT_LIMITS

LEDGER_EXTRA_ROWS = 3

_HINTS = {
    "boolean": ("填 是 或 否", "write 是 (yes) or 否 (no)"),
    "share": ("小数 0.72 或百分数 72%", "a fraction such as 0.72, or 72%"),
    "count": ("整数", "a whole number"),
    "year": ("年份，如 2024", "a year such as 2024"),
    "text": ("文字", "text"),
}


def _hint(ind: Indicator) -> str:
    zh, en = _HINTS.get(ind.type, ("数字", "a number"))
    when_zh, when_en = period_meaning(ind)
    return bi_text(f"{zh}；{when_zh}（{ind.clause}）", f"{en}; {when_en} ({ind.clause})")


def prefilled(policy: Policy, previous: dict[str, Any]) -> dict[str, Any]:
    """Levels carried over from the previous period, as the template pre-fills them.

    Flows (``aggregate: sum``) and running totals are never pre-filled: last quarter's figure
    is not this quarter's.
    """
    out = {}
    for ind in reported_indicators(policy):
        if ind.id in previous and ind.aggregate != "sum" and not ind.cumulative:
            value = previous[ind.id]
            out[ind.id] = ("是" if value else "否") if isinstance(value, bool) else value
    return out


def _shown(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class ReportValuesForm(forms.Form):
    """One text field per reported indicator of the programme, labelled in both languages."""

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any):
        initial = {k: _shown(v) for k, v in (kwargs.pop("initial", None) or {}).items()}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.policy = policy
        for ind in reported_indicators(policy):
            self.fields[ind.id] = forms.CharField(
                label=bi_text(ind.label.zh, ind.label.en) + (f" ({ind.unit})" if ind.unit else ""),
                required=False, max_length=200, help_text=_hint(ind),
                widget=forms.TextInput(attrs={"inputmode": "decimal" if ind.type not in ("text", "boolean") else "text"}),
            )

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class LedgerRowForm(forms.Form):
    project_name = forms.CharField(label=bi_lazy("项目名称", "Project name"), required=False, max_length=200)
    project_type = forms.ChoiceField(
        label=bi_lazy("项目类型", "Project type"), required=False,
        choices=[("", "—")] + [(k, bi_text(zh, en)) for k, (zh, en) in PROJECT_TYPES.items()],
    )
    planned_investment = forms.CharField(label=bi_lazy("计划总投资", "Planned investment"), required=False,
                                         max_length=50)
    completed_investment = forms.CharField(label=bi_lazy("本期完成投资", "Completed this period"), required=False,
                                           max_length=50)


LedgerFormSet = forms.formset_factory(LedgerRowForm, extra=LEDGER_EXTRA_ROWS, max_num=200, absolute_max=200)


def ledger_formset(data=None, initial: list[dict[str, Any]] | None = None):
    rows = [{k: _shown(v) for k, v in row.items()} for row in (initial or [])]
    return LedgerFormSet(data, initial=rows, prefix="ledger")


def ledger_rows(formset) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.is_valid() and any(f.cleaned_data.values())]


def show_problems(problems: tuple[ReportProblem, ...], form: ReportValuesForm, formset) -> list[ReportProblem]:
    """Put each problem next to its field; return those that belong to no field."""
    rest = []
    forms_with_data = [f for f in formset.forms if f.is_valid() and any(f.cleaned_data.values())]
    for p in problems:
        if p.sheet == VALUES_SHEET and p.indicator in form.fields:
            form.add_error(p.indicator, p.message)
        elif p.row and p.indicator and p.row <= len(forms_with_data) and p.indicator in LedgerRowForm.base_fields:
            forms_with_data[p.row - 1].add_error(p.indicator, p.message)
        else:
            rest.append(p)
    return rest


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=bi_lazy("填好的报送模板 (.xlsx)", "The filled report template (.xlsx)"),
        help_text=bi_lazy("请使用本期下载的模板；有任何问题整份不保存", "use this period's template; with any problem nothing is saved"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_workbook(self):
        """Refuse an oversized file before it is read into memory (the reader's own checks come next)."""
        workbook = self.cleaned_data["workbook"]
        limit = DEFAULT_LIMITS.max_bytes
        if workbook.size > limit:
            raise forms.ValidationError(bi_text(
                f"文件 {workbook.name} 大小 {workbook.size / 1048576:.1f} MB，超过上限 {limit // 1048576} MB",
                f"file {workbook.name} is {workbook.size / 1048576:.1f} MB, over the {limit // 1048576} MB limit"))
        return workbook


class OpenPeriodForm(forms.Form):
    programme = forms.ChoiceField(label=bi_lazy("项目", "Programme"))
    period = forms.CharField(label=bi_lazy("报送期间", "Period"), max_length=10,
                             help_text=bi_lazy("季度如 2025Q3，年度如 2025", "a quarter such as 2025Q3, or a year such as 2025"))

    def __init__(self, *args: Any, programmes, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.programmes = {p.policy_id: p for p in programmes}
        choice_field(self, "programme").choices = [(p.policy_id, bi_text(p.name_zh, p.name_en)) for p in programmes]


class BulletinForm(forms.Form):
    note = forms.CharField(label=bi_lazy("说明(可选)", "Note (optional)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
