"""The application's state table and the one function that moves it.

    draft ──submit──▶ submitted ──pass──▶ in_review ──pass (last step)──▶ listed
      ▲                  │  │                │  │
      │                  │  └──reject──▶ rejected ◀──reject──┘  │
    returned ◀──return───┴────────────────return────────────────┘
      └──submit (resubmission: back to the chain's first step)──▶ submitted

Which steps exist, in which order and who decides them is the programme file's
``review_chain`` (``policy.review_steps("application")``); this table only says which
moves an application can make. ``apply_transition`` raises ApplicationTransitionNotAllowed
(an ActionError, shown next to the form) for any other move.
"""

from __future__ import annotations

from portal.errors import ActionError

from .models import Application

State = Application.State

SUBMIT, PASS, LIST, RETURN, REJECT = "submit", "pass", "list", "return", "reject"

EVENT_LABELS = {
    SUBMIT: ("提交", "submit"),
    PASS: ("通过本环节", "pass the step"),
    LIST: ("通过最后环节并列入名单", "pass the last step and list"),
    RETURN: ("退回修改", "return to the town"),
    REJECT: ("不予通过", "reject"),
}

#: (from state, event) → to state
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, SUBMIT): State.SUBMITTED,
    (State.RETURNED, SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, PASS): State.IN_REVIEW,
    (State.IN_REVIEW, PASS): State.IN_REVIEW,
    (State.SUBMITTED, LIST): State.LISTED,
    (State.IN_REVIEW, LIST): State.LISTED,
    (State.SUBMITTED, RETURN): State.RETURNED,
    (State.IN_REVIEW, RETURN): State.RETURNED,
    (State.SUBMITTED, REJECT): State.REJECTED,
    (State.IN_REVIEW, REJECT): State.REJECTED,
}


class ApplicationTransitionNotAllowed(ActionError):
    def __init__(self, state: str, event: str):
        label = State(state).label if state in State.values else state
        zh, en = EVENT_LABELS.get(event, (event, event))
        allowed = sorted(e for (s, e) in TRANSITIONS if s == state)
        super().__init__(
            f"状态为“{label}”的申报不能{zh}",
            f"an application in state {state!r} cannot {en}; allowed: {', '.join(allowed) or 'nothing'}",
            field="outcome",
        )
        self.state, self.event = state, event


def next_state(state: str, event: str) -> str:
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise ApplicationTransitionNotAllowed(state, event) from None


def apply_transition(application: Application, event: str) -> tuple[str, str]:
    """Move ``application`` by ``event`` (not saved); returns (from state, to state)."""
    before = application.state
    application.state = next_state(before, event)
    return before, application.state
