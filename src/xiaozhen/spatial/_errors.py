"""One error shape for every spatial problem: which file, which feature, what is wrong (in Chinese and English)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpatialProblem:
    source: str
    feature: int | None  # 1-based, as a person counts them; None for the whole file
    zh: str
    en: str
    name: str = ""  # the feature's name, when it has one

    def __str__(self) -> str:
        where = self.source
        if self.feature is not None:
            where += f", 第 {self.feature} 个要素 feature {self.feature}"
            if self.name:
                where += f" ({self.name})"
        return f"{where}: {self.zh} / {self.en}"


class SpatialError(Exception):
    """Boundaries that cannot be used; nothing was computed or stored."""

    def __init__(self, problems: list[SpatialProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))
