"""Deciding a referral (SPEC §3, §4): the chair's Approve, Escalate and No review, and the
safeguarding partners' joint outcome once all three agree (Working Together 2023).

`decide` records the decision (`storage.referrals.record_decision`) with the flags of the grade
after it (`services.grading`), queues
who is told (the practitioner; the board group; under a joint decision every partner, whoever's
press made it stand) and forgets a reason the decider still owed for that referral, in one
transaction. `WORDS_FOR` says which press waits for typed words and as what awaited input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from matrix import Matrix
from services import grading
from storage import inputs, referrals
from storage.db import transaction
from storage.inputs import InputKind
from storage.outbox import OutboxItem, OutboxKind
from storage.referrals import DecisionOutcome, Referral

# The press that asks for words, and the awaited input the decider's next message answers.
WORDS_FOR = {
    "escalate": InputKind.ESCALATE_REASON,
    "decline": InputKind.DECLINE_REASON,
    "ask": InputKind.CHAIR_QUESTION,
}
REASON_KINDS = tuple(WORDS_FOR.values())
STATUTORY_FLAGS = ("scr_required", "scr_unless_no_concerns", "cdop", "notifiable")


def statutory_flags(referral: Referral) -> list[str]:
    """The statutory flags set on a referral (a No review is warned of them)."""
    return [name for name in STATUTORY_FLAGS if referral.flags.get(name)]


def higher_grades(referral: Referral, matrix: Matrix) -> tuple[str, ...]:
    """The grades an escalation of `referral` may choose: those above its grade now, in its own
    profile's matrix (`matrix`: the configured one)."""
    return tuple(grading.matrix_for(referral, matrix).higher_grades(referral.grade))


def decide(
    db: Database,
    referral: Referral,
    decider_id: int,
    decision: str,
    reason: str,
    new_grade: str | None,
    now: dt.datetime,
    *,
    matrix: Matrix,
    board_chat_id: int | None,
    partner_ids: Sequence[int] = (),
    actor_name: str | None = None,
) -> DecisionOutcome:
    """Record `decision` ("approved", "escalated" to `new_grade`, "declined" with `reason`) by
    `decider_id` with its notices, unless the referral was decided already (then nothing
    changes: the outcome says who decided). `partner_ids`: every partner's lead, under a joint
    decision (each is told); `matrix`: the configured profile's."""
    statutory = statutory_flags(referral) if decision == "declined" else []
    payload = {"previous_grade": referral.grade if new_grade else "", "statutory": statutory}
    to_practitioner = {**payload, "audience": "practitioner"}
    to_board = {**payload, "audience": "board"}
    items = [OutboxItem(OutboxKind.DECISION, referral.referrer_id, to_practitioner)]
    items += [OutboxItem(OutboxKind.DECISION, partner, to_board) for partner in partner_ids]
    if board_chat_id is not None:
        items.append(OutboxItem(OutboxKind.DECISION, board_chat_id, to_board))
    after = grading.matrix_for(referral, matrix)
    flags = grading.flags_for_grade(referral, new_grade or referral.grade, after)
    with transaction(db):
        outcome = referrals.record_decision(
            db,
            referral.ref,
            decider_id,
            decision,
            reason,
            new_grade,
            now,
            items,
            flags=flags,
            actor_name=actor_name,
        )
        awaited = inputs.awaited(db, decider_id, *REASON_KINDS) if outcome.recorded else None
        if awaited is not None and awaited.ref == referral.ref and awaited.kind in REASON_KINDS:
            inputs.clear(db, decider_id, awaited.kind)  # decided another way: no reason owed
    return outcome
