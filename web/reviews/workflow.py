"""The acceptance chain (验收 → 命名) and the tier moves it ends in, read from the programme file.

* ``acceptance_steps(policy, deciding)`` — the file's ``review_steps("acceptance")`` (Guangxi
  innovation towns: expert field assessment → naming, 000 第四部分(五)); a programme whose
  file has none gets the default **the deciding role checks → expert field assessment (a
  panel with purpose acceptance) → the deciding role approves**, each citing the clause of
  the programme's naming transition. A chain that does not end in approving or publishing
  gets the deciding role's approval appended: a town is named by a decision, never by a panel.
* ``naming_transition(policy, tier)`` — the ``action: name`` transition out of ``tier``
  (towns.workflow.allowed_transitions), or None when that tier cannot be named.
* ``extension_transition(policy, tier)`` — the ``action: extend`` transition out of ``tier``
  (e.g. one more year after a failed acceptance), proposed after a failure.
"""

from __future__ import annotations

from accounts.models import Role
from towns.workflow import allowed_transitions
from xiaozhen.policy import Policy, Transition

NAMING_ACTIONS = ("approve", "publish")


def naming_transition(policy: Policy, tier: str) -> Transition | None:
    return next((t for t in allowed_transitions(policy, tier) if t.action == "name" and t.to), None)


def extension_transition(policy: Policy, tier: str) -> Transition | None:
    return next((t for t in allowed_transitions(policy, tier) if t.action == "extend" and t.to), None)


def _decider(deciding: frozenset[str]) -> str:
    return Role.PROVINCIAL_OFFICER if Role.PROVINCIAL_OFFICER in deciding else sorted(deciding)[0]


def _clause(policy: Policy) -> str:
    named = next((t for t in policy.lifecycle.transitions if t.action == "name"), None)
    return named.clause if named else policy.identity.document_number


def acceptance_steps(policy: Policy, deciding: frozenset[str]) -> list[dict]:
    """The steps an acceptance walks, as plain data (stored on the Acceptance as a snapshot)."""
    decider, clause = _decider(deciding), _clause(policy)
    steps = [
        {"id": s.id, "label": {"zh": s.label.zh, "en": s.label.en}, "role": s.role, "action": s.action,
         "clause": s.clause, "default": False, "confirms": list(s.confirms)}
        for s in policy.review_steps("acceptance")
    ]
    if not steps:
        steps = [
            {"id": "acceptance_check", "label": {"zh": "审核验收申请", "en": "The deciding office checks the application"},
             "role": decider, "action": "check", "clause": clause, "default": True},
            {"id": "field_assessment", "label": {"zh": "专家现场评估", "en": "Experts assess in the field"},
             "role": Role.EXPERT, "action": "expert_review", "clause": clause, "default": True},
        ]
    if steps[-1]["action"] not in NAMING_ACTIONS:
        steps.append({"id": "acceptance_approve", "label": {"zh": "验收通过并命名", "en": "Approve and name"},
                      "role": decider, "action": "approve", "clause": clause, "default": True})
    return steps
