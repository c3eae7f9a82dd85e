"""Verdicts as stored: the one JSON shape of a criterion outcome and of a town's verdict.

The platform stores what the engine said (an application's verdict at submission and at
decision, an annual proposal's criteria) so it can show it again exactly as it was, even
after the programme file changes. This module is the only place that writes or reads
that JSON; the web stores ``to_json()`` and shows ``from_json()`` and never reshapes it.

Shape, version 1 (``"schema": 1`` on a verdict)::

    {"schema": 1, "verdict": "pass", "programme_version": 3, "content_hash": "…",
     "problems": ["…"],
     "outcomes": [{"criterion_id": "investment", "label": {"zh": "…", "en": "…"},
                   "clause": "003 §二(一)", "severity": "must", "outcome": "pass",
                   "values": {"investment": 12.5}, "thresholds": {"min": 10}}]}

Rows written before version 1 carry no ``schema``; their outcomes may name the criterion
``criterion`` instead of ``criterion_id``. ``from_json`` still reads them, and each app's
data migration rewrote its stored rows to version 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._output import plain
from .engine import CriterionOutcome, TownVerdict
from .policy import Text

__all__ = [
    "SCHEMA", "StoredVerdict", "json_safe", "outcome_from_json", "outcome_to_json", "outcomes_to_json",
    "upgrade_outcome", "upgrade_verdict",
]

SCHEMA = 1
UNKNOWN = "unknown"

#: The core's one JSON-safe conversion (NaN → null, dates → ISO text, dataclasses → dicts).
json_safe = plain


def outcome_to_json(outcome: CriterionOutcome) -> dict[str, Any]:
    """One criterion outcome, JSON-safe (NaN → null, dates → ISO text)."""
    return {
        "criterion_id": outcome.criterion_id,
        "label": {"zh": outcome.label.zh, "en": outcome.label.en},
        "clause": outcome.clause,
        "severity": outcome.severity,
        "outcome": outcome.outcome,
        "values": plain(dict(outcome.values)),
        "thresholds": plain(dict(outcome.thresholds)),
    }


def outcomes_to_json(outcomes: Iterable[CriterionOutcome]) -> list[dict[str, Any]]:
    return [outcome_to_json(o) for o in outcomes]


def outcome_from_json(data: Mapping[str, Any]) -> CriterionOutcome:
    """Read an outcome of any stored version (before version 1 the id was under ``criterion``)."""
    label = data.get("label") or {}
    return CriterionOutcome(
        criterion_id=str(data.get("criterion_id", data.get("criterion", ""))),
        label=Text(zh=str(label.get("zh", "")), en=str(label.get("en", ""))),
        clause=str(data.get("clause") or ""),
        severity=str(data.get("severity") or ""),
        outcome=str(data.get("outcome") or UNKNOWN),
        values=dict(data.get("values") or {}),
        thresholds=dict(data.get("thresholds") or {}),
    )


def upgrade_outcome(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored outcome of any version rewritten in the version-1 shape (for data migrations)."""
    return outcome_to_json(outcome_from_json(data))


@dataclass(frozen=True)
class StoredVerdict:
    """A town's verdict as it was when stored, with the programme version that gave it."""

    verdict: str
    outcomes: tuple[CriterionOutcome, ...] = ()
    problems: tuple[str, ...] = ()
    programme_version: int | None = None
    content_hash: str = ""
    schema: int = SCHEMA
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            **plain(self.extra),
            "schema": SCHEMA,
            "verdict": self.verdict,
            "programme_version": self.programme_version,
            "content_hash": self.content_hash,
            "problems": list(self.problems),
            "outcomes": outcomes_to_json(self.outcomes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> StoredVerdict | None:
        """None for an empty value or one with no outcomes (nothing was evaluated)."""
        if not data or "outcomes" not in data:
            return None
        known = {"schema", "verdict", "programme_version", "content_hash", "problems", "outcomes"}
        return cls(
            verdict=str(data.get("verdict") or UNKNOWN),
            outcomes=tuple(outcome_from_json(o) for o in data.get("outcomes") or ()),
            problems=tuple(str(p) for p in data.get("problems") or ()),
            programme_version=data.get("programme_version"),
            content_hash=str(data.get("content_hash") or ""),
            schema=int(data.get("schema") or 0),
            extra={k: v for k, v in data.items() if k not in known},
        )

    def town_verdict(self, town_id: str = "") -> TownVerdict:
        """The engine's own type, for templates and code that show a live verdict."""
        return TownVerdict(town_id, None, None, self.verdict, self.outcomes)


def upgrade_verdict(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A stored verdict of any version rewritten as version 1; None when there is nothing to rewrite."""
    stored = StoredVerdict.from_json(data)
    return stored.to_json() if stored is not None else None
