"""Regrading a stored referral on an edited matrix (`triage-bot regrade`), as SPEC §3 allows it.

Grades are raised by the matrix or by people; only the chair records a lower outcome. So:

- an undecided referral takes the matrix's new values, lower or higher (its grade is still the
  matrix's suggestion, which the decider has yet to weigh);
- a decided referral whose grade the matrix raises takes the higher grade and its flags, with
  the `regraded` event and a notice to the board group;
- a decided referral the matrix would grade lower keeps its grade and flags: the lower grade
  is proposed to the deciders (the chair; under Working Together 2023 the three partners'
  leads, the first answer settling it, as an escalation by one partner does) on a card with
  `Accept lower grade` / `Keep`. The card names its proposal (the event that made it), so a
  press on an older proposal, or on one already answered, is refused as stale.

Each use case opens its own transaction and writes its events; no Telegram here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from matrix import rank
from storage import events, outbox
from storage.db import transaction
from storage.outbox import PRIORITY_NORMAL, OutboxItem, OutboxKind
from storage.referrals import Referral, require_referral
from storage.regrades import Regrade, Regraded, regrade_detail, regrade_referral

PROPOSED = "lower_grade_proposed"
ACCEPTED = "lower_grade_accepted"
KEPT = "lower_grade_kept"
ANSWERS = ("ok", "keep")  # the card's buttons: Accept lower grade, Keep


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a regrade did: applied (`regraded`), proposed a lower grade (`proposal`, the event
    id naming it), or nothing."""

    before: Referral
    new: Regrade
    regraded: Regraded | None = None
    proposal: int | None = None


def is_lowering(referral: Referral, new: Regrade) -> bool:
    """Whether `new` would lower the grade a decided referral holds (only a decider may)."""
    return referral.decision is not None and rank(new.grade) < rank(referral.grade)


def regrade(
    db: Database,
    ref: str,
    plan: Callable[[Referral], Regrade | None],
    actor: str,
    now: dt.datetime,
    *,
    board_chat_id: int | None,
    decider_ids: Sequence[int],
) -> Outcome | None:
    """Regrade `ref` by `plan` (given the row as read inside the transaction); None when
    nothing changes or the same lower grade is already awaiting an answer."""
    with transaction(db):
        before = require_referral(db, ref)
        new = plan(before)
        if new is None:
            return None
        if is_lowering(before, new):
            if _pending_same(db, before, new):
                return None
            detail = f"proposed to the deciders, not applied: {regrade_detail(before, new)}"
            event = events.append_event(db, ref, actor, PROPOSED, detail, now)
            payload = {"proposal": event.id, "held": before.grade, "new": _to_payload(new)}
            items = [OutboxItem(OutboxKind.LOWER_GRADE, chat, payload) for chat in decider_ids]
            outbox.enqueue_items(db, ref, items, PRIORITY_NORMAL, now)
            return Outcome(before, new, proposal=event.id)
        done = regrade_referral(db, ref, lambda _: new, actor, now)
        raised = before.decision is not None and rank(new.grade) > rank(before.grade)
        if done is not None and raised and board_chat_id is not None:
            notice = {"previous_grade": before.grade, "outcome": "raised"}
            outbox.enqueue(db, ref, OutboxKind.REGRADE_NOTICE, board_chat_id, notice, 0, now)
        return Outcome(before, new, regraded=done)


def answer(
    db: Database,
    ref: str,
    proposal: int,
    accept: bool,
    user_id: int,
    name: str | None,
    now: dt.datetime,
    *,
    board_chat_id: int | None,
) -> str:
    """A decider's `Accept lower grade` / `Keep` on proposal `proposal`: "accepted", "kept", or
    "stale" (not the standing proposal, already answered, or the grade has moved since)."""
    with transaction(db):
        new = standing(db, ref, proposal)
        if new is None:
            return "stale"
        before = require_referral(db, ref)
        if accept:
            regrade_referral(db, ref, lambda _: new, user_id, now)
        outcome = "accepted" if accept else "kept"
        detail = f"proposal {proposal}: grade {before.grade} " + (
            f"lowered to {new.grade}" if accept else f"kept (not lowered to {new.grade})"
        )
        action = ACCEPTED if accept else KEPT
        events.append_event(db, ref, user_id, action, detail, now, actor_name=name)
        if board_chat_id is not None:
            notice = {"previous_grade": before.grade, "outcome": outcome, "proposed": new.grade}
            outbox.enqueue(db, ref, OutboxKind.REGRADE_NOTICE, board_chat_id, notice, 0, now)
    return outcome


def standing(db: Database, ref: str, proposal: int) -> Regrade | None:
    """The lower grade proposal `proposal` offers, while it is the referral's latest proposal,
    unanswered, and the referral still holds the grade it was made against; else None."""
    log = events.events_for(db, ref)
    later = [e for e in log if e.id >= proposal and e.action in (PROPOSED, ACCEPTED, KEPT)]
    if [e.id for e in later] != [proposal] or later[0].action != PROPOSED:
        return None
    rows = [r for r in outbox.rows_for(db, ref, OutboxKind.LOWER_GRADE)]
    offered = [r.payload for r in rows if r.payload.get("proposal") == proposal]
    if not offered or require_referral(db, ref).grade != offered[0].get("held"):
        return None
    return _from_payload(offered[0]["new"])


def answered_by(db: Database, ref: str) -> str | None:
    """The first name of whoever last answered a lower grade proposal of `ref` (from the event
    log, so that a forgotten person's name goes with their events), or None."""
    answers = [e for e in events.events_for(db, ref) if e.action in (ACCEPTED, KEPT)]
    return answers[-1].actor_name if answers else None


def _pending_same(db: Database, referral: Referral, new: Regrade) -> bool:
    """Whether the same lower grade, on the same matrix, already awaits an answer."""
    proposals = [e for e in events.events_for(db, referral.ref) if e.action == PROPOSED]
    if not proposals:
        return False
    pending = standing(db, referral.ref, proposals[-1].id)
    return pending is not None and (pending.grade, pending.matrix_version) == (
        new.grade,
        new.matrix_version,
    )


def _to_payload(new: Regrade) -> dict[str, Any]:
    return {
        "grade": new.grade,
        "original_grade": new.original_grade,
        "flags": dict(new.flags),
        "matched": [dict(m) for m in new.matched],
        "result": dict(new.result),
        "matrix_version": new.matrix_version,
    }


def _from_payload(data: dict[str, Any]) -> Regrade:
    return Regrade(
        grade=str(data["grade"]),
        original_grade=str(data["original_grade"]),
        flags={str(k): bool(v) for k, v in data["flags"].items()},
        matched=tuple(data["matched"]),
        result=dict(data["result"]),
        matrix_version=str(data["matrix_version"]),
    )
