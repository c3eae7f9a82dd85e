"""What every command shares: bilingual labels, finding a programme, formatting values, writing output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .._output import Sheet, to_json, write_xlsx
from ..glossary import TERMS, term_text
from ..policy import Policy, PolicyFileError, PolicyProblem, load_policy_file, policy_files
from ..present import label_of, number, percent, show_value, unit_of  # noqa: F401  (the commands import them from here)

# The command line's one-line labels, from the one vocabulary (xiaozhen.glossary).
STAGE_LABELS = {k: term_text("stage", k) for k in TERMS["stage"]}
OUTCOME_LABELS = {k: f"{mark} {term_text('outcome', k)}" for k, mark in (("pass", "✓"), ("fail", "✗"), ("unknown", "?"))}
SEVERITY_LABELS = {k: term_text("severity", k) for k in TERMS["severity"]}
ACTION_LABELS = {k: term_text("action", k) for k in TERMS["action"]}
YES_NO = {True: "是 yes", False: "否 no", None: "— n/a"}


class CliError(Exception):
    """Bad input from the user: shown as one message, exit code 2."""


class PolicyProblems(Exception):
    """Programme files with problems: each shown as path:line: key path: message, exit code 2."""

    def __init__(self, problems: list[PolicyProblem], note: str = ""):
        self.problems = problems
        self.note = note
        super().__init__(note)


def shown_path(path: Path) -> Path:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


_LOADED: dict[tuple[str, int, int], Policy] = {}


def load_file(path: Path) -> Policy:
    """Load a programme file, once per version of it (tests and long runs call this many times)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _LOADED:
        _LOADED[key] = load_policy_file(path)
    return _LOADED[key]


def load_policies(directory: Path | None = None) -> tuple[dict[str, tuple[Policy, Path]], list[PolicyProblem]]:
    """Every programme file, each loaded on its own: one broken file does not hide the others."""
    found: dict[str, tuple[Policy, Path]] = {}
    problems: list[PolicyProblem] = []
    for path in map(shown_path, policy_files(directory)):
        try:
            policy = load_file(path)
        except PolicyFileError as exc:
            problems.extend(exc.problems)
            continue
        if policy.id in found:
            problems.append(
                PolicyProblem(str(path), "identity.id", None,
                              f"编号与 {found[policy.id][1]} 重复 / id {policy.id!r} is also used by {found[policy.id][1]}")
            )
            continue
        found[policy.id] = (policy, path)
    return found, problems


def find_policy(ident: str) -> Policy:
    """A programme by id, or by the path of its file."""
    path = Path(ident)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        try:
            return load_file(path) if path.is_file() else load_policy_file(path)
        except PolicyFileError as exc:
            raise PolicyProblems(exc.problems) from None
    found, problems = load_policies()
    if ident in found:
        return found[ident][0]
    known = ", ".join(sorted(found)) or "(none)"
    note = f"没有编号为 {ident!r} 的计划 / no programme {ident!r}; known: {known}"
    if problems:
        raise PolicyProblems(problems, note + " (另有文件无法读取 / some programme files have problems)")
    raise CliError(note)


def shown_name(policy: Policy, name: str) -> str:
    """A name as the CLI prints it: the facts file's column name, which the user typed, except a
    window's sum, which no file has: its label (前3年计入投资合计 / counted investment, first 3 years)."""
    if name.startswith("sum_") and "__" in name:
        zh, en = label_of(policy, name)
        return f"{zh} / {en}"
    return name


def named_values(policy: Policy, values: dict[str, Any]) -> str:
    return "\n".join(f"{shown_name(policy, k)} = {show_value(policy, k, v)}" for k, v in values.items())


def emit(text: str, output: str | None) -> None:
    """Print, or write to ``--output`` (saying where it went)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise CliError(f"无法写入 {output} / cannot write {output}: {exc.strerror or exc}") from None
    sys.stdout.write(f"已写入 written: {output}\n")


def emit_result(fmt: str, output: str | None, *, table: str, data: Any, sheets: list[Sheet]) -> None:
    if fmt == "json":
        emit(to_json(data), output)
    elif fmt == "xlsx":
        if output is None:
            raise CliError("xlsx 输出需要 --output 文件名 / xlsx output needs --output FILE.xlsx")
        try:
            write_xlsx(output, sheets)
        except OSError as exc:
            raise CliError(f"无法写入 {output} / cannot write {output}: {exc.strerror or exc}") from None
        sys.stdout.write(f"已写入 written: {output}\n")
    else:
        emit(table, output)


def policy_title(policy: Policy) -> str:
    return f"{policy.identity.name.zh} / {policy.identity.name.en} ({policy.id})"
