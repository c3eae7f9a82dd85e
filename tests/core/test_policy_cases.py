"""Every case file under tests/cases/ gives the verdicts it expects."""

from __future__ import annotations

from collections import defaultdict

import pytest

from xiaozhen.policy import load_all

from .policy_cases import all_cases, mismatches, run_case

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_the_expected_verdicts(case):
    got = run_case(case)
    problems = mismatches(case.data["expect"], got)
    assert not problems, f"{case.path}:\n" + "\n".join(problems)


def test_every_criterion_of_every_programme_has_a_passing_and_a_failing_case():
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for case in CASES:
        if case.data["stage"] in ("assess", "targets"):
            continue
        for _town, want in case.data["expect"].items():
            for crit, outcome in want.get("criteria", {}).items():
                seen[(case.policy_id, crit)].add(outcome)
    missing = []
    for policy in load_all().values():
        for c in policy.criteria:
            outcomes = seen[(policy.id, c.id)]
            for needed in ("pass", "fail"):
                if needed not in outcomes:
                    missing.append(f"{policy.id}.{c.id} has no {needed} case ({c.clause})")
    assert not missing, "\n".join(missing)


def test_every_programme_has_annual_decision_cases():
    with_assess = {c.policy_id for c in CASES if c.data["stage"] == "assess"}
    programmes = {p.id for p in load_all().values() if p.lifecycle.transitions}
    assert programmes <= with_assess, f"no assess cases for {sorted(programmes - with_assess)}"
