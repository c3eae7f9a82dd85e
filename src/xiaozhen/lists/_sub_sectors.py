"""One sub-sector, one town (003 §三(一))."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..policy import Policy, Text


@dataclass(frozen=True)
class Holder:
    """A town on a programme's list with its class in that programme.

    ``town`` is whatever identifies the town to the caller (a code, a name); ``category``
    and ``sub_sector`` are the programme's own (a blank sub-sector is never in conflict).
    """

    town: str
    category: str
    sub_sector: str


@dataclass(frozen=True)
class SubSectorConflict:
    """Several towns holding one (category, sub-sector) where the programme allows one."""

    category: str
    sub_sector: str
    towns: tuple[str, ...]
    clause: str
    label: Text

    def message(self) -> tuple[str, str]:
        """The conflict in Chinese and in English, naming the towns."""
        names_zh = "、".join(self.towns)
        names_en = ", ".join(self.towns)
        return (
            f"细分产业“{self.sub_sector}”只能有一个小镇（{self.clause}），现有：{names_zh}",
            f"sub-sector {self.sub_sector!r} may hold only one town ({self.clause}); it has: {names_en}",
        )


def sub_sector_conflicts(policy: Policy, holders: Iterable[Holder]) -> list[SubSectorConflict]:
    """Every (category, sub-sector) held by more than one town, in the order first met.

    Empty when the programme does not declare ``lifecycle.unique_sub_sector``. A town
    listed twice counts once.
    """
    rule = policy.lifecycle.unique_sub_sector
    if rule is None:
        return []
    towns: dict[tuple[str, str], list[str]] = defaultdict(list)
    for holder in holders:
        if not holder.sub_sector.strip():
            continue
        key = (holder.category, holder.sub_sector.strip())
        if holder.town not in towns[key]:
            towns[key].append(holder.town)
    return [
        SubSectorConflict(category, sub, tuple(names), rule.clause, rule.label)
        for (category, sub), names in towns.items()
        if len(names) > 1
    ]


def holders_of(
    policy: Policy, existing: Iterable[Holder], candidate: Holder
) -> tuple[str, ...]:
    """The towns already holding the candidate's sub-sector (empty when it may join)."""
    if policy.lifecycle.unique_sub_sector is None or not candidate.sub_sector.strip():
        return ()
    key = (candidate.category, candidate.sub_sector.strip())
    return tuple(
        dict.fromkeys(
            h.town
            for h in existing
            if (h.category, h.sub_sector.strip()) == key and h.town != candidate.town
        )
    )
