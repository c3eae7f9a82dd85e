"""Reforms (what-if), as OpenFisca does them: a small file that changes a programme for one run.

    # examples/reforms/zhejiang-green-binding.yaml
    name: {zh: 绿化覆盖率改为硬性要求, en: Green cover made binding}
    description: 省里考虑把 002 §二(三)2 的 30% 绿化覆盖率从"原则上"改为必须达到。
    parameters:
      green_coverage_severity: [{from: 2024-01-01, value: must}]   # replaces the file's values from that date on
      green_coverage_min: [{from: 2024-01-01, value: 0.35}]
    criteria:
      app_planned_area: must                                      # switch a criterion's severity

``apply_reform`` returns a new, validated Policy; the original is untouched. Nothing a reform does is
published: the engine runs the year under both and ``compare_*`` in ``xiaozhen.engine`` lists the towns
whose verdict or decision changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from ._loader import PolicyFileError, PolicyProblem, check_references
from ._schema import Policy, Text, _Model


class ParameterChange(_Model):
    from_: Any = Field(alias="from")
    value: Any
    by_category: dict[str, Any] = Field(default_factory=dict)


class Reform(_Model):
    name: Text
    description: str | None = None
    parameters: dict[str, list[ParameterChange]] = Field(default_factory=dict)
    criteria: dict[str, str] = Field(default_factory=dict)


def read_reform(path: str | Path) -> Reform:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError([PolicyProblem(str(path), "", None, f"cannot read: {exc.strerror}")]) from None
    return parse_reform(text, str(path))


def parse_reform(text: str, source: str = "<reform>") -> Reform:
    """A reform from its YAML text (a file, or what an officer typed in the web's what-if page)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyFileError([PolicyProblem(source, "", mark.line + 1 if mark else None, "not valid YAML")]) from None
    try:
        return Reform.model_validate(data)
    except ValidationError as exc:
        raise PolicyFileError(
            [PolicyProblem(source, ".".join(str(p) for p in e["loc"]), None, e["msg"]) for e in exc.errors()]
        ) from None


def apply_reform(policy: Policy, reform: Reform, source: str = "<reform>") -> Policy:
    """The programme as the reform would have it; PolicyFileError names what does not fit."""
    problems: list[PolicyProblem] = []
    data = policy.model_dump(by_alias=True)
    params = {p["id"]: p for p in data["parameters"]}
    for ident, changes in reform.parameters.items():
        if ident not in params:
            problems.append(PolicyProblem(source, f"parameters.{ident}", None, f"{policy.id} has no parameter {ident!r}"))
            continue
        # As OpenFisca's reforms: a value from a date replaces the file's values from that date on.
        start = min(str(c.from_) for c in changes) if changes else None
        values = {str(v["from"]): v for v in params[ident]["values"] if start is None or str(v["from"]) < start}
        for change in changes:
            values[str(change.from_)] = {"from": change.from_, "value": change.value, "by_category": change.by_category}
        params[ident]["values"] = [values[k] for k in sorted(values)]
    criteria = {c["id"]: c for c in data["criteria"]}
    for ident, severity in reform.criteria.items():
        if ident not in criteria:
            problems.append(PolicyProblem(source, f"criteria.{ident}", None, f"{policy.id} has no criterion {ident!r}"))
        elif severity not in ("must", "should"):
            problems.append(PolicyProblem(source, f"criteria.{ident}", None, f"severity is must or should, not {severity!r}"))
        else:
            criteria[ident]["severity"] = severity
            criteria[ident]["severity_parameter"] = None
    if problems:
        raise PolicyFileError(problems)
    try:
        changed = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyFileError(
            [PolicyProblem(source, ".".join(str(p) for p in e["loc"]), None, e["msg"]) for e in exc.errors()]
        ) from None
    found = check_references(changed)
    if found:
        raise PolicyFileError([PolicyProblem(source, ".".join(map(str, loc)), None, msg) for loc, msg in found])
    return changed
