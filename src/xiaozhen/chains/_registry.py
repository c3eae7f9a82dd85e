"""The shipped chain templates: every file under ``chains/``, each problem with its path and line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..policy._loader import _key_path, _line_map, _nearest_line
from ._model import ChainTemplate


@dataclass(frozen=True)
class ChainProblem(Exception):
    path: str
    key: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


def chains_dir() -> Path:
    """``XIAOZHEN_CHAINS`` if set, else the repository's ``chains/`` folder."""
    env = os.environ.get("XIAOZHEN_CHAINS")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "chains"


def load_chain(path: str | Path) -> ChainTemplate:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        lines = _line_map(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ChainProblem(str(path), "", None, f"无法读取 / cannot read: {exc}") from None
    try:
        return ChainTemplate.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ChainProblem(str(path), _key_path(err["loc"]), _nearest_line(lines, err["loc"]), err["msg"]) from None


@lru_cache(maxsize=4)
def load_chains(directory: Path | None = None) -> tuple[ChainTemplate, ...]:
    return tuple(load_chain(p) for p in sorted((directory or chains_dir()).glob("*.yaml")))


def chain_for(templates: tuple[ChainTemplate, ...], programme: str, category: str) -> ChainTemplate | None:
    """The template that applies to a town of ``category`` in ``programme`` (None: no template yet)."""
    for template in templates:
        if any(a.programme == programme and a.category == category for a in template.applies_to):
            return template
    return None
