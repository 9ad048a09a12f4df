"""Officers' work on one referral: a note, a question to the practitioner (or the chair's) and
its answer, a status move, an invite code, a look at the record (`/case`, `/tor`), and a
statutory clock closed (`/notified`, `/rapidreview`).

Texts arrive already through the one intake (redacted). Each function is one transaction with
its events; what must be sent is queued in it (a question to the practitioner, an answer back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from storage import clocks, events, info_requests, practitioners, referrals
from storage.db import transaction
from storage.events import Event
from storage.info_requests import Question
from storage.referral_record import Clock
from storage.referrals import Referral

TOR_ISSUED = "Terms of Reference issued"


def add_note(
    db: Database, ref: str, actor: int, text: str, now: dt.datetime, *, actor_name: str | None
) -> Event:
    """An officer's note on the referral's record."""
    with transaction(db):
        return referrals.add_note(db, ref, actor, text, now, actor_name=actor_name)


def ask(
    db: Database,
    ref: str,
    asker: int,
    question: str,
    reply_chat_id: int,
    now: dt.datetime,
    *,
    actor_name: str | None,
) -> Question:
    """A question to the referral's practitioner, queued to them; their answer goes back to
    `reply_chat_id` (the board group, or the chair who asked)."""
    with transaction(db):
        return info_requests.ask_question(
            db, ref, asker, question, reply_chat_id, now, actor_name=actor_name
        )


def answer(
    db: Database, question_id: int, user_id: int, text: str, now: dt.datetime
) -> Question | None:
    """The practitioner's answer, queued back to whoever asked; None when the question is no
    longer theirs to answer (unknown, or answered already)."""
    try:
        with transaction(db):
            return info_requests.answer_question(db, question_id, user_id, text, now)
    except info_requests.QuestionError:
        return None


def move_status(
    db: Database,
    ref: str,
    wanted: str,
    actor: int,
    reason: str,
    now: dt.datetime,
    *,
    actor_name: str | None,
) -> Referral:
    """One step along the lifecycle with its reason; `IllegalTransition` when not allowed."""
    with transaction(db):
        return referrals.set_status(db, ref, wanted, actor, reason, now, actor_name=actor_name)


def invite(db: Database, agency: str, actor: int, now: dt.datetime, *, lead: bool) -> str:
    """A one-time code for `agency` (for its lead, when `lead`)."""
    with transaction(db):
        return practitioners.create_invite(db, agency, actor, now, lead=lead)


def viewed(db: Database, ref: str, actor: int, via: str, now: dt.datetime) -> None:
    """`actor` looked at the record (`via`: "/case"), logged once a person a referral a day."""
    events.record_view(db, ref, actor, via, now)


def issue_tor(db: Database, ref: str, actor: int, now: dt.datetime) -> None:
    """The Terms of Reference were sent to the board group: an event, and a look at the
    record."""
    with transaction(db):
        events.append_event(db, ref, actor, "tor", TOR_ISSUED, now)
        events.record_view(db, ref, actor, "/tor", now)


def close_clock(
    db: Database,
    ref: str,
    name: str,
    outcome: str,
    reason: str,
    actor: int,
    now: dt.datetime,
    then_start: Sequence[Clock],
) -> Referral:
    """Close the statutory clock `name` with `outcome` (and its reason, if any) and start the
    clocks its closing starts; `storage.clocks.ClockNotOpen` when it is not open."""
    detail = f"{outcome}: {reason}" if reason else outcome
    with transaction(db):
        return clocks.close_clock(
            db,
            ref,
            name,
            outcome=outcome,
            actor=actor,
            action=name,
            detail=detail,
            now=now,
            then_start=then_start,
        )
