"""A composite-index method as data: the indicator tree and the steps, validated by pydantic.

A method file (YAML) names its data file, its tree (inline ``nodes`` or a COINr-style
``iMeta`` CSV), and one entry per step. Paths are relative to the method file. A
malformed file raises ``IndexMethodError`` naming the file, the key path and what is
wrong; nothing is computed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ImputeMethod = Literal["none", "mean", "median", "group_mean"]
NormaliseMethod = Literal["minmax", "zscore", "rank", "goalposts", "distance_to_target"]
WeightMethod = Literal["equal", "expert", "entropy", "critic"]
AggregateMethod = Literal["arithmetic", "geometric"]
TreatMethod = Literal["none", "winsorise_then_log"]


class IndexMethodError(ValueError):
    """Problems in a method file or its data: each is ``path: key: message``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    zh: str
    en: str


class Node(_Strict):
    """One node of the tree: an indicator (has no children) or an aggregate."""

    code: str
    name: str = ""
    name_zh: str = ""
    #: The data column an indicator reads (default: its code), so one column can appear twice with
    #: different denominators (e.g. tax, and tax per km²).
    column: str | None = None
    parent: str | None = None
    direction: Literal[1, -1] = 1
    weight: float = Field(1.0, ge=0)
    denominator: str | None = None
    #: Value the distance-to-target normalisation measures against.
    target: float | None = None
    #: [worst, best] for goalposts normalisation.
    goalposts: tuple[float, float] | None = None
    unit: str = ""
    source: str = ""


class DataSpec(_Strict):
    #: The data file; left out when the caller supplies the data (the web platform reads its database).
    file: str | None = None
    unit: str = Field(description="column with the unit code")
    unit_name: str | None = None
    groups: list[str] = []
    denominators: list[str] = []


class TreeSpec(_Strict):
    #: A COINr iMeta CSV (Level, iCode, iName, Direction, Weight, Target, Denominator, Parent, Type).
    metadata: str | None = None
    nodes: list[Node] = []
    level_names: list[str] = []

    @model_validator(mode="after")
    def _one_source(self) -> TreeSpec:
        if bool(self.metadata) == bool(self.nodes):
            raise ValueError("give either metadata (a CSV file) or nodes (a list), not both or neither")
        return self


class ImputeStep(_Strict):
    method: ImputeMethod = "none"
    group: str | None = None

    @model_validator(mode="after")
    def _group_needed(self) -> ImputeStep:
        if self.method == "group_mean" and not self.group:
            raise ValueError("group_mean needs group: the grouping column")
        return self


class ScreenStep(_Strict):
    #: Units with a smaller share of indicators present are dropped (0 keeps everyone).
    min_availability: float = Field(0.0, ge=0, le=1)
    #: COINr's example screens the imputed data set; ``raw`` screens before imputation.
    basis: Literal["raw", "imputed"] = "raw"


class TreatStep(_Strict):
    method: TreatMethod = "none"
    winmax: int = Field(5, ge=0)
    skew: float = Field(2.0, gt=0)
    kurtosis: float = Field(3.5, gt=0)


class NormaliseStep(_Strict):
    method: NormaliseMethod = "minmax"
    range: tuple[float, float] = (0.0, 100.0)


class WeightStep(_Strict):
    method: WeightMethod = "expert"


class AggregateStep(_Strict):
    method: AggregateMethod = "arithmetic"
    #: Added before a geometric mean (and taken off after) so that a zero score does not zero its parent.
    geometric_offset: float = Field(1.0, gt=0)


class Steps(_Strict):
    denominate: bool = False
    impute: ImputeStep = ImputeStep()
    screen: ScreenStep = ScreenStep()
    treat: TreatStep = TreatStep()
    normalise: NormaliseStep = NormaliseStep()
    weight: WeightStep = WeightStep()
    aggregate: AggregateStep = AggregateStep()


class WeightNoise(_Strict):
    #: Each weight is drawn uniformly within ± this share of its nominal value.
    noise: float = Field(0.25, gt=0, lt=1)
    #: Tree levels (2 = parents of indicators, …) whose child weights are perturbed.
    levels: list[int] = [2]


class Uncertainty(_Strict):
    """The alternatives an uncertainty run draws from; each list is one uncertain input."""

    weights: WeightNoise | None = None
    impute: list[ImputeMethod] = []
    treat_winmax: list[int] = []
    normalise: list[NormaliseMethod] = []
    aggregate: list[AggregateMethod] = []

    @field_validator("impute", "normalise", "aggregate", "treat_winmax")
    @classmethod
    def _two_or_more(cls, value: list[Any]) -> list[Any]:
        if value and len(set(value)) < 2:
            raise ValueError("list at least two different alternatives")
        return value


class MethodFile(_Strict):
    id: str
    name: Text
    #: The programme whose figures the method reads in the platform (policies/<id>.yaml).
    programme: str | None = None
    description: str = ""
    source: str = ""
    data: DataSpec
    tree: TreeSpec
    steps: Steps = Steps()
    ranks_within: list[str] = []
    uncertainty: Uncertainty = Uncertainty()


@dataclass(frozen=True)
class Tree:
    """The indicator tree resolved into levels: level 1 are indicators, the top level is the index."""

    nodes: dict[str, Node]
    levels: list[list[str]]
    children: dict[str, list[str]]
    level_names: list[str]

    @property
    def indicators(self) -> list[str]:
        return self.levels[0]

    @property
    def root(self) -> str:
        return self.levels[-1][0]

    def level_of(self, code: str) -> int:
        for i, codes in enumerate(self.levels, start=1):
            if code in codes:
                return i
        raise KeyError(code)

    def aggregates(self) -> list[str]:
        """Every aggregate, top first (index, then its dimensions, …)."""
        return [c for level in reversed(self.levels[1:]) for c in level]


@dataclass(frozen=True)
class Method:
    path: Path
    spec: MethodFile
    tree: Tree

    @property
    def folder(self) -> Path:
        return self.path.parent

    def data_path(self) -> Path:
        if not self.spec.data.file:
            raise IndexMethodError([f"{self.path}: data.file: this method has no data file; its data come from the caller"])
        return self.folder / self.spec.data.file

    def columns(self) -> list[str]:
        """The data column of each indicator, in the tree's order."""
        return [self.tree.nodes[c].column or c for c in self.tree.indicators]

    def resolved(self) -> dict[str, Any]:
        """The method with its tree inlined: what the method hash is taken over."""
        body = self.spec.model_dump(mode="json")
        body["tree"] = {
            "nodes": [self.tree.nodes[c].model_dump(mode="json") for level in self.tree.levels for c in level],
            "level_names": self.tree.level_names,
        }
        return body

    def hash(self) -> str:
        return sha256_json(self.resolved())


def sha256_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _nodes_from_imeta(path: Path) -> list[Node]:
    problems: list[str] = []
    nodes: list[Node] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise IndexMethodError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    for line, row in enumerate(rows, start=2):
        if row.get("Type") not in ("Indicator", "Aggregate"):
            continue

        def num(column: str, row: dict[str, str] = row, line: int = line) -> float | None:
            text = (row.get(column) or "").strip()
            if not text:
                return None
            try:
                return float(text)
            except ValueError:
                problems.append(f"{path}: row {line}, column {column}: {text!r} is not a number")
                return None

        direction = num("Direction")
        weight = num("Weight")
        try:
            nodes.append(Node(
                code=row["iCode"], name=row.get("iName", ""), parent=(row.get("Parent") or None),
                direction=-1 if direction == -1 else 1, weight=1.0 if weight is None else weight,
                denominator=(row.get("Denominator") or None), target=num("Target"), unit=row.get("Unit", ""),
            ))
        except ValidationError as exc:
            problems.append(f"{path}: row {line}: {exc.errors()[0]['msg']}")
    if problems:
        raise IndexMethodError(problems)
    return nodes


def build_tree(nodes: list[Node], level_names: list[str], where: str) -> Tree:
    """Levels from parent links: indicators are nodes nobody names as parent; the root has no parent."""
    problems: list[str] = []
    by_code: dict[str, Node] = {}
    for node in nodes:
        if node.code in by_code:
            problems.append(f"{where}: tree.nodes: code {node.code!r} appears twice")
        by_code[node.code] = node
    children: dict[str, list[str]] = {c: [] for c in by_code}
    for node in nodes:
        if node.parent is not None:
            if node.parent not in by_code:
                problems.append(f"{where}: tree.nodes.{node.code}.parent: {node.parent!r} is not a node of the tree")
            else:
                children[node.parent].append(node.code)
    roots = [n.code for n in nodes if n.parent is None]
    if len(roots) != 1:
        problems.append(f"{where}: tree.nodes: need exactly one root (a node without parent), found {roots}")
    if problems:
        raise IndexMethodError(problems)
    depth: dict[str, int] = {}

    def height(code: str, seen: tuple[str, ...] = ()) -> int:
        if code in seen:
            raise IndexMethodError([f"{where}: tree.nodes.{code}: the parent links form a loop"])
        if code not in depth:
            kids = children[code]
            depth[code] = 1 if not kids else 1 + max(height(k, (*seen, code)) for k in kids)
        return depth[code]

    top = height(roots[0])
    for code in by_code:
        height(code)
    levels: list[list[str]] = [[] for _ in range(top)]
    for node in nodes:
        levels[depth[node.code] - 1].append(node.code)
    for code, kids in children.items():
        if kids and len({depth[k] for k in kids}) != 1:
            problems.append(f"{where}: tree.nodes.{code}: children {kids} are at different levels; "
                            "every aggregate takes children of one level")
        elif kids and depth[kids[0]] != depth[code] - 1:
            problems.append(f"{where}: tree.nodes.{code}: children are more than one level below it")
    if problems:
        raise IndexMethodError(problems)
    names = level_names or [f"Level {i}" for i in range(1, top + 1)]
    if len(names) != top:
        raise IndexMethodError([f"{where}: tree.level_names: {len(names)} names for {top} levels"])
    return Tree(nodes=by_code, levels=levels, children={c: k for c, k in children.items() if k}, level_names=names)


def load_method(path: str | Path) -> Method:
    """Read and validate a method file and its tree; raise ``IndexMethodError`` with every problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise IndexMethodError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except yaml.YAMLError as exc:
        raise IndexMethodError([f"{path}: not valid YAML: {exc}"]) from None
    if not isinstance(raw, dict):
        raise IndexMethodError([f"{path}: the file must be a mapping (key: value), not {type(raw).__name__}"])
    try:
        spec = MethodFile.model_validate(raw)
    except ValidationError as exc:
        raise IndexMethodError([
            f"{path}: {'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}" for err in exc.errors()
        ]) from None
    nodes = list(spec.tree.nodes) if spec.tree.nodes else _nodes_from_imeta(path.parent / str(spec.tree.metadata))
    tree = build_tree(nodes, spec.tree.level_names, str(path))
    problems: list[str] = []
    for code in tree.indicators:
        node = tree.nodes[code]
        if spec.steps.denominate and node.denominator and node.denominator not in spec.data.denominators:
            problems.append(f"{path}: tree.nodes.{code}.denominator: {node.denominator!r} is not in data.denominators")
        if spec.steps.normalise.method == "goalposts" and node.goalposts is None:
            problems.append(f"{path}: tree.nodes.{code}.goalposts: goalposts normalisation needs [worst, best]")
        if spec.steps.normalise.method == "distance_to_target" and (node.target is None or not math.isfinite(node.target)):
            problems.append(f"{path}: tree.nodes.{code}.target: distance-to-target normalisation needs a target")
    if spec.steps.impute.group and spec.steps.impute.group not in spec.data.groups:
        problems.append(f"{path}: steps.impute.group: {spec.steps.impute.group!r} is not in data.groups")
    normalisations = {spec.steps.normalise.method, *spec.uncertainty.normalise}
    aggregations = {spec.steps.aggregate.method, *spec.uncertainty.aggregate}
    if "geometric" in aggregations and "zscore" in normalisations:
        problems.append(f"{path}: uncertainty: a geometric mean needs non-negative scores, and z-scores are negative; "
                        "drop zscore or geometric")
    for group in spec.ranks_within:
        if group not in spec.data.groups:
            problems.append(f"{path}: ranks_within: {group!r} is not in data.groups")
    if problems:
        raise IndexMethodError(problems)
    return Method(path=path, spec=spec, tree=tree)
