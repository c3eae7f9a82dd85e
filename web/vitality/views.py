"""Pages: the vitality ranking (with rank intervals, a radar and a sensitivity chart), the uncertainty run's
progress, and the data signals with their review."""

from __future__ import annotations

import math
import statistics
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.forms_util import run_action
from programmes.models import Programme
from programmes.permissions import visible_programmes
from towns.models import Enrolment, Town
from towns.permissions import visible_towns
from xiaozhen.glossary import Glossary
from xiaozhen.index import run_index
from xiaozhen.present import number, percent
from xiaozhen.signals import (
    BENFORD_CAVEAT,
    KIND_LABELS,
    STRENGTH_LABELS,
    Signal,
    find_signals,
    period_key,
)
from xiaozhen.signals._facts import indicator_infos

from . import actions
from .data import programmes_with_methods, signal_inputs, vitality_data
from .models import IndexRun, SignalReview
from .permissions import can_review_signals, can_run_uncertainty, can_view_vitality


def _score(v: float) -> float | None:
    return None if not math.isfinite(v) else round(float(v), 1)


class RunForm(forms.Form):
    runs = forms.IntegerField(label="运行次数 / Runs", min_value=actions.MIN_RUNS, max_value=actions.MAX_RUNS,
                              initial=2000)
    seed = forms.IntegerField(label="随机种子 / Seed", min_value=1, initial=1)


def index(request: HttpRequest) -> HttpResponse:
    can_view_vitality.require(request.user)
    choices = [(p, m) for p, m in programmes_with_methods() if p in visible_programmes(request.user)]
    if not choices:
        return render(request, "vitality/index.html", {"choices": []})
    wanted = request.GET.get("programme")
    programme, method = next(((p, m) for p, m in choices if p.policy_id == wanted), choices[0])
    data, year = vitality_data(programme, method)
    context: dict[str, Any] = {"choices": choices, "programme": programme, "method": method, "year": year}
    if not data.units:
        return render(request, "vitality/index.html", context)
    result = run_index(method, data)
    root = method.tree.root
    dims = method.tree.children[root]
    visible = set(visible_towns(request.user).values_list("code", flat=True))
    run = IndexRun.objects.filter(programme=programme, method_hash=method.hash(), status=IndexRun.Status.DONE).first()
    latest = IndexRun.objects.filter(programme=programme).first()
    intervals = {u["code"]: u for u in (run.result["units"] if run else [])}
    rows: list[dict[str, Any]] = []
    for i, code in enumerate(result.units):
        if code not in visible:
            continue
        rows.append({"code": code, "name": result.names[i], "rank": int(result.ranks[root][i]),
                     "score": _score(result.scores[root][i]),
                     "dims": [_score(result.scores[d][i]) for d in dims], "interval": intervals.get(code)})
    rows.sort(key=lambda r: r["rank"])
    dim_names = [method.tree.nodes[d].name or d for d in dims]
    selected = request.GET.get("town") or (rows[0]["code"] if rows else None)
    radar = None
    if selected in visible and selected in result.units:
        i = result.units.index(selected)
        peers = [statistics.median(float(v) for v in result.scores[d] if math.isfinite(v)) for d in dims]
        radar = {
            "tooltip": {}, "legend": {"data": [result.names[i], "同类中位数 peer median"]},
            "radar": {"indicator": [{"name": n, "max": 100} for n in dim_names]},
            "series": [{"type": "radar", "data": [
                {"name": result.names[i], "value": [_score(result.scores[d][i]) for d in dims]},
                {"name": "同类中位数 peer median", "value": [round(p, 1) for p in peers]}]}],
        }
    sensitivity = None
    if run and run.result.get("sensitivity"):
        sens = run.result["sensitivity"]
        sensitivity = {
            "tooltip": {}, "legend": {"data": ["一阶 first order", "总效应 total"]},
            "xAxis": {"type": "value", "min": 0}, "yAxis": {"type": "category", "data": [s["input"] for s in sens]},
            "series": [{"name": "一阶 first order", "type": "bar", "data": [max(0, s["first_order"] or 0) for s in sens]},
                       {"name": "总效应 total", "type": "bar", "data": [s["total"] or 0 for s in sens]}],
            "grid": {"left": 160},
        }
    selected_name = result.names[result.units.index(selected)] if selected in result.units else ""
    context.update({"rows": rows, "dim_names": dim_names, "run": run, "latest": latest, "radar": radar,
                    "selected": selected, "selected_name": selected_name, "sensitivity": sensitivity, "units": len(result.units),
                    "screened_out": result.prepared.screened_out, "record": result.record,
                    "can_run": can_run_uncertainty(request.user), "form": RunForm()})
    return render(request, "vitality/index.html", context)


@require_POST
def start_run(request: AuthedRequest, policy_id: str) -> HttpResponse:
    programme = get_object_or_404(Programme, policy_id=policy_id)
    form = RunForm(request.POST)

    def start(data: dict[str, Any]) -> IndexRun:
        return actions.start_uncertainty_run(programme=programme, by=request.user, **data)

    run_action(request, form, start, success=("已加入后台计算", "Queued: computed in the background"))
    return redirect(f"{reverse('vitality:index')}?{urlencode({'programme': policy_id})}")


def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    can_view_vitality.require(request.user)
    run = get_object_or_404(IndexRun, pk=pk)
    return render(request, "vitality/_progress.html", {"latest": run})


# ------------------------------------------------------------------ signals

EVIDENCE_LABELS = {
    "before": "之前 before", "after": "之后 after", "history": "历史 history", "factor": "倍数 factor",
    "usual_factor": "此前通常倍数 usual factor", "scale": "尺度 scale", "robust_z": "稳健 z robust z",
    "threshold": "阈值 threshold", "unit": "单位 unit", "peer_median_factor": "同类中位倍数 peer median factor",
    "peers": "同类小镇数 peers", "drop_share": "下降比例 drop", "value": "数值 value", "years": "年份 years",
    "significant_digits": "有效数字 significant digits", "round": "整数个数 round figures",
    "values": "数字个数 figures", "share": "比例 share", "baseline_share": "全部小镇比例 all towns",
    "p_value": "p 值 p-value", "examples": "示例 examples", "sample": "样本 sample",
    "observed": "首位计数 first-digit counts", "expected_share": "本福特比例 Benford shares", "mad": "MAD",
    "mad_line": "MAD 界线 MAD line", "chi_square": "卡方 chi-square", "min_sample": "最小样本 minimum sample",
    "credit_code": "统一社会信用代码 credit code", "enterprise": "企业 enterprise", "year": "年份 year",
    "towns": "小镇 towns", "reported": "报表数 reported", "ledger_total": "台账合计 ledger total",
    "ledger_lines": "台账项目数 ledger lines", "difference": "差额 difference", "tolerance": "容差 tolerance",
    "part": "分项 part", "whole": "总数 whole", "excess_share": "超出比例 excess", "period": "期间 period",
}


SHARE_EVIDENCE = frozenset({"drop_share", "share", "baseline_share", "excess_share", "expected_share"})


def _shown(value: Any, words: Glossary | None = None, key: str = "") -> str:
    """An evidence value as people read it: shares as percentages, p-values to three places, indicator
    ids by their labels (programme's glossary), other numbers without float noise."""
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        if key == "p_value":
            return "< 0.001" if value < 0.001 else f"{value:.3f}"
        return percent(value) if key in SHARE_EVIDENCE else number(round(value, 4))
    if isinstance(value, dict):
        if set(value) <= {"period", "value", "indicator"}:
            return " ".join(_shown(v, words, k) for k, v in value.items())
        return "; ".join(f"{_name(k, words)}: {_shown(v, words, key)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(_shown(v, words, key) for v in value)
    if isinstance(value, str) and words is not None and words.knows(value):
        return _name(value, words)
    return str(value)


def _name(name: str, words: Glossary | None) -> str:
    if words is None or not words.knows(name):
        return name
    label = words.label(name)
    return f"{label.zh} {label.en}"


def evidence_rows(signal: Signal, words: Glossary | None = None) -> list[tuple[str, str]]:
    return [(EVIDENCE_LABELS.get(k, k), _shown(v, words, k)) for k, v in signal.evidence.items() if k != "caveat"]

class ReviewForm(forms.Form):
    programme = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("dismiss", "排除 dismiss"), ("escalate", "转查处 open a fraud finding")])
    reason = forms.CharField(label="理由 / Reason", widget=forms.Textarea(attrs={"rows": 2}))


def _signals_for(programme: Programme) -> list[Signal]:
    return _signals_and_series(programme)[0]


def _signals_and_series(programme: Programme) -> tuple[list[Signal], dict[tuple[str, str], list[tuple[str, float]]]]:
    observations, ledger, claims = signal_inputs(programme)
    found = find_signals(observations, indicator_infos(programme.policy), ledger=ledger, enterprises=claims)
    series: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for o in observations:
        series.setdefault((o.town, o.indicator), []).append((o.period, o.value))
    for values in series.values():
        values.sort(key=lambda pv: period_key(pv[0]))
    return found, series


#: Charts drawn per kind on the signals page (the rest show their numbers only), to keep the page light.
CHARTS_PER_KIND = 10
SERIES_KINDS = {"cumulative_decrease", "spike_own_history", "spike_peers", "repeated_figures", "ledger_mismatch",
                "part_exceeds_whole"}


def signal_chart(signal: Signal, series: dict[tuple[str, str], list[tuple[str, float]]]) -> dict[str, Any] | None:
    """An ECharts option showing the evidence: the figure's series with the flagged periods marked, or the
    first-digit shares against Benford's law."""
    if signal.kind == "benford":
        digits = [str(d) for d in range(1, 10)]
        n = signal.evidence["sample"]
        return {"tooltip": {}, "legend": {"data": ["实际 observed", "本福特 Benford"]},
                "xAxis": {"type": "category", "data": digits, "name": "首位 first digit"}, "yAxis": {"type": "value"},
                "series": [{"name": "实际 observed", "type": "bar",
                            "data": [round(signal.evidence["observed"][d] / n, 3) for d in digits]},
                           {"name": "本福特 Benford", "type": "line",
                            "data": [signal.evidence["expected_share"][d] for d in digits]}]}
    if signal.kind not in SERIES_KINDS or not signal.indicator:
        return None
    quarterly = any("Q" in p for p in signal.periods)
    points = [(p, v) for p, v in series.get((signal.town, signal.indicator), []) if ("Q" in p) == quarterly]
    if not points:
        return None
    flagged = set(signal.periods)
    return {"tooltip": {"trigger": "axis"}, "grid": {"top": 16, "bottom": 28, "left": 56, "right": 16},
            "xAxis": {"type": "category", "data": [p for p, _ in points]},
            "yAxis": {"type": "value", "scale": True},
            "series": [{"type": "line", "data": [
                {"value": v, "symbolSize": 12 if p in flagged else 4,
                 "itemStyle": {"color": "#c0392b" if p in flagged else "#2c6fbb"}} for p, v in points]}]}


def signals(request: HttpRequest) -> HttpResponse:
    can_review_signals.require(request.user)
    visible = set(visible_towns(request.user).values_list("code", flat=True))
    show_reviewed = request.GET.get("reviewed") == "1"
    sections = []
    for programme in visible_programmes(request.user).order_by("policy_id"):
        reviewed = {r.key: r for r in SignalReview.objects.filter(programme=programme)}
        every, series = _signals_and_series(programme)
        found = [s for s in every if s.town in visible and (show_reviewed or s.key not in reviewed)]
        if not found:
            continue
        infos = indicator_infos(programme.policy)
        words = Glossary(programme.policy)
        names = dict(Town.objects.filter(code__in={s.town for s in found}).values_list("code", "name_zh"))
        groups = []
        for kind, label in KIND_LABELS.items():
            items: list[dict[str, Any]] = [{"signal": s, "strength": STRENGTH_LABELS[s.strength], "review": reviewed.get(s.key),
                      "town": names.get(s.town, s.town),
                      "indicator": (f"{infos[s.indicator].label_zh} {infos[s.indicator].label_en}"
                                    if s.indicator in infos else ""),
                      "evidence": evidence_rows(s, words),
                      "form": ReviewForm(initial={"programme": programme.policy_id, "key": s.key})}
                     for s in found if s.kind == kind]
            for n, item in enumerate(items[:CHARTS_PER_KIND]):
                item["chart"] = signal_chart(item["signal"], series)
                item["chart_id"] = f"sig-{programme.policy_id}-{kind}-{n}"
            if items:
                groups.append({"kind": kind, "label": label, "items": items, "benford": kind == "benford"})
        sections.append({"programme": programme, "groups": groups, "count": len(found)})
    return render(request, "vitality/signals.html", {"sections": sections, "caveat": BENFORD_CAVEAT,
                                                     "show_reviewed": show_reviewed,
                                                     "kinds": list(KIND_LABELS.values())})


@require_POST
def review_signal(request: AuthedRequest) -> HttpResponse:
    can_review_signals.require(request.user)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise Http404
    programme = get_object_or_404(Programme, policy_id=form.cleaned_data["programme"])
    signal = next((s for s in _signals_for(programme) if s.key == form.cleaned_data["key"]), None)
    if signal is None:
        raise Http404

    enrolment = Enrolment.objects.filter(town__code=signal.town, programme=programme, ended_on__isnull=True).first()
    if form.cleaned_data["decision"] == "escalate" and enrolment is None:
        messages.error(request, "该小镇已不在名单中，无法据此查处 / this town is no longer on the list")
        return redirect("vitality:signals")

    def act(data: dict[str, Any]) -> SignalReview:
        do = actions.escalate_signal if data["decision"] == "escalate" else actions.dismiss_signal
        return do(programme=programme, signal=signal, by=request.user, reason=data["reason"])

    done = run_action(request, form, act, success=("已记录", "Recorded"))
    if done is None:
        for error in [*form.non_field_errors(), *form.errors.get("reason", [])]:
            messages.error(request, error)
        return redirect("vitality:signals")
    if form.cleaned_data["decision"] == "escalate" and enrolment is not None:
        query = urlencode({"source": f"数据线索 data signal: {KIND_LABELS[signal.kind][0]}",
                           "description": f"{signal.message_zh}\n{signal.message_en}"})
        return redirect(f"{reverse('assessments:fraud_new', args=[enrolment.pk])}?{query}")
    return redirect("vitality:signals")
