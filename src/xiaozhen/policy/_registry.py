"""The shipped programmes: every file under ``policies/``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ._loader import PolicyFileError, PolicyProblem, load_policy_file
from ._schema import Policy


def policies_dir() -> Path:
    """``XIAOZHEN_POLICIES`` if set, else the repository's ``policies/`` folder."""
    env = os.environ.get("XIAOZHEN_POLICIES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "policies"


def policy_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or policies_dir()).glob("*.yaml"))


@lru_cache(maxsize=8)
def load_all(directory: Path | None = None) -> dict[str, Policy]:
    policies: dict[str, Policy] = {}
    problems: list[PolicyProblem] = []
    for path in policy_files(directory):
        try:
            policy = load_policy_file(path)
        except PolicyFileError as exc:
            problems.extend(exc.problems)
            continue
        policies[policy.id] = policy
    if problems:
        raise PolicyFileError(problems)
    return policies


def get_policy(ident: str, directory: Path | None = None) -> Policy:
    policies = load_all(directory)
    try:
        return policies[ident]
    except KeyError:
        known = ", ".join(sorted(policies))
        raise KeyError(f"no programme {ident!r}; known: {known}") from None
