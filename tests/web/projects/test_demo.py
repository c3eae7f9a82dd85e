"""The projects demo: what a newcomer sees after `make demo`."""

from __future__ import annotations

from projects.models import Contract
from projects.selectors import contract_page_queryset, statement_for


def test_the_demo_has_a_contract_in_force_one_awaiting_the_town_an_under_matched_ledger_and_an_acceptance(db, demo_output):
    contracts = list(contract_page_queryset().filter(programme__policy_id="guangdong-specialised-towns"))
    by_state = {c.state: c for c in contracts}
    in_force = [c for c in contracts if c.state == Contract.State.IN_FORCE]
    assert all({s.party for s in c.signatures.all()} == {"province", "local", "town"} for c in in_force)
    awaiting = by_state[Contract.State.DRAFT]
    assert {s.party for s in awaiting.signatures.all()} == {"province", "local"}
    assert any(statement_for(c).matching.below for c in in_force)
    assert any(not statement_for(c).matching.below for c in in_force)
    assert any(c.acceptance_applied_on for c in in_force)
    assert all(c.milestones.all() for c in in_force)
    reversals = [e for c in in_force for e in c.funding_entries.all() if e.reverses_id]
    assert reversals and all(r.amount == -r.reverses.amount for r in reversals)
