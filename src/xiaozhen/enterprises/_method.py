"""Per-mu evaluation methods (亩均效益评价办法) as data files, validated with pydantic.

A method says which indicators are computed (numerator ÷ denominator over an enterprise's
yearly figures), the benchmark of each (a fixed value or a percentile of the population),
its weight and the cap on value ÷ benchmark, what happens when data are missing, who is in
scope, who is scored but not graded, and the classes by rank percentile. Every number
carries a ``source``: the document and clause it comes from, or "xiaozhen default" with why.

See docs/per-mu.md for the format and methods/per-mu/ for the shipped methods.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..policy._loader import PolicyFileError, PolicyProblem, _key_path, _line_map, _nearest_line

__all__ = [
    "FIELDS",
    "Benchmark",
    "ClassBand",
    "Exclusion",
    "MethodIndicator",
    "PerMuMethod",
    "load_method",
    "method_sha256",
]

#: The figures an indicator can divide, with their units (see docs/per-mu.md).
FIELDS: dict[str, tuple[str, str]] = {
    "tax": ("税收实际贡献", "万元"),
    "value_added": ("工业增加值", "万元"),
    "revenue": ("主营业务收入", "万元"),
    "output": ("工业总产值", "万元"),
    "energy": ("综合能耗", "吨标准煤"),
    "emissions": ("主要污染物排放当量", "吨"),
    "employees": ("年平均职工人数", "人"),
    "rd_spend": ("研发经费支出", "万元"),
    "land_mu": ("用地面积(自有+租赁)", "亩"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


Source = Annotated[str, Field(min_length=3, description="document and clause, or 'xiaozhen default: why'")]


class Benchmark(_Strict):
    """What value ÷ benchmark divides by: a fixed number, or a percentile of the graded population."""

    kind: Literal["fixed", "percentile"]
    value: float = Field(description="fixed: the benchmark in the indicator's unit; percentile: 0–1")
    source: Source

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Benchmark:
        if self.kind == "fixed" and not self.value > 0:
            raise ValueError("a fixed benchmark must be above 0")
        if self.kind == "percentile" and not 0 < self.value <= 1:
            raise ValueError("a percentile benchmark is a share between 0 (exclusive) and 1")
        return self


class MethodIndicator(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    unit: str
    numerator: str
    denominator: str
    weight: float = Field(gt=0)
    cap: float = Field(gt=0, description="the most value ÷ benchmark counts for")
    benchmark: Benchmark
    when_denominator_zero: Literal["missing", "cap"] = "missing"
    source: Source

    @field_validator("numerator", "denominator")
    @classmethod
    def _known_field(cls, name: str) -> str:
        if name not in FIELDS:
            raise ValueError(f"unknown figure {name!r}; known: {', '.join(FIELDS)}")
        return name


class Exclusion(_Strict):
    """Scored but not graded (参与评价但不分类): new firms and firms still building."""

    id: Literal["new_firm", "in_construction"]
    label: Label
    years: int | None = Field(default=None, ge=1, description="new_firm: founded fewer than this many years before the year")
    source: Source

    @model_validator(mode="after")
    def _years_for_new(self) -> Exclusion:
        if self.id == "new_firm" and self.years is None:
            raise ValueError("new_firm needs years")
        return self


class Scope(_Strict):
    """Who is evaluated: above-scale firms only, or also smaller firms on at least ``min_land_mu``."""

    min_land_mu: float = Field(ge=0)
    min_land_applies_to: Literal["all", "below_scale"] = Field(
        description="below_scale: above-scale firms are in whatever their land (浙政发〔2018〕5号)")
    above_scale_only: bool
    source: Source


class Missing(_Strict):
    """A missing figure (or a zero denominator without ``cap``): score 0, or the firm is not graded."""

    rule: Literal["zero", "not_graded"]
    source: Source


class ClassBand(_Strict):
    id: str = Field(pattern=r"^[A-Z]$")
    label: Label
    up_to: Decimal = Field(gt=0, le=1, description="cumulative share of graded firms, e.g. 0.20")

    @property
    def basis_points(self) -> int:
        return int(self.up_to * 10000)


class Classes(_Strict):
    bands: list[ClassBand] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _increasing_to_one(self) -> Classes:
        shares = [b.up_to for b in self.bands]
        if any(b <= a for a, b in itertools.pairwise(shares)):
            raise ValueError("cumulative shares must increase")
        if shares[-1] != 1:
            raise ValueError("the last class must reach 1 (every graded firm gets a class)")
        if any(b.up_to * 10000 != int(b.up_to * 10000) for b in self.bands):
            raise ValueError("shares have at most four decimals (basis points)")
        if len({b.id for b in self.bands}) != len(self.bands):
            raise ValueError("class ids repeat")
        return self


class PerMuMethod(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: Label
    source: Source
    group_by: Literal["county", "all"] = Field(description="benchmarks, ranks and classes within each county, or over the file")
    scope: Scope
    missing: Missing
    exclusions: list[Exclusion] = []
    indicators: list[MethodIndicator] = Field(min_length=1)
    classes: Classes

    @model_validator(mode="after")
    def _unique_indicators(self) -> PerMuMethod:
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError("indicator ids repeat")
        return self

    def with_classes(self, bands: list[tuple[str, str, str, Decimal]], source: str) -> PerMuMethod:
        """The same method with an office's own class shares (an office may override the default)."""
        classes = Classes(
            bands=[ClassBand(id=i, label=Label(zh=zh, en=en), up_to=s) for i, zh, en, s in bands], source=source
        )
        return self.model_copy(update={"classes": classes})

    @property
    def total_weight(self) -> float:
        return sum(i.weight for i in self.indicators)


def method_sha256(method: PerMuMethod) -> str:
    """A hash of the method's content (not its file's layout): the same rules give the same hash."""
    return hashlib.sha256(method.model_dump_json().encode()).hexdigest()


def load_method(path: str | Path) -> PerMuMethod:
    """Read and validate a method file; raise PolicyFileError naming path, key path and line."""
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError([PolicyProblem(shown, "", None, f"无法读取 / cannot read: {exc.strerror}")]) from None
    try:
        data = yaml.safe_load(text)
        lines = _line_map(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyFileError([PolicyProblem(shown, "", mark.line + 1 if mark else None, f"not valid YAML: {problem}")]) from None
    if not isinstance(data, dict):
        raise PolicyFileError([PolicyProblem(shown, "", 1, "评价办法文件应为映射 / a method file must be a mapping")])
    try:
        return PerMuMethod.model_validate(data)
    except ValidationError as exc:
        raise PolicyFileError([
            PolicyProblem(shown, _key_path(err["loc"]), _nearest_line(lines, err["loc"]), err["msg"])
            for err in exc.errors()
        ]) from None


def methods_dir() -> Path:
    """``XIAOZHEN_METHODS`` if set, else the repository's ``methods/per-mu/`` folder."""
    env = os.environ.get("XIAOZHEN_METHODS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "methods" / "per-mu"


def find_method(ident: str | Path) -> PerMuMethod:
    """A method by file path, or by id (a file ``<id>.yaml`` in ``methods_dir()``)."""
    path = Path(ident)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_method(path)
    return load_method(methods_dir() / f"{ident}.yaml")


def shown_value(unit: str, value: float | None) -> str:
    """An indicator value as people read it: 12.5 万元/亩, 2.67%, — when missing (CLI and web share this)."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return "—"
    if unit == "share":
        return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"
    text = f"{round(value, 4):,.4f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"
