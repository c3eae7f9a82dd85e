"""Every change to enterprises and per-mu evaluations: import, run, notice (公示), objections, publish.

Each action checks ``enterprises.permissions``, runs in one transaction and writes an audit row.
The figures go through the core (``xiaozhen.enterprises``): the same checks as the command line,
the same engine, the same run record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from audit import record
from portal.errors import ActionError
from regions.models import Region
from towns.models import Town
from xiaozhen.codes import credit_code_problems
from xiaozhen.enterprises import (
    PerMuError,
    Reward,
    check_rewards,
    find_method,
    per_mu,
    read_enterprises,
    run_record,
    shown_value,
)
from xiaozhen.facts import FactsError

from .models import (
    CultivationEntry,
    EnterpriseImport,
    EnterpriseYear,
    HighTechReward,
    PerMuObjection,
    PerMuResult,
    PerMuRun,
)
from .permissions import can_manage_enterprises, can_manage_pools

if TYPE_CHECKING:
    from accounts.models import User

#: At most this many problems are listed with a refused import; the count of the rest follows.
MAX_PROBLEMS = 50
#: xiaozhen default: a notice runs at least 5 days (county rules commonly say 5 working days).
MIN_NOTICE_DAYS = 5
_FIGURES = ("tax", "value_added", "revenue", "output", "energy", "emissions", "rd_spend")
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".parquet")


def _require_county(by: User, county: Region) -> None:
    can_manage_enterprises.require(by, county)


def _refused(problems: list[str], zh: str, en: str) -> ActionError:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"…另有 {len(problems) - MAX_PROBLEMS} 个问题 / … and {len(problems) - MAX_PROBLEMS} more")
    return ActionError(zh, en, field="file", details=shown)


def _decimal(value: Any, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(round(float(value), places)))


def _read(file_name: str, content: bytes, *, json_rows: bool = False) -> pl.DataFrame:
    suffix = ".json" if json_rows else Path(file_name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES and not json_rows:
        raise ActionError(f"文件 {file_name} 不是 CSV、XLSX 或 Parquet 文件，未导入任何数据",
                          f"file {file_name} is not a CSV, XLSX or Parquet file; nothing was imported", field="file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            facts = read_enterprises(path)
        except FactsError as exc:
            problems = [str(p).replace(str(path), file_name) for p in exc.problems]
            raise _refused(problems, f"文件有 {len(problems)} 个问题，未导入任何数据",
                           f"the file has {len(problems)} problem(s); nothing was imported") from None
    return facts


@transaction.atomic
def import_enterprises(*, by: User, county: Region, file_name: str, content: bytes,
                       json_rows: bool = False) -> EnterpriseImport:
    """Import a county's enterprise figures: every row is written, or none (per-cell errors named).

    A row's town is a town code of this county. A firm already recorded in another town for the
    same year is refused, naming both; a firm in the same town and year is updated (this import
    becomes its source).
    """
    _require_county(by, county)
    facts = _read(file_name, content, json_rows=json_rows)
    towns = {t.code: t for t in Town.objects.filter(region__code__startswith=county.code).select_related("region")}
    problems = [
        f"{file_name}, 第 {row} 行 row {row}, 列 column town_id: 本县没有编号为“{town}”的小镇 / "
        f"no town {town!r} in {county.name_zh}"
        for town, row in facts.select("town_id", "_row").iter_rows() if town not in towns
    ]
    existing = {
        (e.credit_code, e.year): e
        for e in EnterpriseYear.objects.filter(credit_code__in=facts.get_column("credit_code").unique().to_list())
        .select_related("town")
    }
    for code, year, town, row in facts.select("credit_code", "year", "town_id", "_row").iter_rows():
        known = existing.get((code, year))
        if known is not None and known.town.code != town:
            problems.append(
                f"{file_name}, 第 {row} 行 row {row}: 企业 {code} 在 {year} 年已属于 {known.town.name_zh} ({known.town.code})，"
                f"一家企业一年只能属于一个镇 / firm {code} is already in {known.town.code} in {year}; a firm is in one town a year")
    if problems:
        raise _refused(problems, f"文件有 {len(problems)} 个问题，未导入任何数据",
                       f"the file has {len(problems)} problem(s); nothing was imported")
    years = sorted(set(facts.get_column("year").to_list()))
    batch = EnterpriseImport.objects.create(
        county=county, file_name=file_name[:200], sha256=hashlib.sha256(content).hexdigest(), rows=facts.height,
        years=", ".join(str(y) for y in years), imported_by=by)
    created, updated = [], []
    for f in facts.iter_rows(named=True):
        fields: dict[str, Any] = {
            "name": f["name"] or "", "town": towns[f["town_id"]], "industry_code": f["industry_code"] or "",
            "above_scale": f["above_scale"], "founded_year": f["founded_year"], "in_construction": f["in_construction"],
            "high_tech": f["high_tech"], "rd_institution": f["rd_institution"],
            "land_owned_mu": _decimal(f["land_owned_mu"]), "land_leased_mu": _decimal(f["land_leased_mu"]),
            "employees": None if f["employees"] is None else round(f["employees"]),
            "source": batch,
            **{k: _decimal(f[k], 3 if k == "emissions" else 2) for k in _FIGURES},
        }
        known = existing.get((f["credit_code"], f["year"]))
        if known is None:
            created.append(EnterpriseYear(credit_code=f["credit_code"], year=f["year"], **fields))
        else:
            for key, value in fields.items():
                setattr(known, key, value)
            updated.append(known)
    EnterpriseYear.objects.bulk_create(created, batch_size=2000)
    if updated:
        EnterpriseYear.objects.bulk_update(updated, ["name", "town", "industry_code", "above_scale", "founded_year",
                                                     "in_construction", "high_tech", "rd_institution", "land_owned_mu",
                                                     "land_leased_mu", "employees", "source", *_FIGURES],
                                           batch_size=2000)
    record(actor=by, verb="import_enterprises", obj=batch, to_state="imported",
           data={"rows": facts.height, "created": len(created), "updated": len(updated), "years": years,
                 "sha256": batch.sha256})
    return batch


def county_facts(county: Region, year: int | None = None) -> pl.DataFrame:
    """The county's enterprise figures as the core reads them (one row per firm per year)."""
    rows = EnterpriseYear.objects.filter(town__region__code__startswith=county.code)
    if year is not None:
        rows = rows.filter(year=year)
    values = list(rows.values_list(
        "credit_code", "name", "town__code", "town__region__code", "year", "industry_code", "above_scale",
        "founded_year", "in_construction", "land_owned_mu", "land_leased_mu", *_FIGURES[:-2], "emissions",
        "employees", "rd_spend", "high_tech", "rd_institution"))
    columns = ["credit_code", "name", "town_id", "county", "year", "industry_code", "above_scale", "founded_year",
               "in_construction", "land_owned_mu", "land_leased_mu", "tax", "value_added", "revenue", "output",
               "energy", "emissions", "employees", "rd_spend", "high_tech", "rd_institution"]
    numbers = {"land_owned_mu", "land_leased_mu", "tax", "value_added", "revenue", "output", "energy", "emissions",
               "employees", "rd_spend"}
    schema: dict[str, Any] = {c: pl.Float64 if c in numbers else pl.String for c in columns}
    schema.update(year=pl.Int32, founded_year=pl.Int32, above_scale=pl.Boolean, in_construction=pl.Boolean,
                  high_tech=pl.Boolean, rd_institution=pl.Boolean)
    data = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in values]
    return pl.DataFrame(data, schema=schema, orient="row")


def _office_classes(method: Any, county: Region, class_shares: str, reason: str) -> Any:
    """The method with the county office's own class shares (the method's default is a documented default an
    office may override, issue 12): ``class_shares`` gives each class's per cent in the method's order,
    e.g. "10, 70, 15, 5"; they must add up to 100 and the office says why."""
    bands = method.classes.bands
    names = "、".join(b.id for b in bands)
    parts = [p for p in class_shares.replace("，", ",").replace("、", ",").replace("%", "").split(",") if p.strip()]
    try:
        shares = [Decimal(p.strip()) for p in parts]
    except ArithmeticError:
        shares = []
    if len(shares) != len(bands) or any(not s.is_finite() or s <= 0 for s in shares):
        raise ActionError(f"请按 {names} 的顺序填写 {len(bands)} 个大于 0 的百分比，以逗号分隔",
                          f"give {len(bands)} per cents above 0 for {', '.join(b.id for b in bands)}, comma-separated",
                          field="class_shares")
    if sum(shares) != 100:
        raise ActionError(f"各类比例合计应为 100%，现为 {sum(shares):g}%",
                          f"the shares must add up to 100 %, not {sum(shares):g} %", field="class_shares")
    if not reason.strip():
        raise ActionError("调整分类比例须写明理由", "say why the office sets its own class shares", field="shares_reason")
    cumulative, total = [], Decimal(0)
    for share in shares:
        total += share
        cumulative.append(total / 100)
    try:
        return method.with_classes(
            [(b.id, b.label.zh, b.label.en, up_to) for b, up_to in zip(bands, cumulative, strict=True)],
            source=f"{county.name_zh}办公室调整 set by the {county.name_en} office: {reason.strip()}")
    except ValueError:
        raise ActionError("分类比例最多保留两位小数", "a share has at most two decimals", field="class_shares") from None


@transaction.atomic
def run_per_mu(*, by: User, county: Region, year: int, method_id: str = "zhejiang-county", class_shares: str = "",
               shares_reason: str = "") -> PerMuRun:
    """Evaluate every firm of the county for the year; the run is a draft until put on notice.

    ``class_shares`` (optional, with ``shares_reason``) replaces the method's default class shares for this run;
    the run's method hash then covers the office's shares, so the run stays reproducible."""
    _require_county(by, county)
    try:
        method = find_method(method_id)
    except Exception:
        raise ActionError(f"没有评价办法 {method_id}", f"no per-mu method {method_id!r}", field="method_id") from None
    default_shares = [str(b.up_to) for b in method.classes.bands]
    if class_shares.strip():
        method = _office_classes(method, county, class_shares, shares_reason)
    facts = county_facts(county, year)
    if facts.is_empty():
        raise ActionError(f"{county.name_zh} 没有 {year} 年的企业数据，请先导入",
                          f"{county.name_en} has no enterprise figures for {year}: import them first", field="year")
    try:
        result = per_mu(method, facts, year)
    except PerMuError as exc:
        raise ActionError("无法评价", "cannot evaluate", details=[str(exc)]) from None
    run_info = run_record(result, facts)
    run = PerMuRun.objects.create(
        county=county, year=year, method_id=method.id, method_name=method.name.zh, method_sha256=run_info["method_sha256"],
        data_sha256=run_info["data_sha256"], results_sha256=run_info["results_sha256"],
        class_counts=run_info["classes"], created_by=by)
    towns = {t.code: t for t in Town.objects.filter(region__code__startswith=county.code)}
    results = []
    for f in result.firms.iter_rows(named=True):
        details = [
            {"id": i.id, "label": i.label.zh, "unit": i.unit, "weight": i.weight, "value": f[f"{i.id}__value"],
             "benchmark": f[f"{i.id}__benchmark"], "score": f[f"{i.id}__score"],
             "value_shown": "分母为0，封顶 zero, capped"
             if f[f"{i.id}__value"] is None and f[f"{i.id}__score"] == i.cap * i.weight
             else shown_value(i.unit, f[f"{i.id}__value"]),
             "benchmark_shown": shown_value(i.unit, f[f"{i.id}__benchmark"])}
            for i in method.indicators
        ]
        results.append(PerMuResult(
            run=run, credit_code=f["credit_code"], name=f["name"] or "", town=towns[f["town_id"]], land_mu=f["land_mu"],
            tax=f["tax"], total=f["total"], rank=f["rank"], klass=f["class"] or "", status=f["status"],
            reason=(f["reason"] or "")[:200], details=details))
    PerMuResult.objects.bulk_create(results, batch_size=2000)
    shares = [str(b.up_to) for b in method.classes.bands]
    record(actor=by, verb="run_per_mu", obj=run, to_state=run.status,
           reason=shares_reason.strip() if shares != default_shares else "",
           data={"method": method.id, "year": year, "firms": len(results), "classes": run.class_counts,
                 "method_sha256": run.method_sha256, "data_sha256": run.data_sha256,
                 "class_shares": {b.id: str(b.up_to) for b in method.classes.bands},
                 "class_shares_source": method.classes.source})
    return run


def _locked(run: PerMuRun) -> PerMuRun:
    return PerMuRun.objects.select_for_update().select_related("county").get(pk=run.pk)


@transaction.atomic
def open_per_mu_notice(*, run: PerMuRun, by: User, opens_on: dt.date, closes_on: dt.date) -> PerMuRun:
    """Put a draft's classes on public notice (公示) for at least MIN_NOTICE_DAYS days; objections open."""
    run = _locked(run)
    _require_county(by, run.county)
    if run.status != PerMuRun.Status.DRAFT:
        raise ActionError("只有草稿可以公示", "only a draft can be put on notice")
    if (closes_on - opens_on).days + 1 < MIN_NOTICE_DAYS:
        raise ActionError(f"公示期不少于 {MIN_NOTICE_DAYS} 天(xiaozhen 默认值)",
                          f"a notice runs at least {MIN_NOTICE_DAYS} days (xiaozhen default)", field="closes_on")
    before = run.status
    run.status, run.notice_opens_on, run.notice_closes_on = PerMuRun.Status.NOTICE, opens_on, closes_on
    run.save(update_fields=["status", "notice_opens_on", "notice_closes_on"])
    record(actor=by, verb="open_per_mu_notice", obj=run, from_state=before, to_state=run.status,
           data={"opens_on": opens_on, "closes_on": closes_on})
    return run


@transaction.atomic
def submit_per_mu_objection(*, result: PerMuResult, name: str, contact: str, grounds: str,
                            today: dt.date | None = None, by: User | None = None) -> PerMuObjection:
    """An objection to one firm's class, accepted only while the notice is open."""
    run = _locked(result.run)
    today = today or timezone.localdate()
    if run.status != PerMuRun.Status.NOTICE:
        raise ActionError("不在公示期内，不能提出异议", "objections are accepted only while the notice is open")
    # a run is put on notice together with its dates (start_per_mu_notice)
    assert run.notice_opens_on is not None and run.notice_closes_on is not None
    if not (run.notice_opens_on <= today <= run.notice_closes_on):
        raise ActionError("不在公示期内，不能提出异议", "objections are accepted only while the notice is open")
    if not grounds.strip() or not name.strip():
        raise ActionError("请填写姓名和异议理由", "give a name and the grounds", field="grounds")
    objection = PerMuObjection.objects.create(result=result, name=name.strip(), contact=contact.strip(),
                                              grounds=grounds.strip())
    record(actor=by, verb="submit_per_mu_objection", obj=objection, to_state=objection.status,
           data={"credit_code": result.credit_code, "class": result.klass})
    return objection


@transaction.atomic
def decide_per_mu_objection(*, objection: PerMuObjection, by: User, upheld: bool, reason: str) -> PerMuObjection:
    """Uphold or reject an objection, with the reason. An upheld objection means the figures are
    corrected and the county runs the evaluation again; the run it was made on can no longer be published."""
    objection = PerMuObjection.objects.select_for_update().select_related("result__run__county").get(pk=objection.pk)
    _require_county(by, objection.result.run.county)
    if objection.status != PerMuObjection.Status.OPEN:
        raise ActionError("该异议已处理", "this objection has been decided")
    if not reason.strip():
        raise ActionError("请说明理由", "give the reason", field="reason")
    objection.status = PerMuObjection.Status.UPHELD if upheld else PerMuObjection.Status.REJECTED
    objection.decided_by, objection.decision_reason = by, reason.strip()
    objection.save(update_fields=["status", "decided_by", "decision_reason"])
    record(actor=by, verb="decide_per_mu_objection", obj=objection, from_state="open", to_state=objection.status,
           reason=reason)
    return objection


@transaction.atomic
def publish_per_mu(*, run: PerMuRun, by: User, today: dt.date | None = None) -> PerMuRun:
    """Publish the classes once the notice has closed with every objection decided and none upheld."""
    run = _locked(run)
    _require_county(by, run.county)
    today = today or timezone.localdate()
    if run.status != PerMuRun.Status.NOTICE:
        raise ActionError("只有公示中的评价可以公布", "only an evaluation on notice can be published")
    assert run.notice_closes_on is not None  # a run on notice has its dates
    if today <= run.notice_closes_on:
        raise ActionError(f"公示期至 {run.notice_closes_on:%Y-%m-%d} 结束，结束后方可公布",
                          f"the notice closes on {run.notice_closes_on:%Y-%m-%d}; publish after it")
    objections = PerMuObjection.objects.filter(result__run=run)
    if objections.filter(status=PerMuObjection.Status.OPEN).exists():
        raise ActionError("尚有异议未处理", "some objections are not decided yet")
    upheld = list(objections.filter(status=PerMuObjection.Status.UPHELD).values_list("result__name", flat=True))
    if upheld:
        raise ActionError("有异议成立，请更正数据后重新评价", "an objection was upheld: correct the figures and run again",
                          details=upheld)
    run.status, run.published_at = PerMuRun.Status.PUBLISHED, timezone.now()
    run.save(update_fields=["status", "published_at"])
    record(actor=by, verb="publish_per_mu", obj=run, from_state="notice", to_state=run.status,
           data={"classes": run.class_counts, "results_sha256": run.results_sha256})
    return run


# ------------------------------------------------------------------ 001 §三(四): pools and rewards

def _require_pools(by: User, town: Town) -> None:
    can_manage_pools.require(by, town)


@transaction.atomic
def enter_cultivation_pool(*, by: User, town: Town, credit_code: str, name: str, entered_on: dt.date) -> CultivationEntry:
    """Put a firm into the zone's 高新技术企业培育库 (001 §三(四)2); a firm is in a pool once at a time."""
    _require_pools(by, town)
    problems = credit_code_problems(credit_code)
    if problems:
        raise ActionError("统一社会信用代码有误", "invalid credit code", field="credit_code", details=[str(p) for p in problems])
    code = credit_code.strip().upper()
    if CultivationEntry.objects.filter(credit_code=code, exited_on__isnull=True).exists():
        raise ActionError("该企业已在培育库中", "this firm is already in a cultivation pool", field="credit_code")
    entry = CultivationEntry.objects.create(credit_code=code, name=name.strip(), town=town, entered_on=entered_on)
    record(actor=by, verb="enter_cultivation_pool", obj=entry, to_state="in_pool", data={"entered_on": entered_on})
    return entry


@transaction.atomic
def exit_cultivation_pool(*, by: User, entry: CultivationEntry, exited_on: dt.date, reason: str) -> CultivationEntry:
    entry = CultivationEntry.objects.select_for_update().select_related("town__region").get(pk=entry.pk)
    _require_pools(by, entry.town)
    if entry.exited_on is not None:
        raise ActionError("该企业已出库", "this firm has already left the pool")
    if exited_on < entry.entered_on:
        raise ActionError("出库日期早于入库日期", "the exit date is before the entry date", field="exited_on")
    if not reason.strip():
        raise ActionError("请说明出库原因(如：已认定为高新技术企业)", "give the reason (e.g. certified high-tech)", field="reason")
    entry.exited_on, entry.exit_reason = exited_on, reason.strip()[:200]
    entry.save(update_fields=["exited_on", "exit_reason"])
    record(actor=by, verb="exit_cultivation_pool", obj=entry, from_state="in_pool", to_state="left", reason=reason,
           data={"exited_on": exited_on})
    return entry


@transaction.atomic
def record_high_tech_reward(*, by: User, town: Town, credit_code: str, name: str, kind: str, certificate_number: str,
                            certified_on: dt.date, amount_wan: Decimal) -> HighTechReward:
    """Record a reward paid to one firm; the audit row says whether it meets the per-firm floor."""
    _require_pools(by, town)
    problems = credit_code_problems(credit_code)
    if problems:
        raise ActionError("统一社会信用代码有误", "invalid credit code", field="credit_code", details=[str(p) for p in problems])
    if amount_wan < 0:
        raise ActionError("金额不能为负数", "the amount cannot be negative", field="amount_wan")
    code = credit_code.strip().upper()
    if HighTechReward.objects.filter(credit_code=code, certificate_number=certificate_number.strip()).exists():
        raise ActionError("该证书已记录过奖励", "a reward is already recorded for this certificate",
                          field="certificate_number")
    reward = HighTechReward.objects.create(
        credit_code=code, name=name.strip(), town=town, kind=kind, certificate_number=certificate_number.strip(),
        certified_on=certified_on, amount_wan=amount_wan, year=certified_on.year, recorded_by=by)
    findings = check_rewards([_core_reward(reward)])
    record(actor=by, verb="record_high_tech_reward", obj=reward, to_state="recorded",
           data={"amount_wan": amount_wan, "kind": kind, "below_floor": bool(findings),
                 "floor_wan": str(findings[0].floor) if findings else ""})
    return reward


def _core_reward(reward: HighTechReward) -> Reward:
    return Reward(credit_code=reward.credit_code, name=reward.name,
                  kind="first" if reward.kind == "first" else "renewal", amount=reward.amount_wan, year=reward.year)
