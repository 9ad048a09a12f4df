"""The referral lifecycle of SPEC §4: the statuses and which moves between them are legal.

awaiting_chair -> approved | declined | info_requested; info_requested -> awaiting_chair |
approved | declined; approved -> review_planned -> in_review -> report_received -> published ->
closed. `declined` and `closed` are final.
"""

from __future__ import annotations

AWAITING_CHAIR = "awaiting_chair"
INFO_REQUESTED = "info_requested"
APPROVED = "approved"
DECLINED = "declined"
REVIEW_PLANNED = "review_planned"
IN_REVIEW = "in_review"
REPORT_RECEIVED = "report_received"
PUBLISHED = "published"
CLOSED = "closed"

TRANSITIONS: dict[str, tuple[str, ...]] = {
    AWAITING_CHAIR: (APPROVED, DECLINED, INFO_REQUESTED),
    INFO_REQUESTED: (AWAITING_CHAIR, APPROVED, DECLINED),
    APPROVED: (REVIEW_PLANNED,),
    REVIEW_PLANNED: (IN_REVIEW,),
    IN_REVIEW: (REPORT_RECEIVED,),
    REPORT_RECEIVED: (PUBLISHED,),
    PUBLISHED: (CLOSED,),
    DECLINED: (),
    CLOSED: (),
}

STATUSES: tuple[str, ...] = tuple(TRANSITIONS)

# Waiting for the chair's decision.
UNDECIDED: tuple[str, ...] = (AWAITING_CHAIR, INFO_REQUESTED)

# Still needing the board's attention: everything but declined, published and closed.
OPEN: tuple[str, ...] = (
    AWAITING_CHAIR,
    INFO_REQUESTED,
    APPROVED,
    REVIEW_PLANNED,
    IN_REVIEW,
    REPORT_RECEIVED,
)


class IllegalTransition(ValueError):
    """A status move the lifecycle does not allow; the message lists the allowed moves."""

    def __init__(self, ref: str, current: str, wanted: str) -> None:
        allowed = TRANSITIONS.get(current, ())
        moves = ", ".join(allowed) if allowed else f"none ({current} is final)"
        super().__init__(f"{ref} cannot move from {current} to {wanted}; allowed: {moves}")
        self.ref = ref
        self.current = current
        self.wanted = wanted
        self.allowed = allowed


def check_transition(ref: str, current: str, wanted: str) -> None:
    """Raise `IllegalTransition` unless `current -> wanted` is a legal move."""
    if wanted not in TRANSITIONS.get(current, ()):
        raise IllegalTransition(ref, current, wanted)
