"""The flags follow the grade (SPEC §3): whenever a person changes a referral's grade, the new
grade's flags are read from the matrix here and stored with the change, in one transaction.

Storage may not read the matrix, so every grade change the bot makes goes through these
functions: `decide` (the chair's decision, an escalation included) and `escalate` (a grade
raised later). Neither imports `telegram`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from matrix import route_for_grade
from storage import referrals
from storage.outbox import OutboxItem
from storage.referrals import DecisionOutcome, Referral


def flags_for_grade(referral: Referral, grade: str) -> dict[str, bool]:
    """The flags `referral` has at `grade`: those it has now, plus those its facts and the
    grade's own row imply (an escalation to catastrophic sets `scr_required`)."""
    route = route_for_grade(referral.facts, grade)
    names = dict.fromkeys([*route.flags, *referral.flags])
    return {
        name: bool(referral.flags.get(name, False)) or bool(route.flags.get(name, False))
        for name in names
    }


def decide(
    db: Database,
    referral: Referral,
    chair_id: int,
    decision: str,
    reason: str,
    new_grade: str | None,
    now: dt.datetime,
    outbox: Sequence[OutboxItem] = (),
    *,
    actor_name: str | None = None,
) -> DecisionOutcome:
    """Record the chair's decision (see `storage.referrals.record_decision`) with the flags of
    the grade the referral has after it."""
    flags = flags_for_grade(referral, new_grade or referral.grade)
    return referrals.record_decision(
        db,
        referral.ref,
        chair_id,
        decision,
        reason,
        new_grade,
        now,
        outbox,
        flags=flags,
        actor_name=actor_name,
    )


def escalate(
    db: Database,
    referral: Referral,
    actor: str | int,
    new_grade: str,
    reason: str,
    now: dt.datetime,
    *,
    actor_name: str | None = None,
) -> Referral:
    """Raise the grade with a reason (see `storage.referrals.escalate_grade`) and set the new
    grade's flags in the same transaction."""
    return referrals.escalate_grade(
        db,
        referral.ref,
        actor,
        new_grade,
        reason,
        now,
        flags=flags_for_grade(referral, new_grade),
        actor_name=actor_name,
    )
