"""The board's requests for information: questions relayed to the practitioner (the chair's
`Ask for information`, an officer's `/ask`) and their answers. (The check's own questions are
`dialogs.questions`.)

Asking stores the question (already redacted by the caller), logs it, queues a `question` row to
the practitioner, and moves a referral awaiting the chair to `info_requested`. The practitioner's
next free text answers their oldest open question: the answer is stored, logged and queued back
as an `answer` row to the chat that asked; when no question is left open the referral returns to
`awaiting_chair`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import get_or_none, transaction
from storage.events import append_event
from storage.lifecycle import AWAITING_CHAIR, INFO_REQUESTED
from storage.outbox import PRIORITY_NORMAL, PRIORITY_URGENT, OutboxKind, enqueue
from storage.referrals import require_referral
from storage.timestamps import from_iso, from_iso_or_none, to_iso


class QuestionError(Exception):
    """The question cannot be answered (unknown, already answered, or not this user's)."""


@dataclass(frozen=True, slots=True)
class Question:
    """A question relayed to the practitioner who filed `ref`, and its answer once given."""

    id: int
    ref: str
    asked_by: int
    reply_chat_id: int
    question: str
    asked_at: dt.datetime
    answered_at: dt.datetime | None
    answer: str | None


def _question(row: dict[str, Any]) -> Question:
    return Question(
        id=row["id"],
        ref=row["ref"],
        asked_by=row["asked_by"],
        reply_chat_id=row["reply_chat_id"],
        question=row["question"],
        asked_at=from_iso(row["asked_at"]),
        answered_at=from_iso_or_none(row["answered_at"]),
        answer=row["answer"],
    )


def get_question(db: Database, question_id: int) -> Question | None:
    """One question by id."""
    row = get_or_none(db.table("pending_questions"), question_id)
    return None if row is None else _question(row)


def questions_for(db: Database, ref: str) -> list[Question]:
    """Every question about one referral, oldest first."""
    rows = db.table("pending_questions").rows_where("ref = ?", (ref,), order_by="id")
    return [_question(row) for row in rows]


def questions_to(db: Database, user_id: int) -> list[Question]:
    """Every question to the practitioner who filed the referrals, oldest first: by the index
    of referrals by referrer and the one of questions by referral, never a whole table."""
    sql = (
        "SELECT q.* FROM pending_questions q JOIN referrals r ON r.ref = q.ref"
        " WHERE r.referrer_id = ? ORDER BY q.id"
    )
    return [_question(row) for row in db.query(sql, (user_id,))]


def ask_question(
    db: Database,
    ref: str,
    asked_by: int,
    question: str,
    reply_chat_id: int,
    now: dt.datetime,
    *,
    actor_name: str | None = None,
) -> Question:
    """Store a question for the referral's practitioner and queue it to them, in one transaction.

    `reply_chat_id` is where the answer goes back (the chair's chat or the board group);
    `actor_name` is the asker's first name, kept with the events.
    """
    question = question.strip()
    if not question:
        raise ValueError("a question needs text")
    questions = db.table("pending_questions")
    with transaction(db):
        referral = require_referral(db, ref)
        at = to_iso(now)
        asked = {
            "ref": referral.ref,
            "asked_by": asked_by,
            "reply_chat_id": reply_chat_id,
            "question": question,
            "asked_at": at,
        }
        question_id = questions.insert(asked).last_rowid
        assert question_id is not None
        if referral.status == AWAITING_CHAIR:
            changes = {"status": INFO_REQUESTED, "updated_at": at}
            db.table("referrals").update(referral.ref, changes)
            detail = f"{AWAITING_CHAIR} -> {INFO_REQUESTED}: information asked for"
            append_event(db, referral.ref, asked_by, "status", detail, now, actor_name=actor_name)
        append_event(db, referral.ref, asked_by, "question", question, now, actor_name=actor_name)
        priority = PRIORITY_URGENT if referral.urgent else PRIORITY_NORMAL
        payload = {"question_id": question_id}
        enqueue(db, referral.ref, OutboxKind.QUESTION, referral.referrer_id, payload, priority, now)
        row = questions.get(question_id)
    return _question(row)


def open_question_for(db: Database, user_id: int) -> Question | None:
    """The oldest unanswered question to this practitioner, or None."""
    row = next(
        db.query(
            "SELECT q.* FROM pending_questions q JOIN referrals r ON r.ref = q.ref"
            " WHERE r.referrer_id = ? AND q.answered_at IS NULL ORDER BY q.id LIMIT 1",
            (user_id,),
        ),
        None,
    )
    return None if row is None else _question(row)


def answer_question(
    db: Database, question_id: int, user_id: int, answer: str, now: dt.datetime
) -> Question:
    """Record the practitioner's answer (already redacted) and queue it back, in one transaction.

    Raises `QuestionError` if the question is unknown, already answered, or not to this user.
    """
    answer = answer.strip()
    if not answer:
        raise ValueError("an answer needs text")
    questions = db.table("pending_questions")
    with transaction(db):
        row = get_or_none(questions, question_id)
        if row is None:
            raise QuestionError(f"no question {question_id}")
        referral = require_referral(db, row["ref"])
        if referral.referrer_id != user_id:
            raise QuestionError(f"question {question_id} was not asked of this user")
        if row["answered_at"] is not None:
            raise QuestionError(f"question {question_id} is already answered")
        at = to_iso(now)
        questions.update(question_id, {"answered_at": at, "answer": answer})
        append_event(db, referral.ref, user_id, "answer", answer, now)
        priority = PRIORITY_URGENT if referral.urgent else PRIORITY_NORMAL
        payload = {"question_id": question_id}
        enqueue(db, referral.ref, OutboxKind.ANSWER, row["reply_chat_id"], payload, priority, now)
        still_open = questions.count_where("ref = ? AND answered_at IS NULL", (referral.ref,))
        if referral.status == INFO_REQUESTED and not still_open:
            changes = {"status": AWAITING_CHAIR, "updated_at": at}
            db.table("referrals").update(referral.ref, changes)
            detail = f"{INFO_REQUESTED} -> {AWAITING_CHAIR}: information received"
            append_event(db, referral.ref, user_id, "status", detail, now)
        updated = questions.get(question_id)
    return _question(updated)
