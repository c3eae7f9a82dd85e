"""Run a method on its data: every step in order, every step's numbers kept, and a record to rebuild the run."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from .. import __version__
from ._method import IndexMethodError, Method, load_method, sha256_json
from ._steps import (
    Array,
    Treatment,
    aggregate,
    availability,
    critic_weights,
    entropy_weights,
    impute,
    normalise,
    rank_descending,
    treat_column,
)


@dataclass(frozen=True)
class IndexData:
    """The data a method reads: unit codes and names, groups, denominators and raw indicator values."""

    units: list[str]
    names: list[str]
    groups: dict[str, list[str | None]]
    denominators: dict[str, Array]
    raw: Array  # units × indicators, in the tree's indicator order
    data_hash: str


@dataclass(frozen=True)
class Choices:
    """The choices one run makes; the method's steps are the nominal choices."""

    impute: str
    normalise: str
    aggregate: str
    weight: str
    treat_winmax: int


@dataclass(frozen=True)
class Prepared:
    """Everything before weighting: the data after denomination, imputation, screening, treatment, normalisation."""

    units: list[str]
    kept: NDArray[np.bool_]  # per input unit: kept after screening
    denominated: Array
    imputed: Array
    screened_out: list[str]
    availability: Array
    treated: Array
    treatments: list[Treatment]
    normalised: Array


@dataclass(frozen=True)
class RunRecord:
    """Enough to rebuild a run: the resolved method, its hash, the data's hash and the software version."""

    method_id: str
    method_hash: str
    data_file: str
    data_hash: str
    parameters: dict[str, Any]
    software: str
    created: str


@dataclass(frozen=True)
class IndexResult:
    method: Method
    units: list[str]  # units kept after screening, in data order
    names: list[str]
    scores: dict[str, Array]  # every node (indicators normalised, aggregates) → score per unit
    ranks: dict[str, Array]  # every aggregate → rank per unit (1 = best)
    group_ranks: dict[str, dict[str, Array]]  # group column → aggregate → rank within the unit's group
    groups: dict[str, list[str | None]]
    weights: dict[str, float]  # every non-root node → its weight within its parent (summing to 1)
    prepared: Prepared
    record: RunRecord
    extra: dict[str, Any] = field(default_factory=dict)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_data(method: Method) -> IndexData:
    """Read the data file (CSV or XLSX); a missing column or a non-number names the file, row and column."""
    path = method.data_path()
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            frame = pl.read_excel(path, engine="calamine")
        else:
            frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise IndexMethodError([f"{path}: cannot read: {exc}"]) from None
    rows = [{k: (None if v is None else str(v)) for k, v in row.items()} for row in frame.iter_rows(named=True)]
    return index_data(method, rows, columns=frame.columns, source=str(path), data_hash=file_hash(path))


def index_data(method: Method, rows: list[dict[str, Any]], *, columns: list[str] | None = None,
               source: str = "<rows>", data_hash: str | None = None) -> IndexData:
    """Data from plain rows (one per unit): what ``read_data`` does for a file, and the platform for its database.

    Cells may be numbers or text; blank, NA, - and None are missing. Problems name the row (the first data
    row is row 2, as in a spreadsheet) and the column.
    """
    spec = method.spec.data
    columns = columns if columns is not None else sorted({k for r in rows for k in r})
    indicator_columns = method.columns()
    needed = [spec.unit, *spec.groups, *spec.denominators, *indicator_columns]
    if spec.unit_name:
        needed.append(spec.unit_name)
    missing = list(dict.fromkeys(c for c in needed if c not in columns))
    if missing:
        raise IndexMethodError([f"{source}: missing column(s) {', '.join(missing)}"])
    problems: list[str] = []

    def numbers(column: str) -> Array:
        out = np.full(len(rows), np.nan)
        for i, row in enumerate(rows):
            cell = row.get(column)
            if isinstance(cell, int | float) and not isinstance(cell, bool):
                out[i] = float(cell)
                continue
            text = "" if cell is None else str(cell).strip()
            if text in ("", "NA", "NaN", "nan", "-", "—"):
                continue
            try:
                out[i] = float(text.replace(",", ""))
            except ValueError:
                problems.append(f"{source}: row {i + 2}, column {column}: {text!r} is not a number")
        return out

    raw = np.column_stack([numbers(c) for c in indicator_columns]) if indicator_columns else np.empty((len(rows), 0))
    denoms = {c: numbers(c) for c in spec.denominators}
    units = ["" if r.get(spec.unit) is None else str(r.get(spec.unit)).strip() for r in rows]
    seen: set[str] = set()
    for i, u in enumerate(units):
        if not u:
            problems.append(f"{source}: row {i + 2}, column {spec.unit}: empty unit code")
        elif u in seen:
            problems.append(f"{source}: row {i + 2}, column {spec.unit}: unit {u!r} appears twice")
        seen.add(u)
    if problems:
        raise IndexMethodError(problems[:50])
    names = [str(r.get(spec.unit_name) or u) for r, u in zip(rows, units, strict=True)] if spec.unit_name else units
    groups: dict[str, list[str | None]] = {
        g: [None if r.get(g) in (None, "") else str(r.get(g)) for r in rows] for g in spec.groups
    }
    if data_hash is None:
        data_hash = sha256_json([{k: r.get(k) for k in needed} for r in rows])
    return IndexData(units=units, names=names, groups=groups, denominators=denoms, raw=raw, data_hash=data_hash)


def nominal_choices(method: Method) -> Choices:
    steps = method.spec.steps
    return Choices(impute=steps.impute.method, normalise=steps.normalise.method, aggregate=steps.aggregate.method,
                   weight=steps.weight.method, treat_winmax=steps.treat.winmax)


def prepare(method: Method, data: IndexData, choices: Choices, keep: NDArray[np.bool_] | None = None) -> Prepared:
    """Denominate, impute, screen, treat and normalise (the steps before weighting).

    ``keep`` overrides screening (uncertainty runs keep the nominal run's units so ranks compare).
    """
    steps = method.spec.steps
    tree = method.tree
    x = data.raw.copy()
    if steps.denominate:
        for j, code in enumerate(tree.indicators):
            denom = tree.nodes[code].denominator
            if denom:
                with np.errstate(all="ignore"):
                    x[:, j] = x[:, j] / data.denominators[denom]
    denominated = x
    group_values = None
    if steps.impute.group:
        group_values = np.array(data.groups[steps.impute.group], dtype=object)
    imputed = impute(denominated, choices.impute, group_values)
    basis = denominated if steps.screen.basis == "raw" else imputed
    avail = availability(basis)
    kept = avail >= steps.screen.min_availability - 1e-12 if keep is None else keep
    screened_out = [u for u, k in zip(data.units, kept, strict=True) if not k]
    y = imputed[kept]
    treatments: list[Treatment] = []
    if steps.treat.method == "winsorise_then_log":
        cols = []
        for j, code in enumerate(tree.indicators):
            col, info = treat_column(y[:, j], code, choices.treat_winmax, steps.treat.skew, steps.treat.kurtosis)
            cols.append(col)
            treatments.append(info)
        treated = np.column_stack(cols) if cols else y
    else:
        treated = y.copy()
    directions = np.array([float(tree.nodes[c].direction) for c in tree.indicators])
    targets = np.array([np.nan if tree.nodes[c].target is None else float(tree.nodes[c].target or 0)
                        for c in tree.indicators])
    goalposts = None
    if choices.normalise == "goalposts":
        goalposts = np.array([tree.nodes[c].goalposts or (np.nan, np.nan) for c in tree.indicators], dtype=float)
    low, high = steps.normalise.range
    normalised = normalise(treated, choices.normalise, directions, low, high, targets=targets, goalposts=goalposts)
    units = [u for u, k in zip(data.units, kept, strict=True) if k]
    return Prepared(units=units, kept=kept, denominated=denominated, imputed=imputed, screened_out=screened_out,
                    availability=avail, treated=treated, treatments=treatments, normalised=normalised)


def child_weights(method: Method, parent: str, child_scores: Array, how: str) -> Array:
    """Weights of a parent's children, summing to 1: equal, expert (the tree's), entropy or CRITIC of the
    children's scores."""
    kids = method.tree.children[parent]
    if how == "equal":
        w = np.ones(len(kids))
    elif how == "expert":
        w = np.array([method.tree.nodes[k].weight for k in kids], dtype=float)
    elif how == "entropy":
        w = entropy_weights(child_scores)
    elif how == "critic":
        w = critic_weights(child_scores)
    else:
        raise ValueError(f"unknown weighting {how!r}")
    total = w.sum()
    return w / total if total > 0 else np.full(len(kids), 1.0 / len(kids))


def score_tree(method: Method, prepared: Prepared, choices: Choices) -> tuple[dict[str, Array], dict[str, float]]:
    """Aggregate level by level; returns every node's scores and every child's weight within its parent."""
    tree = method.tree
    scores: dict[str, Array] = {c: prepared.normalised[:, j] for j, c in enumerate(tree.indicators)}
    weights: dict[str, float] = {}
    offset = method.spec.steps.aggregate.geometric_offset
    for level in tree.levels[1:]:
        for parent in level:
            kids = tree.children[parent]
            block = np.column_stack([scores[k] for k in kids])
            w = child_weights(method, parent, block, choices.weight)
            weights.update({k: float(v) for k, v in zip(kids, w, strict=True)})
            scores[parent] = aggregate(block, w, choices.aggregate, offset)
    return scores, weights


def run_index(method: Method | str | Path, data: IndexData | None = None, choices: Choices | None = None) -> IndexResult:
    """Run a method: scores and ranks of every aggregate, ranks within each ``ranks_within`` group."""
    if not isinstance(method, Method):
        method = load_method(method)
    data = data or read_data(method)
    choices = choices or nominal_choices(method)
    prepared = prepare(method, data, choices)
    scores, weights = score_tree(method, prepared, choices)
    aggregates = method.tree.aggregates()
    ranks = {a: rank_descending(scores[a]) for a in aggregates}
    kept_names = [n for n, k in zip(data.names, prepared.kept, strict=True) if k]
    kept_groups = {g: [v for v, k in zip(vals, prepared.kept, strict=True) if k] for g, vals in data.groups.items()}
    group_ranks: dict[str, dict[str, Array]] = {}
    for g in method.spec.ranks_within:
        labels = kept_groups[g]
        per: dict[str, Array] = {}
        for a in aggregates:
            out = np.full(len(labels), np.nan)
            for label in {v for v in labels if v is not None}:
                rows = np.array([v == label for v in labels])
                out[rows] = rank_descending(scores[a][rows])
            per[a] = out
        group_ranks[g] = per
    record = RunRecord(
        method_id=method.spec.id, method_hash=method.hash(), data_file=method.spec.data.file or "",
        data_hash=data.data_hash, parameters=method.resolved(), software=f"xiaozhen {__version__}",
        created=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )
    return IndexResult(method=method, units=prepared.units, names=kept_names, scores=scores, ranks=ranks,
                       group_ranks=group_ranks, groups=kept_groups, weights=weights, prepared=prepared, record=record)


def rebuild(record: RunRecord, folder: str | Path) -> IndexResult:
    """Re-run a recorded run from its resolved method; refuses if the data file's hash no longer matches."""
    import yaml

    folder = Path(folder)
    path = folder / f".rebuild-{record.method_hash[:12]}.yaml"
    path.write_text(yaml.safe_dump(record.parameters, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        method = load_method(path)
        data = read_data(method)
    finally:
        path.unlink(missing_ok=True)
    if data.data_hash != record.data_hash:
        raise IndexMethodError([f"{folder / record.data_file}: data changed since the run "
                                f"(hash {data.data_hash[:12]}…, recorded {record.data_hash[:12]}…)"])
    if method.hash() != record.method_hash:
        raise IndexMethodError([f"the rebuilt method hash {method.hash()[:12]}… differs from the record's"])
    return run_index(method, data)
