"""The per-mu evaluation (亩均效益综合评价), vectorised over every enterprise in Polars.

One lazy Polars query (``evaluation_plan``); the ranks inside it come from one numpy sort of the
totals (``_rank_and_class``), and the statuses, reasons and classes are small codes turned into
text once at the end.

For one year, per enterprise and per indicator of the method:

    value     = numerator ÷ denominator              (missing when either is missing or the
                                                      denominator is 0, unless the indicator
                                                      says a 0 denominator earns the cap)
    benchmark = the fixed value, or the nearest-rank percentile of the values of the graded
                firms in the same group (county, or the whole file): the k-th smallest value,
                k = ⌈p × n⌉ (at least 1), computed in whole numbers
    score     = min(value ÷ benchmark, cap) × weight  (0 when missing; a benchmark of 0 gives
                the cap to a positive value and 0 otherwise; none for a firm out of scope)
    total     = the sum of the scores, in the method's indicator order

Then, within each group, the graded firms are ranked by total (ties share the better rank,
"competition ranking") and a firm of rank r among n takes the first class whose cumulative
share s satisfies (r − 1) ÷ n < s — in whole numbers, (r − 1) × 10000 < s(basis points) × n.
So with the default 20/80/95/100, 100 firms give ranks 1–20 A, 21–80 B, 81–95 C, 96–100 D.

Who is graded: a firm in scope (the method's ``scope``: above-scale firms, and smaller firms
on enough land; land above 0) that no exclusion applies to (new firms, firms still building)
and, under the ``not_graded`` missing-data rule, with every figure present. Excluded firms are
scored but not graded and say why. See docs/per-mu.md.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import polars as pl

from .. import __version__
from ._method import PerMuMethod, method_sha256

__all__ = ["STATUS_LABELS", "PerMuError", "PerMuResult", "per_mu", "run_record"]

STATUS_LABELS = {
    "graded": "参评分类 graded",
    "not_graded": "参评不分类 scored, not graded",
    "out_of_scope": "不在评价范围 out of scope",
}


class PerMuError(ValueError):
    """The evaluation cannot run on these facts (no rows for the year, …): one clear message."""


@dataclass(frozen=True)
class PerMuResult:
    """The outcome of one evaluation: firms, towns and counties (groups), for one year."""

    method: PerMuMethod
    year: int
    firms: pl.DataFrame
    towns: pl.DataFrame
    groups: pl.DataFrame

    def leaders(self, n: int = 3, by: str = "town_id") -> pl.DataFrame:
        """The ``n`` best graded firms per town (or per ``group``): 亩均效益领跑者 candidates."""
        return (
            self.firms.filter(pl.col("status") == "graded")
            .sort([by, "total", "credit_code"], descending=[False, True, False])
            .group_by(by, maintain_order=True)
            .head(n)
            .select(by, "credit_code", "name", "total", "rank", "class")
        )


def _nearest_rank(values: pl.Expr, share: float) -> pl.Expr:
    """The k-th smallest of ``values``, k = ⌈share × n⌉ (≥ 1), with share in basis points.

    The largest of the k smallest (``bottom_k``, a partial sort): the same value as sorting the group
    and taking the k-th, for a third of the time. No value in the group (nobody reported energy, say):
    no benchmark, so every score there is 0.
    """
    bp = round(share * 10000)
    present = values.drop_nulls()
    k = ((present.len().cast(pl.Int64) * bp + 9999) // 10000).clip(1, None)
    return present.bottom_k(k).max()


def per_mu(method: PerMuMethod, facts: pl.DataFrame, year: int | None = None) -> PerMuResult:
    """Evaluate every enterprise of ``facts`` (as read by ``read_enterprises``) for ``year``."""
    year, plan = _plan(method, facts, year)
    # The in-memory engine: on a frame already in memory it is faster than streaming (measured in
    # benchmarks/bench_per_mu.py); a national panel uses evaluation_plan with streaming (docs/per-mu.md).
    firms = plan.collect(engine="in-memory")
    # The four summary queries (counts and leaders, per town and per group) run side by side, in memory:
    # the streaming engine takes half the time, but its sums of land, tax and value added differ in their
    # last digits from one run to the next (they follow the order in which its batches arrive).
    parts = pl.collect_all([*_summary_parts(firms, method, "town_id"), *_summary_parts(firms, method, "group")],
                           engine="in-memory")
    return PerMuResult(method=method, year=year, firms=firms.drop(_INTERNAL),
                       towns=_summary(method, "town_id", *parts[:2]), groups=_summary(method, "group", *parts[2:]))


def evaluation_plan(method: PerMuMethod, facts: pl.DataFrame | pl.LazyFrame, year: int | None = None) -> tuple[int, pl.LazyFrame]:
    """The year evaluated and the lazy query giving every firm's values, scores, rank and class.

    Lazy, so that a national panel can be streamed from Parquet (``pl.scan_parquet``): see docs/per-mu.md.
    """
    year, plan = _plan(method, facts, year)
    return year, plan.drop(_INTERNAL)


#: Working columns kept by ``_plan`` for the summaries, dropped from the firms: the group's whole-number
#: code, the status as a small code (0 graded, 1 not graded, 2 out of scope) and the class as the band's
#: position.
_INTERNAL = ("_gid", "_status", "_class")
_STATUSES = ("graded", "not_graded", "out_of_scope")


def _plan(method: PerMuMethod, facts: pl.DataFrame | pl.LazyFrame, year: int | None) -> tuple[int, pl.LazyFrame]:
    if isinstance(facts, pl.DataFrame) and facts.is_empty():
        raise PerMuError("没有企业数据 / no enterprise rows")
    lazy = facts.lazy()
    years = lazy.select(pl.col("year").unique().sort()).collect().get_column("year")
    if year is None:
        year = int(years.max())  # type: ignore[arg-type]
    elif year not in years:
        shown = ", ".join(str(y) for y in years.to_list())
        raise PerMuError(f"数据中没有 {year} 年的企业 / no enterprise rows for {year}; the file has {shown}")
    frame = lazy.filter(pl.col("year") == year)
    if method.group_by == "all":
        group = pl.lit("全部 all")
    elif isinstance(facts, pl.DataFrame) and facts.get_column("county").null_count() == 0:
        group = pl.col("county")  # every row names its county: no need to cut a million codes
    else:
        group = pl.coalesce(pl.col("county"), pl.col("credit_code").str.slice(2, 6))
    land_mu = pl.col("land_owned_mu") + pl.col("land_leased_mu")
    # The group also as a whole number (a categorical's code): benchmarks are joined and ranks sorted on it.
    frame = frame.with_columns(_group=group, _gid=group.cast(pl.Categorical).to_physical(), land_mu=land_mu)

    # Scope (评价范围), and why a firm is out of it (0 no land, 1 not above scale, 2 too little land).
    scope = method.scope
    enough_land = pl.col("land_mu") >= scope.min_land_mu
    if scope.min_land_applies_to == "below_scale":
        enough_land = pl.col("above_scale") | enough_land
    in_scope = enough_land & (pl.col("land_mu") > 0)
    if scope.above_scale_only:
        in_scope = in_scope & pl.col("above_scale")
    texts = ["无用地 no land", "非规上企业 not above scale",
             f"用地不足{scope.min_land_mu:g}亩 under {scope.min_land_mu:g} mu"]
    scope_reason = (
        pl.when(pl.col("land_mu") <= 0).then(pl.lit(0, pl.UInt8))
        .when(~pl.col("above_scale") & pl.lit(scope.above_scale_only)).then(pl.lit(1, pl.UInt8))
        .otherwise(pl.lit(2, pl.UInt8))
    )

    # Indicator values.
    value_cols: list[pl.Expr] = []
    zero_cap_cols: list[pl.Expr] = []
    for ind in method.indicators:
        num, den = pl.col(ind.numerator), pl.col(ind.denominator)
        value_cols.append(pl.when(den > 0).then(num / den).otherwise(None).alias(f"{ind.id}__value"))
        capped = (den == 0) & num.is_not_null() if ind.when_denominator_zero == "cap" else pl.lit(False)
        zero_cap_cols.append(capped.fill_null(False).alias(f"{ind.id}__zero_cap"))
    frame = frame.with_columns(in_scope.alias("_in_scope"), *value_cols, *zero_cap_cols)

    # Scored but not graded: the first reason that applies, as a small whole number after the
    # scope's three (text columns per row cost a million strings each; the texts are looked up at the end).
    hits: list[pl.Expr] = []
    for ex in method.exclusions:
        if ex.id == "new_firm":
            hit = (pl.lit(year) - pl.col("founded_year")) < ex.years
        else:
            hit = pl.col("in_construction")
        texts.append(f"{ex.label.zh} {ex.label.en}")
        hits.append(hit.fill_null(False))
    if method.missing.rule == "not_graded":
        for ind in method.indicators:
            texts.append(f"缺{ind.label.zh}数据 missing {ind.label.en}")
            hits.append(pl.col(f"{ind.id}__value").is_null() & ~pl.col(f"{ind.id}__zero_cap"))
    exclusion: Any = pl
    for n, hit in enumerate(hits):
        exclusion = exclusion.when(hit).then(pl.lit(n + 3, pl.UInt8))
    exclusion = exclusion.otherwise(None) if hits else pl.lit(None, pl.UInt8)
    frame = frame.with_columns(
        _reason=pl.when(~pl.col("_in_scope")).then(scope_reason).otherwise(exclusion),
    ).with_columns(
        _status=pl.when(~pl.col("_in_scope")).then(pl.lit(2, pl.UInt8))
        .when(pl.col("_reason").is_not_null()).then(pl.lit(1, pl.UInt8))
        .otherwise(pl.lit(0, pl.UInt8)),
    )
    graded = pl.col("_status") == 0

    # Benchmarks: fixed, or a percentile of the graded firms' values in the group.
    percentile = [i for i in method.indicators if i.benchmark.kind == "percentile"]
    if percentile:
        # Only the group and the values are filtered: the rest of the frame is not copied.
        values = [f"{i.id}__value" for i in percentile]
        benchmarks = frame.select("_gid", "_status", *values).filter(graded).group_by("_gid").agg(
            [_nearest_rank(pl.col(f"{i.id}__value"), i.benchmark.value).alias(f"{i.id}__benchmark") for i in percentile]
        )
        frame = frame.join(benchmarks, on="_gid", how="left")
    frame = frame.with_columns(
        [pl.lit(i.benchmark.value).alias(f"{i.id}__benchmark") for i in method.indicators if i.benchmark.kind == "fixed"]
    )

    # Scores and total. Out of scope, the values are shown but nothing is scored: each score is multiplied
    # by 1, or by nothing (missing) for a firm out of scope, which leaves every other score's bits as they
    # are. (A mask inside the expression could change the last bit: Polars divides by a benchmark that is
    # one number for every row — a fixed one, or a single group's — as a multiplication by its inverse.)
    scored = pl.when(pl.col("_status") != 2).then(pl.lit(1.0))
    score_cols = []
    for ind in method.indicators:
        v, b = pl.col(f"{ind.id}__value"), pl.col(f"{ind.id}__benchmark")
        ratio = (
            pl.when(pl.col(f"{ind.id}__zero_cap")).then(pl.lit(ind.cap))
            .when(v.is_null() | b.is_null()).then(pl.lit(0.0))
            .when(b <= 0).then(pl.when(v > 0).then(pl.lit(ind.cap)).otherwise(pl.lit(0.0)))
            .otherwise(pl.min_horizontal(v / b, pl.lit(ind.cap)))
        )
        score_cols.append((ratio * ind.weight * scored).alias(f"{ind.id}__score"))
    frame = frame.with_columns(score_cols)
    total = pl.col(f"{method.indicators[0].id}__score")
    for ind in method.indicators[1:]:
        total = total + pl.col(f"{ind.id}__score")
    frame = frame.with_columns(total=total)

    # Rank and class within the group (one sort of the totals; see _rank_and_class), and the texts looked
    # up once from the codes (gathering from a short list shares its strings), side by side.
    bands = tuple((b.id, b.basis_points) for b in method.classes.bands)
    frame = frame.with_columns(
        _ranked=pl.struct(pl.col("_gid").alias("group"), pl.when(graded).then(pl.col("total")).alias("total"))
        .map_batches(partial(_rank_and_class, bands=bands), return_dtype=_RANKED),
        status=pl.lit(pl.Series(_STATUSES)).gather(pl.col("_status")),
        reason=pl.lit(pl.Series(texts, dtype=pl.String)).gather(pl.col("_reason")),
    ).unnest("_ranked")
    columns = lazy.collect_schema().names()
    for name in ("_group", "land_mu", *[f"{i.id}__value" for i in method.indicators], "status", "reason",
                 *[f"{i.id}__benchmark" for i in percentile],
                 *[f"{i.id}__benchmark" for i in method.indicators if i.benchmark.kind == "fixed"],
                 *[f"{i.id}__score" for i in method.indicators], "total", "rank", "graded_in_group", "class", *_INTERNAL):
        if name not in columns:
            columns.append(name)
    return year, frame.select(columns).rename({"_group": "group"})


_RANKED = pl.Struct({"rank": pl.Int64, "graded_in_group": pl.Int64, "class": pl.String, "_class": pl.UInt8})


def _rank_and_class(batch: pl.Series, bands: tuple[tuple[str, int], ...]) -> pl.Series:
    """Each graded firm's rank by total within its group, the graded firms per group, and the class.

    ``batch`` holds the group and the total (missing for a firm not graded). Equal totals share the
    better rank ("competition ranking"); a firm not graded has no rank and no class. The ranks are
    Polars' ``rank("min", descending=True).over(group)``, from one sort: the totals are ordered once
    (highest first), then stably by group (the group's code in the high 32 bits of a whole-number key
    whose low bits are the position in the first order), so each group's firms lie together, best
    first. The class is the first band whose basis points ``s`` satisfy (rank − 1) × 10000 < s × n.
    """
    codes = batch.struct.field("group")
    if not codes.dtype.is_integer():
        codes = codes.cast(pl.Categorical).to_physical()
    # No group (a missing code): a group of its own, as in a Polars window.
    groups = codes.fill_null(codes.max() + 1 if codes.null_count() < codes.len() else 0).to_numpy()  # type: ignore[operator]
    if groups.size and groups.max() > groups.size:  # codes shared with other categoricals: make them small
        groups = np.unique(groups, return_inverse=True)[1]
    total = batch.struct.field("total")
    present = total.is_not_null().to_numpy()
    graded, missing = np.flatnonzero(present), np.flatnonzero(~present)
    counts = np.bincount(groups[graded], minlength=int(groups.max(initial=0)) + 1)[groups].astype(np.int64, copy=False)
    ranks = np.zeros(total.len(), np.int64)
    values = total.drop_nulls().to_numpy()  # the graded firms' totals, in the order of ``graded``
    if not np.isnan(values).any():
        by_total = np.argsort(-values)
        keys = (groups[graded][by_total].astype(np.uint64) << np.uint64(32)) | np.arange(graded.size, dtype=np.uint64)
        keys.sort()
        order = by_total[(keys & np.uint64(0xFFFFFFFF)).astype(np.intp)]
        group_of, value_of = keys >> np.uint64(32), values[order]
        position = np.arange(graded.size)
        new_group = np.ones(graded.size, bool)
        np.not_equal(group_of[1:], group_of[:-1], out=new_group[1:])
        new_value = new_group.copy()
        new_value[1:] |= value_of[1:] != value_of[:-1]
        first_of_group = np.maximum.accumulate(np.where(new_group, position, 0))
        first_of_value = np.maximum.accumulate(np.where(new_value, position, 0))
        ranks[graded[order]] = first_of_value - first_of_group + 1
    else:  # a total that is not a number (NaN): Polars' own ranking
        ranks = batch.struct.unnest().select(
            pl.col("total").rank("min", descending=True).over("group").cast(pl.Int64)).to_series().fill_null(0).to_numpy()
    # The band: how many bands the firm's position passes, in whole numbers.
    position, n = (ranks[graded] - 1) * 10000, counts[graded]
    band = np.zeros(graded.size, np.uint8)
    for _, basis_points in bands[:-1]:
        band += position >= basis_points * n
    codes = pl.Series("_class", np.zeros(total.len(), np.uint8)).scatter(graded, band).scatter(missing, None)
    return pl.struct(
        pl.Series("rank", ranks).scatter(missing, None), pl.Series("graded_in_group", counts),
        pl.Series([b for b, _ in bands], dtype=pl.String).gather(codes).alias("class"), codes, eager=True)


def _summary_parts(firms: pl.DataFrame, method: PerMuMethod, by: str) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Per town or per group: class counts, in-scope land and totals; and the leading firm."""
    status = pl.col("_status")
    # Plain sums of flags and masked figures: a filter inside a group-by aggregation is several times slower.
    table = firms.lazy().group_by(by).agg(
        pl.len().cast(pl.UInt32).alias("firms"),
        (status == 0).cast(pl.UInt32).sum().alias("graded"),
        (status == 1).cast(pl.UInt32).sum().alias("not_graded"),
        (status == 2).cast(pl.UInt32).sum().alias("out_of_scope"),
        *[(pl.col("_class") == n).fill_null(False).cast(pl.UInt32).sum().alias(f"class_{b.id}")
          for n, b in enumerate(method.classes.bands)],
        *[pl.when(status != 2).then(pl.col(c)).sum().alias(c) for c in ("land_mu", "tax", "value_added")],
    )
    # The leader: the graded firm with the highest total, the smallest credit code among equals. In a group
    # these are the firms ranked 1; in a town, the best total is found first. Only the five columns the
    # leader needs are filtered (filtering all ~50 copied a million rows of each).
    leaders = firms.lazy().select(by, "credit_code", "name", "total", "class", "_status", "rank")
    if by == "group":
        leaders = leaders.filter(pl.col("rank") == 1)
    else:
        leaders = leaders.filter(status == 0).filter(pl.col("total") == pl.col("total").max().over(by))
    best = leaders.sort("credit_code").unique(by, keep="first").select(
        by, pl.col("credit_code").alias("leader_code"), pl.col("name").alias("leader_name"),
        pl.col("total").alias("leader_total"), pl.col("class").alias("leader_class"))
    return table, best


def _summary(method: PerMuMethod, by: str, table: pl.DataFrame, best: pl.DataFrame) -> pl.DataFrame:
    return (
        table.join(best, on=by, how="left")
        .with_columns(
            tax_per_mu=pl.when(pl.col("land_mu") > 0).then(pl.col("tax") / pl.col("land_mu")),
            value_added_per_mu=pl.when(pl.col("land_mu") > 0).then(pl.col("value_added") / pl.col("land_mu")),
        )
        .select(by, "firms", "graded", "not_graded", "out_of_scope", *[f"class_{b.id}" for b in method.classes.bands],
                "land_mu", "tax", "value_added", "leader_code", "leader_name", "leader_total", "leader_class",
                "tax_per_mu", "value_added_per_mu")
        .sort(by)
    )


def _frame_sha256(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_csv(buffer, float_precision=None)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def run_record(result: PerMuResult, facts: pl.DataFrame) -> dict[str, Any]:
    """What reproduces a run: the method's hash, the data's hash (format-independent), the results' hash.

    The same method on the same data gives the same three hashes whether the data came from
    CSV, XLSX or Parquet, so a published class can be checked by re-running.
    """
    data = facts.filter(pl.col("year") == result.year).drop("_row", strict=False).sort("credit_code")
    outcome = result.firms.select("credit_code", "status", "total", "rank", "class").sort("credit_code")
    counts = result.firms.group_by("class").len().drop_nulls("class").sort("class")
    return {
        "method_id": result.method.id,
        "method_sha256": method_sha256(result.method),
        "data_sha256": _frame_sha256(data),
        "results_sha256": _frame_sha256(outcome),
        "year": result.year,
        "enterprises": result.firms.height,
        "graded": int((result.firms.get_column("status") == "graded").sum()),
        "classes": dict(counts.iter_rows()),
        "xiaozhen": __version__,
    }
