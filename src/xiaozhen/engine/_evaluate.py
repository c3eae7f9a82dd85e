"""Evaluate a stage's criteria for every town at once."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..glossary import Glossary, term
from ..policy import Criterion, Policy, Text, compile_expression, referenced_names
from ..policy._language import names, parse
from ._frame import ID, YEAR, add_context, collapse_plans, cumulate_actuals

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


def outcome_column(criterion_id: str) -> str:
    return f"c__{criterion_id}"


@dataclass(frozen=True)
class CriterionOutcome:
    """One criterion for one town: the outcome and the numbers behind it."""

    criterion_id: str
    label: Text
    clause: str
    severity: str
    outcome: str
    values: dict[str, Any]
    thresholds: dict[str, Any]

    def explain(self, lang: str = "zh", glossary: Glossary | None = None) -> str:
        """``[fail] label (clause): name=value, …`` — or, with the programme's glossary, as a person reads
        it: ``不符合 label (clause): 累计计入投资 29.77 亿元，…`` (what the web and the CLI store and show)."""
        label = self.label.zh if lang == "zh" else self.label.en
        named = {**self.values, **self.thresholds}
        if glossary is None:
            vals = ", ".join(f"{k}={_fmt(v)}" for k, v in named.items())
            return f"[{self.outcome}] {label} ({self.clause}): {vals}"
        words = [(glossary.label(k), glossary.value(k, v)) for k, v in named.items()]
        if lang == "zh":
            vals = "，".join(f"{w.zh} {v}" for w, v in words)
            return f"{term('outcome', self.outcome).zh} {label} ({self.clause}): {vals}"
        vals = "; ".join(f"{w.en} {v}" for w, v in words)
        return f"{term('outcome', self.outcome).en} {label} ({self.clause}): {vals}"


@dataclass(frozen=True)
class TownVerdict:
    town_id: str
    town_name: str | None
    period_year: int | None
    verdict: str
    outcomes: tuple[CriterionOutcome, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> list[CriterionOutcome]:
        return [o for o in self.outcomes if o.outcome == FAIL]


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return f"{value:.4g}"
    return "—" if value is None else str(value)


def _explained_names(policy: Policy, criterion_expr: str) -> tuple[list[str], list[str]]:
    """Split what an expression reads into values (with derived inputs) and thresholds."""
    params = {p.id for p in policy.parameters}
    derived = {i.id: i.expr for i in policy.indicators if i.kind == "derived" and i.expr}
    summed = {i.id for i in policy.indicators if i.aggregate == "sum"}
    values: list[str] = []
    thresholds: list[str] = []
    for name in names(parse(criterion_expr), window_columns=True):
        if name in params:
            thresholds.append(name)
            continue
        values.append(name)
        prefix = "cum_" if name.startswith("cum_") else ("first_" if name.startswith("first_") else "")
        base = name.removeprefix(prefix)
        if base in derived:
            values += [prefix + n if n in summed else n for n in referenced_names(derived[base] or "") if n not in params]
    return list(dict.fromkeys(values)), list(dict.fromkeys(thresholds))


def apply_criteria(frame: pl.DataFrame, criteria: list[Criterion]) -> pl.DataFrame:
    """Add one nullable Boolean column per criterion: true pass, false fail, null unknown."""
    exprs = [
        compile_expression(c.expr).cast(pl.Boolean).alias(outcome_column(c.id)) for c in criteria
    ]
    return frame.with_columns(exprs) if exprs else frame


def is_must(criterion: Criterion) -> pl.Expr:
    """Whether the criterion binds on each row: its ``severity``, or its severity parameter's value."""
    if criterion.severity_parameter:
        return (pl.col(criterion.severity_parameter) == "must").fill_null(criterion.severity == "must")
    return pl.lit(criterion.severity == "must")


def row_severity(criterion: Criterion, row: dict[str, Any]) -> str:
    if criterion.severity_parameter and row.get(criterion.severity_parameter) in ("must", "should"):
        return str(row[criterion.severity_parameter])
    return criterion.severity


def verdict_expr(criteria: list[Criterion], name: str = "verdict") -> pl.Expr:
    binding = [c for c in criteria if c.severity == "must" or c.severity_parameter]
    if not binding:
        return pl.lit(PASS).alias(name)
    any_fail = pl.any_horizontal(
        [(pl.col(outcome_column(c.id)).not_().fill_null(False) & is_must(c)) for c in binding]
    )
    any_unknown = pl.any_horizontal([(pl.col(outcome_column(c.id)).is_null() & is_must(c)) for c in binding])
    return (
        pl.when(any_fail).then(pl.lit(FAIL)).when(any_unknown).then(pl.lit(UNKNOWN)).otherwise(pl.lit(PASS)).alias(name)
    )


def prepare(policy: Policy, facts: pl.DataFrame, stage: str, at: dt.date | None) -> pl.DataFrame:
    """The frame a stage's criteria read, with parameters and context added."""
    if stage == "application":
        return add_context(collapse_plans(facts, policy, at))
    return add_context(cumulate_actuals(facts, policy))


@dataclass
class Evaluation:
    """Wide results: one row per town (and year), one outcome column per criterion."""

    policy: Policy
    stage: str
    at: dt.date | None
    criteria: list[Criterion]
    frame: pl.DataFrame

    def verdicts(self) -> pl.DataFrame:
        fails = [pl.when(pl.col(outcome_column(c.id)) == False).then(pl.lit(c.id)) for c in self.criteria]  # noqa: E712
        unknowns = [pl.when(pl.col(outcome_column(c.id)).is_null()).then(pl.lit(c.id)) for c in self.criteria]
        cols = [ID, "town_name", YEAR, "verdict"]
        out = self.frame.select(
            *cols,
            pl.concat_list(fails).list.drop_nulls().alias("failed") if fails else pl.lit([]).alias("failed"),
            pl.concat_list(unknowns).list.drop_nulls().alias("unknown") if unknowns else pl.lit([]).alias("unknown"),
        )
        return out

    def __len__(self) -> int:
        return self.frame.height

    def __iter__(self) -> Iterator[TownVerdict]:
        for row in self.frame.iter_rows(named=True):
            yield self._verdict(row)

    def town(self, town_id: str, period_year: int | None = None) -> TownVerdict:
        rows = self.frame.filter(pl.col(ID) == town_id)
        if period_year is not None:
            rows = rows.filter(pl.col(YEAR) == period_year)
        if rows.is_empty():
            raise KeyError(town_id)
        return self._verdict(rows.row(-1, named=True))

    def _verdict(self, row: dict[str, Any]) -> TownVerdict:
        outcomes = []
        for c in self.criteria:
            values, thresholds = _explained_names(self.policy, c.expr)
            raw = row[outcome_column(c.id)]
            outcomes.append(
                CriterionOutcome(
                    criterion_id=c.id,
                    label=c.label,
                    clause=c.clause,
                    severity=row_severity(c, row),
                    outcome=UNKNOWN if raw is None else (PASS if raw else FAIL),
                    values={n: row.get(n) for n in values},
                    thresholds={n: row.get(n) for n in thresholds},
                )
            )
        return TownVerdict(row[ID], row.get("town_name"), row.get(YEAR), row.get("verdict") or row[f"verdict__{self.stage}"], tuple(outcomes))

    def long(self) -> pl.DataFrame:
        """One row per town, year and criterion, for export."""
        records = []
        for tv in self:
            for o in tv.outcomes:
                records.append(
                    {
                        "town_id": tv.town_id,
                        "town_name": tv.town_name,
                        "period_year": tv.period_year,
                        "verdict": tv.verdict,
                        "criterion": o.criterion_id,
                        "label_zh": o.label.zh,
                        "label_en": o.label.en,
                        "severity": o.severity,
                        "outcome": o.outcome,
                        "clause": o.clause,
                        "values": ", ".join(f"{k}={_fmt(v)}" for k, v in o.values.items()),
                        "thresholds": ", ".join(f"{k}={_fmt(v)}" for k, v in o.thresholds.items()),
                    }
                )
        return pl.DataFrame(records, infer_schema_length=None)


def evaluate(
    policy: Policy,
    facts: pl.DataFrame,
    stage: str,
    at: dt.date | None = None,
    *,
    all_years: bool = False,
    prepared: pl.DataFrame | None = None,
) -> Evaluation:
    """Evaluate ``stage``'s criteria over all towns in ``facts``.

    Application reads plan rows, one result per town. The other stages read
    actual rows and give, per town, the latest year up to ``at`` — or every
    year when ``all_years`` is set. ``prepared`` reuses ``prepare()``'s frame
    for the same facts, so several stages share one preparation.
    """
    criteria = policy.criteria_for(stage)
    if not criteria:
        raise ValueError(f"{policy.id} has no criteria for stage {stage!r}")
    frame = prepared if prepared is not None else prepare(policy, facts, stage, at)
    if stage != "application":
        if at is not None:
            frame = frame.filter(pl.col(YEAR) <= at.year)
        if not all_years:
            frame = frame.filter(pl.col(YEAR) == pl.col(YEAR).max().over(ID))
    frame = apply_criteria(frame, criteria).with_columns(verdict_expr(criteria))
    return Evaluation(policy, stage, at, criteria, frame)
