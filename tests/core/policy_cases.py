"""Policy cases as data (OpenFisca style): tests/cases/<policy-id>/*.yaml.

Each file is one case an official can read and extend:

    description: 一句话说明 / one sentence
    stage: application | annual | acceptance | named | assess | targets
    at: 2018-03-01          # evaluation date (application), optional
    year: 2020              # assess only
    facts: [ {town_id: T1, category: 高端制造, period: "2018", basis: plan, investment: 10, ...}, ... ]
    expect:
      T1: {verdict: fail, criteria: {app_investment_total: fail}}       # stages
      A:  {action: demote, next_tier: cultivation, excellent: false}   # assess
      output_total: {on_track: true, latest: 123}                      # targets (by target id)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from xiaozhen.engine import assess, evaluate, track_targets
from xiaozhen.facts import frame_from_records
from xiaozhen.policy import get_policy

CASES = Path(__file__).resolve().parents[1] / "cases"


@dataclass
class Case:
    path: Path
    data: dict[str, Any]

    @property
    def policy_id(self) -> str:
        return self.data.get("policy") or self.path.parent.name

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"


#: libyaml where PyYAML has it: the case files are read at collection, by every worker.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

def all_cases() -> list[Case]:
    return [Case(p, yaml.load(p.read_text(encoding="utf-8"), Loader=LOADER)) for p in sorted(CASES.glob("*/*.yaml"))]


def run_case(case: Case) -> dict[str, dict[str, Any]]:
    """Run a case and return what happened, in the same shape as ``expect``."""
    policy = get_policy(case.policy_id)
    facts = frame_from_records(policy, case.data["facts"], source=str(case.path))
    stage = case.data["stage"]
    got: dict[str, dict[str, Any]] = {}
    if stage == "assess":
        for p in assess(policy, facts, int(case.data["year"])):
            got[p.town_id] = {
                "action": p.action,
                "next_tier": p.next_tier,
                "excellent": p.excellent,
                "annual_met": p.annual_met,
                "missed_streak": p.missed_streak,
                "reasons": list(p.reasons),
            }
    elif stage == "targets":
        for t in track_targets(policy, facts):
            got[t.target_id] = {
                "latest": t.latest,
                "progress": t.progress,
                "projected": t.projected,
                "on_track": t.on_track,
                "met": t.met(t.latest),
            }
    else:
        at = case.data.get("at")
        if isinstance(at, str):
            at = dt.date.fromisoformat(at)
        for tv in evaluate(policy, facts, stage, at):
            got[tv.town_id] = {
                "verdict": tv.verdict,
                "criteria": {o.criterion_id: o.outcome for o in tv.outcomes},
                "explanations": [o.explain() for o in tv.outcomes],
            }
    return got


def mismatches(expect: dict[str, Any], got: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, want in expect.items():
        where = f"{prefix}{key}"
        if key not in got:
            out.append(f"{where}: missing from the result")
        elif isinstance(want, dict):
            out += mismatches(want, got[key], where + ".")
        elif isinstance(want, float) and isinstance(got[key], float):
            if abs(want - got[key]) > 1e-6 * max(1.0, abs(want)):
                out.append(f"{where}: expected {want!r}, got {got[key]!r}")
        elif got[key] != want:
            out.append(f"{where}: expected {want!r}, got {got[key]!r}")
    return out
