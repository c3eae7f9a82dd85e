"""Per-mu pages: import and run (county offices), results by class, notice, objections, publishing,
and each town's leaderboard. Views parse, authorise, call one action, respond."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.bilingual import bi_text
from portal.errors import ActionError
from portal.forms_util import add_action_error, run_action
from portal.pagination import page_of
from towns.models import Town
from towns.permissions import can_view_town
from xiaozhen.enterprises import find_method

from . import actions
from .forms import (
    DecideForm,
    ImportForm,
    NoticeForm,
    ObjectionForm,
    PoolEntryForm,
    PoolExitForm,
    RewardForm,
    RunForm,
)
from .models import (
    CultivationEntry,
    EnterpriseImport,
    EnterpriseYear,
    PerMuObjection,
    PerMuResult,
    PerMuRun,
)
from .permissions import (
    can_manage_enterprises,
    can_manage_pools,
    can_view_run,
    counties_managed,
    visible_runs,
)
from .selectors import CLASSES, run_class_shares, town_leaderboard, zone_pools


def index(request: AuthedRequest) -> HttpResponse:
    counties = counties_managed(request.user)
    import_form = ImportForm(request.POST if request.POST.get("do") == "import" else None,
                             request.FILES or None, counties=counties)
    run_form = RunForm(request.POST if request.POST.get("do") == "run" else None, counties=counties)
    if request.POST.get("do") == "import" and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            done = actions.import_enterprises(by=request.user, county=import_form.cleaned_data["county"],
                                              file_name=upload.name, content=upload.read())
        except ActionError as exc:
            add_action_error(import_form, exc)
        else:
            messages.success(request, bi_text(f"已导入 {done.rows} 行", f"{done.rows} rows imported"))
            return redirect("enterprises:index")
    if run_done := run_action(request, run_form, lambda d: actions.run_per_mu(by=request.user, **d),
                              success=("评价已完成(草稿)", "Evaluation done (draft)")):
        return redirect("enterprises:run", pk=run_done.result.pk)
    imports = EnterpriseImport.objects.filter(county__in=counties).select_related("county", "imported_by")[:20]
    runs = visible_runs(request.user).select_related("county")[:50]
    status = 400 if request.method == "POST" else 200
    return render(request, "enterprises/index.html",
                  {"import_form": import_form if counties.exists() else None,
                   "run_form": run_form if counties.exists() else None, "imports": imports, "runs": runs},
                  status=status)


def _run(request: HttpRequest, pk: int) -> PerMuRun:
    run = get_object_or_404(PerMuRun.objects.select_related("county"), pk=pk)
    if not can_view_run(request.user, run):
        raise Http404
    return run


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    chosen = request.GET.get("class", "")
    results = run.results.select_related("town").annotate(n_objections=Count("objections"))
    if chosen in CLASSES:
        results = results.filter(klass=chosen)
    elif chosen in PerMuResult.Status.values:
        results = results.filter(status=chosen)
    method = find_method(run.method_id)
    manage = can_manage_enterprises(request.user, run.county)
    objections = PerMuObjection.objects.filter(result__run=run).select_related("result")
    shares, shares_source = run_class_shares(run, method.classes.bands)
    return render(request, "enterprises/run.html", {
        "shares": shares, "shares_source": shares_source or method.classes.source,
        "run": run, "page_obj": page_of(request, results.order_by("rank", "status", "credit_code")),
        "chosen": chosen, "bands": method.classes.bands, "indicators": method.indicators, "manage": manage,
        "counts": [(b, run.class_counts.get(b.id, 0)) for b in method.classes.bands],
        "notice_form": NoticeForm() if manage and run.status == PerMuRun.Status.DRAFT else None,
        "objection_form": ObjectionForm() if run.status == PerMuRun.Status.NOTICE else None,
        "objections": objections, "decide_form": DecideForm() if manage else None,
    })


@require_POST
def open_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    form = NoticeForm(request.POST)
    if run_action(request, form, lambda d: actions.open_per_mu_notice(run=run, by=request.user, **d),
                  success=("已公示", "Put on public notice")):
        return redirect("enterprises:run", pk=pk)
    return render(request, "enterprises/form_page.html", {"form": form, "run": run}, status=400)


@require_POST
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        actions.publish_per_mu(run=run, by=request.user)
    except ActionError as exc:
        return render(request, "enterprises/form_page.html", {"error": exc, "run": run}, status=400)
    return redirect("enterprises:run", pk=pk)


@require_POST
def object_to_result(request: AuthedRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(PerMuResult.objects.select_related("run__county"), pk=pk)
    if not can_view_run(request.user, result.run):
        raise Http404
    form = ObjectionForm(request.POST)
    if run_action(request, form, lambda d: actions.submit_per_mu_objection(result=result, by=request.user, **d),
                  success=("异议已提交", "Objection submitted")):
        return redirect("enterprises:run", pk=result.run_id)
    return render(request, "enterprises/form_page.html", {"form": form, "run": result.run}, status=400)


@require_POST
def decide_objection(request: AuthedRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(PerMuObjection.objects.select_related("result__run__county"), pk=pk)
    run = objection.result.run
    can_manage_enterprises.require(request.user, run.county)
    form = DecideForm(request.POST)
    if run_action(request, form, lambda d: actions.decide_per_mu_objection(objection=objection, by=request.user, **d),
                  success=("已处理", "Decided")):
        return redirect("enterprises:run", pk=run.pk)
    return render(request, "enterprises/form_page.html", {"form": form, "run": run}, status=400)


def leaderboard(request: HttpRequest, pk: int) -> HttpResponse:
    town = get_object_or_404(Town.objects.select_related("region"), pk=pk)
    if not can_view_town(request.user, town):
        raise Http404
    run, results = town_leaderboard(town)
    return render(request, "enterprises/leaderboard.html",
                  {"town": town, "run": run, "page_obj": page_of(request, results)})


def zone_pools_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """001 §三(四)2–3 for one zone: cultivation pool, rewards against the per-firm floors, gazelles, leaders.

    Officers whose scope holds the zone also enter and exit firms and record rewards here (one form each,
    told apart by ``do``); each calls one audited action."""
    town = get_object_or_404(Town.objects.select_related("region"), pk=pk)
    if not can_view_town(request.user, town):
        raise Http404
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        latest = EnterpriseYear.objects.filter(town=town).order_by("-year").values_list("year", flat=True).first()
        year = latest or timezone.localdate().year - 1
    manages = can_manage_pools(request.user, town)
    do = request.POST.get("do") if request.method == "POST" else None
    if do is not None:
        can_manage_pools.require(request.user, town)
    in_pool = CultivationEntry.objects.filter(town=town, exited_on__isnull=True).order_by("name")
    entry_form = PoolEntryForm(request.POST if do == "enter" else None, prefix="enter")
    exit_form = PoolExitForm(request.POST if do == "exit" else None, prefix="exit", entries=in_pool)
    reward_form = RewardForm(request.POST if do == "reward" else None, prefix="reward")
    done = (
        run_action(request, entry_form, lambda d: actions.enter_cultivation_pool(by=request.user, town=town, **d),
                   success=("已入库", "Entered the pool")) if do == "enter" else
        run_action(request, exit_form, lambda d: actions.exit_cultivation_pool(by=request.user, **d),
                   success=("已出库", "Left the pool")) if do == "exit" else
        run_action(request, reward_form, lambda d: actions.record_high_tech_reward(by=request.user, town=town, **d),
                   success=("奖励已记录，并已按每家下限核对", "Reward recorded and checked against the per-firm floor"))
        if do == "reward" else None
    )
    if done is not None:
        return redirect(f"{reverse('enterprises:pools', args=[town.pk])}?year={year}")
    forms = {"entry_form": entry_form, "exit_form": exit_form if in_pool.exists() else None,
             "reward_form": reward_form} if manages else {}
    return render(request, "enterprises/pools.html", {"town": town, "year": year, **forms, **zone_pools(town, year)},
                  status=400 if do is not None else 200)
