"""A town's tiers and the moves between them come from its programme's policy file.

The file's ``lifecycle`` is the table: ``tiers`` (with ``terminal`` ones), ``entry_tiers``
(where an enrolment may start) and ``transitions`` (``from`` → ``to``, each with its
clause). ``find_transition`` is the one place that says whether a tier change is allowed;
it raises TransitionNotAllowed, naming the tiers that are, when it is not.
"""

from __future__ import annotations

from collections import deque

from portal.errors import ActionError
from xiaozhen.policy import Policy, Transition


class TransitionNotAllowed(ActionError):
    def __init__(self, policy: Policy, from_tier: str, to_tier: str):
        targets = sorted({t.to for t in allowed_transitions(policy, from_tier) if t.to})
        zh_targets = "、".join(_zh(policy, t) for t in targets) or "无"
        en_targets = ", ".join(targets) or "none"
        super().__init__(
            f"{policy.identity.short_name.zh}不允许从“{_zh(policy, from_tier)}”改为“{_zh(policy, to_tier)}”；"
            f"可改为：{zh_targets}",
            f"{policy.id} does not allow {from_tier} → {to_tier}; allowed: {en_targets}",
            field="to_tier",
        )


class EntryTierNotAllowed(ActionError):
    def __init__(self, policy: Policy, tier: str):
        allowed = policy.lifecycle.entry_tiers
        super().__init__(
            f"入选层级须为：{'、'.join(_zh(policy, t) for t in allowed)}",
            f"{policy.id} enrols towns only in: {', '.join(allowed)} (not {tier!r})",
            field="tier",
        )


def _zh(policy: Policy, tier: str) -> str:
    try:
        return policy.tier(tier).label.zh
    except KeyError:
        return tier


def terminal_tiers(policy: Policy) -> frozenset[str]:
    return frozenset(t.id for t in policy.lifecycle.tiers if t.terminal)


def allowed_transitions(policy: Policy, from_tier: str) -> list[Transition]:
    """Transitions that move a town out of ``from_tier`` to another tier, in file order."""
    terminal = terminal_tiers(policy)
    out = []
    for tr in policy.lifecycle.transitions:
        if tr.to is None or tr.to == from_tier:
            continue
        if from_tier in tr.from_ or ("*" in tr.from_ and from_tier not in terminal):
            out.append(tr)
    return out


def find_transition(
    policy: Policy, from_tier: str, to_tier: str, transition_id: str | None = None
) -> Transition:
    for tr in allowed_transitions(policy, from_tier):
        if tr.to == to_tier and (transition_id is None or tr.id == transition_id):
            return tr
    raise TransitionNotAllowed(policy, from_tier, to_tier)


def paths_to_tiers(policy: Policy) -> dict[str, tuple[str, list[Transition]]]:
    """For every reachable tier: (the entry tier to start in, the transitions from there).

    Shortest paths first; entry tiers map to (themselves, []); unreachable tiers are absent.
    """
    paths: dict[str, tuple[str, list[Transition]]] = {t: (t, []) for t in policy.lifecycle.entry_tiers}
    queue = deque(policy.lifecycle.entry_tiers)
    while queue:
        tier = queue.popleft()
        start, steps = paths[tier]
        for tr in allowed_transitions(policy, tier):
            if tr.to and tr.to not in paths:
                paths[tr.to] = (start, [*steps, tr])
                queue.append(tr.to)
    return paths
