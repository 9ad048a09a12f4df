"""A learning event's feedback (SPEC §9): each attendee's questionnaire while they answer it, and
what they said, kept apart from them.

While a person answers, their answers sit in their session (`event_feedback_sessions`, opened by
`storage.learning_events.claim_questions`); when they finish, `finish_feedback` moves what they
said into `event_feedback`, a row with no user id, no time and a random key (so neither the
order nor the time ties it to the person), and empties the session's answers, which then only
counts that they answered. `feedback_summary(db, ref)` is what the overview report and the
annual update read: counts, the safety scores' mean and range, and what people will do
differently, never who said it.
"""

from __future__ import annotations

import datetime as dt
import secrets
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from storage.db import from_json, get_or_none, to_json, transaction
from storage.learning_events import Counts, LearningEvent, counts, get_event
from storage.timestamps import from_iso


@dataclass(frozen=True, slots=True)
class FeedbackSession:
    """An attendee's feedback questionnaire: its state and answers while it is answered (empty
    once done: what they said is then in `event_feedback`, apart from them)."""

    ref: str
    user_id: int
    state: str
    answers: Mapping[str, Any]
    queued_at: dt.datetime
    done: bool


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """A review's learning event as the reports show it, without names: who was invited and
    said they would come, how many gave feedback, the safety scores (1–5), and what people will
    do differently and what they learned (redacted, in no order that ties them to anyone)."""

    ref: str
    event: LearningEvent | None
    counts: Counts = field(default_factory=Counts)
    feedback: int = 0
    safety: tuple[int, ...] = ()
    differently: tuple[str, ...] = ()
    learned: tuple[str, ...] = ()

    @property
    def safety_mean(self) -> float | None:
        """The mean safety score, or None without feedback."""
        return statistics.fmean(self.safety) if self.safety else None

    @property
    def safety_range(self) -> tuple[int, int] | None:
        """The lowest and highest safety score, or None without feedback."""
        return (min(self.safety), max(self.safety)) if self.safety else None


def _session(row: Mapping[str, Any]) -> FeedbackSession:
    return FeedbackSession(
        ref=row["ref"],
        user_id=row["user_id"],
        state=row["state"],
        answers=from_json(row["answers"]),
        queued_at=from_iso(row["queued_at"]),
        done=bool(row["done"]),
    )


def session(db: Database, ref: str, user_id: int) -> FeedbackSession | None:
    """One attendee's feedback session of the event of `ref`, or None."""
    row = get_or_none(db.table("event_feedback_sessions"), (ref, user_id))
    return None if row is None else _session(row)


def save_session(
    db: Database, ref: str, user_id: int, state: str, answers: Mapping[str, Any]
) -> bool:
    """Save an open session's state and answers (redacted already); False once it is done."""
    cursor = db.execute(
        "UPDATE event_feedback_sessions SET state = ?, answers = ?"
        " WHERE ref = ? AND user_id = ? AND done = 0",
        (state, to_json(dict(answers)), ref, user_id),
    )
    return cursor.rowcount == 1


def finish_feedback(
    db: Database,
    ref: str,
    user_id: int,
    state: str,
    learned: str,
    differently: str,
    safety: int,
) -> bool:
    """Keep a finished session's feedback apart from the person (a row with a random key, no
    user id, no time) and empty the session's answers, in one transaction; False when the
    session was already done (nothing is kept twice)."""
    with transaction(db):
        cursor = db.execute(
            "UPDATE event_feedback_sessions SET state = ?, answers = '{}', done = 1"
            " WHERE ref = ? AND user_id = ? AND done = 0",
            (state, ref, user_id),
        )
        if cursor.rowcount != 1:
            return False
        db.table("event_feedback").insert(
            {
                "id": secrets.token_hex(8),
                "ref": ref,
                "learned": learned,
                "differently": differently,
                "safety": int(safety),
            }
        )
    return True


def open_sessions(db: Database, user_id: int) -> list[FeedbackSession]:
    """This person's feedback sessions not yet finished, oldest first."""
    rows = db.table("event_feedback_sessions").rows_where(
        "user_id = ? AND done = 0", (user_id,), order_by="queued_at, ref"
    )
    return [_session(row) for row in rows]


def feedback_summary(db: Database, ref: str) -> FeedbackSummary:
    """The learning event of `ref` for the reports, without names (see `FeedbackSummary`)."""
    total, _ = counts(db, ref)
    rows = list(
        db.table("event_feedback").rows_where(
            "ref = ?", (ref,), order_by="id", select="learned, differently, safety"
        )
    )
    return FeedbackSummary(
        ref=ref,
        event=get_event(db, ref),
        counts=total,
        feedback=len(rows),
        safety=tuple(int(row["safety"]) for row in rows),
        differently=tuple(str(row["differently"]) for row in rows if row["differently"]),
        learned=tuple(str(row["learned"]) for row in rows if row["learned"]),
    )


def answered_feedback(db: Database, ref: str) -> int:
    """How many of the event's attendees finished their feedback (counted from the sessions,
    apart from what was said)."""
    return db.table("event_feedback_sessions").count_where("ref = ? AND done = 1", (ref,))
