"""Load programme files, reporting every mistake with its path, key path and line."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ._expressions import ExpressionError, referenced_names
from ._language import parse, uses_aggregates
from ._schema import Policy

#: libyaml's parser where PyYAML was built with it (about ten times faster), else PyYAML's own.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Names every stage can read besides indicators and parameters (see docs/policies.md).
CONTEXT_NAMES = frozenset(
    {
        "category",
        "sub_sector",
        "region_code",
        "tier",
        "period_year",
        "years_elapsed",
        "towns_in_sub_sector",
        "extension_running",
    }
)
#: Names a lifecycle transition can read besides the above.
HISTORY_NAMES = frozenset(
    {"annual_met", "missed_streak", "years_in_tier", "years_in_programme", "excellent"}
)


@dataclass(frozen=True)
class PolicyProblem:
    path: str
    key_path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key_path or '(file)'}: {self.message}"


class PolicyFileError(ValueError):
    """One or more problems in a programme file."""

    def __init__(self, problems: list[PolicyProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _line_map(text: str) -> dict[tuple[Any, ...], int]:
    """Map each key path (as pydantic reports it) to its 1-based line."""
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, key.value)
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    root = yaml.compose(text, Loader=_YAML_LOADER)
    if root is not None:
        walk(root, ())
    return lines


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    loc = tuple(str(p) if not isinstance(p, int) else p for p in loc)
    while loc:
        # pydantic reports the alias "from" as given; YAML keys are strings.
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _key_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_policy_file(path: str | Path) -> Policy:
    """Read and validate one programme file; raise PolicyFileError naming path and line."""
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError([PolicyProblem(shown, "", None, f"cannot read: {exc.strerror}")]) from None
    try:
        return _validated(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyFileError([PolicyProblem(shown, "", line, f"not valid YAML: {problem}")]) from None
    except _Invalid as exc:  # the line map is built only for a file with problems
        lines = _line_map(text)
        raise PolicyFileError([PolicyProblem(shown, _key_path(loc), _nearest_line(lines, loc) if loc else 1, msg)
                               for loc, msg in exc.problems]) from None


class _Invalid(Exception):
    def __init__(self, problems: list[tuple[tuple[Any, ...], str]]):
        self.problems = problems


@functools.lru_cache(maxsize=64)
def _validated(text: str) -> Policy:
    """The programme a file's text describes. Keyed by the text, so an edited file is read afresh; the
    Policy is frozen, so one copy serves every caller (the web syncs the same files on every start and
    the tests on every test)."""
    data = yaml.load(text, Loader=_YAML_LOADER)
    if not isinstance(data, dict):
        raise _Invalid([((), "a programme file must be a mapping")])
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise _Invalid([(tuple(err["loc"]), err["msg"]) for err in exc.errors()]) from None
    problems = check_references(policy)
    if problems:
        raise _Invalid(problems)
    return policy


def auto_names(policy: Policy) -> set[str]:
    """Indicator names plus the cumulative and first-period forms of summed ones."""
    names: set[str] = set()
    for ind in policy.indicators:
        names.add(ind.id)
        if ind.aggregate == "sum":
            names.update({f"cum_{ind.id}", f"first_{ind.id}"})
    return names


def check_references(policy: Policy) -> list[tuple[tuple[Any, ...], str]]:
    """Semantic checks pydantic cannot make: every name an expression reads exists."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    indicators = auto_names(policy)
    params = {p.id for p in policy.parameters}
    categories = {c.id for c in policy.categories}
    base = indicators | params | CONTEXT_NAMES

    def check(
        expr: str, known: set[str] | frozenset[str], loc: tuple[Any, ...], aggregate: bool = False
    ) -> None:
        try:
            names = referenced_names(expr)
        except ExpressionError as exc:
            problems.append((loc, f"{exc} in {expr!r}"))
            return
        if uses_aggregates(parse(expr)) != aggregate:
            need = "must aggregate (SUM, COUNT, AVG, MIN, MAX)" if aggregate else "cannot use SUM, COUNT, AVG, MIN or MAX"
            problems.append((loc, f"this expression {need}: {expr!r}"))
        unknown = [n for n in names if n not in known]
        if unknown:
            problems.append((loc, f"unknown name(s) {', '.join(unknown)} in {expr!r}"))

    derived_before: set[str] = set()
    for i, ind in enumerate(policy.indicators):
        if ind.kind == "derived":
            if not ind.expr:
                problems.append((("indicators", i, "expr"), "a derived indicator needs `expr`"))
            else:
                check(ind.expr, base - {ind.id, f"cum_{ind.id}", f"first_{ind.id}"}, ("indicators", i, "expr"))
            derived_before.add(ind.id)
        elif ind.expr:
            problems.append((("indicators", i, "expr"), "only a derived indicator has `expr`"))
        if ind.part_of and ind.part_of not in indicators:
            problems.append((("indicators", i, "part_of"), f"unknown indicator {ind.part_of!r}"))
    for i, p in enumerate(policy.parameters):
        dates = [v.from_ for v in p.values]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            problems.append((("parameters", i, "values"), "values must be in increasing date order"))
        for j, v in enumerate(p.values):
            stray = set(v.by_category) - categories
            if stray:
                problems.append(
                    (("parameters", i, "values", j, "by_category"), f"unknown category {sorted(stray)}")
                )
    for i, c in enumerate(policy.criteria):
        check(c.expr, base, ("criteria", i, "expr"))
        if c.severity_parameter:
            if c.severity_parameter not in params:
                problems.append((("criteria", i, "severity_parameter"), f"unknown parameter {c.severity_parameter!r}"))
            else:
                p = policy.parameter(c.severity_parameter)
                used = {v.value for v in p.values} | {x for v in p.values for x in v.by_category.values()}
                if not used <= {"must", "should"}:
                    problems.append(
                        (("criteria", i, "severity_parameter"), f"parameter {p.id!r} must hold 'must' or 'should'")
                    )
    for i, group in enumerate(policy.parts_of_whole):
        for j, ident in enumerate([group.whole, *group.parts]):
            if ident not in {ind.id for ind in policy.indicators if ind.kind == "reported"}:
                key = "whole" if j == 0 else "parts"
                problems.append((("parts_of_whole", i, key), f"{ident!r} is not a reported indicator"))
    tiers = {t.id for t in policy.lifecycle.tiers}
    for i, t in enumerate(policy.lifecycle.entry_tiers):
        if t not in tiers:
            problems.append((("lifecycle", "entry_tiers", i), f"unknown tier {t!r}"))
    for i, tr in enumerate(policy.lifecycle.transitions):
        loc = ("lifecycle", "transitions", i)
        for t in tr.from_:
            if t != "*" and t not in tiers:
                problems.append(((*loc, "from"), f"unknown tier {t!r}"))
        if tr.to is not None and tr.to not in tiers:
            problems.append(((*loc, "to"), f"unknown tier {tr.to!r}"))
        if tr.when is not None:
            check(tr.when, base | HISTORY_NAMES, (*loc, "when"))
        elif tr.decided_by == "engine":
            problems.append(((*loc, "when"), "a transition the engine proposes needs `when`"))
        if tr.action == "recommend" and tr.to is not None:
            problems.append(((*loc, "to"), "a recommendation changes no tier: leave out `to`"))
    if policy.lifecycle.excellence:
        check(policy.lifecycle.excellence.score, base, ("lifecycle", "excellence", "score"))
    booleans = {i.id for i in policy.indicators if i.kind == "reported" and i.type == "boolean"}
    for i, step in enumerate(policy.review_chain):
        for j, ident in enumerate(step.confirms):
            if ident not in booleans:
                problems.append(
                    (("review_chain", i, "confirms", j), f"{ident!r} is not a reported yes/no indicator")
                )
    for i, target in enumerate(policy.targets):
        check(target.expr, base, ("targets", i, "expr"), aggregate=True)
    return problems


def resolve_parameter_value(policy: Policy, ident: str, at: dt.date, category: str | None = None) -> Any:
    """The value of a parameter in force at a date, for a category."""
    param = policy.parameter(ident)
    current = None
    for v in param.values:
        if v.from_ <= at:
            current = v
    if current is None:
        raise LookupError(f"{policy.id}: parameter {ident!r} has no value before {at}")
    if category is not None and category in current.by_category:
        return current.by_category[category]
    return current.value
