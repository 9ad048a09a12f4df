"""The practitioners' learning event of a review (SPEC §9): the event, its invitations, the
attendees' feedback questionnaires and the feedback itself.

One event a review (`learning_events`, keyed by the referral): scheduling again moves it and
bumps its `version`, so an invitation's buttons name the version they were sent with. An
invitation (`event_invitations`) is one a person and event (no one is invited twice), with
their answer (`coming`, `not_coming`, or none yet), changeable until the start.

Once the event has ended, `claim_questions` marks it (a compare-and-set: the feedback questions
are queued once however often, and after however many restarts, the job runs) and opens a
feedback questionnaire (`event_feedback_sessions`) for each who was coming; the feedback itself
is `storage.event_feedback`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import get_or_none, to_json, transaction
from storage.events import append_event
from storage.timestamps import from_iso, from_iso_or_none, to_iso

COMING, NOT_COMING = "coming", "not_coming"
ANSWERS = (COMING, NOT_COMING)

SCHEDULED, MOVED = "event_scheduled", "event_moved"  # the event log's actions
INVITED, ANSWERED = "event_invited", "event_answered"
QUESTIONS = "event_questions"
# The event log's actions of a learning event: their words are only ever the program's own.
EVENT_ACTIONS = (SCHEDULED, MOVED, INVITED, ANSWERED, QUESTIONS)


@dataclass(frozen=True, slots=True)
class LearningEvent:
    """A review's learning event: when (UTC), where, which version, and whether its feedback
    questions went out."""

    ref: str
    version: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    scheduled_by: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    questions_queued_at: dt.datetime | None = None

    def started(self, now: dt.datetime) -> bool:
        """Whether the event has begun at `now` (answers are no longer changed)."""
        return now >= self.starts_at

    def ended(self, now: dt.datetime) -> bool:
        """Whether the event is over at `now`."""
        return now >= self.ends_at


@dataclass(frozen=True, slots=True)
class Invitation:
    """One person's invitation to a review's event, as the agency they were invited in."""

    ref: str
    user_id: int
    agency: str
    invited_at: dt.datetime
    answer: str | None
    answered_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Counts:
    """How many were invited, are coming, can't come and have not answered (in one agency, or
    all)."""

    invited: int = 0
    coming: int = 0
    not_coming: int = 0

    @property
    def unanswered(self) -> int:
        """Invited and not answered."""
        return self.invited - self.coming - self.not_coming


def _event(row: Mapping[str, Any]) -> LearningEvent:
    return LearningEvent(
        ref=row["ref"],
        version=row["version"],
        starts_at=from_iso(row["starts_at"]),
        ends_at=from_iso(row["ends_at"]),
        place=row["place"],
        scheduled_by=row["scheduled_by"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        questions_queued_at=from_iso_or_none(row["questions_queued_at"]),
    )


def _invitation(row: Mapping[str, Any]) -> Invitation:
    return Invitation(
        ref=row["ref"],
        user_id=row["user_id"],
        agency=row["agency"],
        invited_at=from_iso(row["invited_at"]),
        answer=row["answer"],
        answered_at=from_iso_or_none(row["answered_at"]),
    )


def get_event(db: Database, ref: str) -> LearningEvent | None:
    """The learning event of a review, or None when none is scheduled."""
    row = get_or_none(db.table("learning_events"), ref)
    return None if row is None else _event(row)


def schedule(
    db: Database,
    ref: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str,
    officer_id: int,
    officer_name: str | None,
    now: dt.datetime,
) -> tuple[LearningEvent, bool]:
    """Schedule the event of `ref` (`place` already redacted), or move it (a new version, its
    feedback not yet asked); joins the caller's transaction. Returns it and whether it moved."""
    table = db.table("learning_events")
    old = get_event(db, ref)
    row: dict[str, Any] = {
        "ref": ref,
        "version": 1 if old is None else old.version + 1,
        "starts_at": to_iso(starts_at),
        "ends_at": to_iso(ends_at),
        "place": place,
        "scheduled_by": officer_id,
        "created_at": to_iso(now if old is None else old.created_at),
        "updated_at": to_iso(now),
        "questions_queued_at": None,
    }
    if old is None:
        table.insert(row)
    else:
        table.update(ref, row)
    when = f"{row['starts_at'][:16]} to {row['ends_at'][:16]} UTC"
    action = SCHEDULED if old is None else MOVED
    append_event(
        db,
        ref,
        officer_id,
        action,
        f"version {row['version']}: {when}",
        now,
        actor_name=officer_name,
    )
    event = get_event(db, ref)
    assert event is not None
    return event, old is not None


def invite(db: Database, ref: str, people: Mapping[int, str], now: dt.datetime) -> list[Invitation]:
    """Invite each of `people` (user id -> agency) not invited yet; joins the caller's
    transaction. Returns the invitations made now (no one is invited twice)."""
    table = db.table("event_invitations")
    made = []
    for user_id, agency in people.items():
        if get_or_none(table, (ref, user_id)) is not None:
            continue
        row = {
            "ref": ref,
            "user_id": user_id,
            "agency": agency,
            "invited_at": to_iso(now),
            "answer": None,
            "answered_at": None,
        }
        table.insert(row)
        made.append(_invitation(row))
    if made:
        append_event(db, ref, "system", INVITED, f"{len(made)} invited", now)
    return made


def invitation(db: Database, ref: str, user_id: int) -> Invitation | None:
    """One person's invitation to the event of `ref`, or None when they were not invited."""
    row = get_or_none(db.table("event_invitations"), (ref, user_id))
    return None if row is None else _invitation(row)


def invitations(db: Database, ref: str) -> list[Invitation]:
    """Every invitation to the event of `ref`, by agency then in the order made."""
    rows = db.table("event_invitations").rows_where(
        "ref = ?", (ref,), order_by="agency, invited_at, user_id"
    )
    return [_invitation(row) for row in rows]


def invitations_of(db: Database, user_id: int) -> list[Invitation]:
    """Every invitation of one person (for `/mydata` and a subject access request)."""
    rows = db.table("event_invitations").rows_where(
        "user_id = ?", (user_id,), order_by="invited_at, ref"
    )
    return [_invitation(row) for row in rows]


def answer(db: Database, ref: str, user_id: int, said: str, now: dt.datetime) -> bool:
    """Record an invitee's answer (`coming` or `not_coming`) while the event has not begun;
    False when they were not invited or it has begun. In one transaction, with its event."""
    if said not in ANSWERS:
        raise ValueError(f"an answer is one of {ANSWERS}, not {said!r}")
    with transaction(db):
        cursor = db.execute(
            "UPDATE event_invitations SET answer = ?, answered_at = ?"
            " WHERE ref = ? AND user_id = ? AND EXISTS (SELECT 1 FROM learning_events e"
            " WHERE e.ref = event_invitations.ref AND e.starts_at > ?)",
            (said, to_iso(now), ref, user_id, to_iso(now)),
        )
        if cursor.rowcount != 1:
            return False
        append_event(db, ref, user_id, ANSWERED, said, now)
    return True


def counts(db: Database, ref: str) -> tuple[Counts, dict[str, Counts]]:
    """The event's invitations counted, in all and by agency (in agency order)."""
    rows = db.query(
        "SELECT agency, count(*) AS invited,"
        " sum(answer = 'coming') AS coming, sum(answer = 'not_coming') AS not_coming"
        " FROM event_invitations WHERE ref = ? GROUP BY agency ORDER BY agency",
        (ref,),
    )
    by_agency = {
        str(row["agency"]): Counts(
            int(row["invited"]), int(row["coming"] or 0), int(row["not_coming"] or 0)
        )
        for row in rows
    }
    total = Counts(
        sum(c.invited for c in by_agency.values()),
        sum(c.coming for c in by_agency.values()),
        sum(c.not_coming for c in by_agency.values()),
    )
    return total, by_agency


def coming(db: Database, ref: str) -> list[int]:
    """Who said they would come to the event of `ref`."""
    rows = db.table("event_invitations").rows_where(
        "ref = ? AND answer = ?", (ref, COMING), order_by="user_id", select="user_id"
    )
    return [int(row["user_id"]) for row in rows]


def scheduled(db: Database) -> list[LearningEvent]:
    """Every learning event, soonest first."""
    return [_event(row) for row in db.table("learning_events").rows_where(order_by="starts_at")]


def ended_unasked(db: Database, now: dt.datetime) -> list[LearningEvent]:
    """Events over at `now` whose feedback questions have not been queued."""
    rows = db.table("learning_events").rows_where(
        "questions_queued_at IS NULL AND ends_at <= ?", (to_iso(now),), order_by="ends_at"
    )
    return [_event(row) for row in rows]


def claim_questions(
    db: Database, event: LearningEvent, first_state: str, now: dt.datetime
) -> list[int] | None:
    """Mark the event's questions as queued (once: None when already done, or when the event
    moved since it was read) and open a feedback session for each who was coming; joins the
    caller's transaction. Returns who is to be asked."""
    cursor = db.execute(
        "UPDATE learning_events SET questions_queued_at = ?"
        " WHERE ref = ? AND version = ? AND questions_queued_at IS NULL AND ends_at <= ?",
        (to_iso(now), event.ref, event.version, to_iso(now)),
    )
    if cursor.rowcount != 1:
        return None
    asked = coming(db, event.ref)
    table = db.table("event_feedback_sessions")
    for user_id in asked:
        row = {
            "ref": event.ref,
            "user_id": user_id,
            "state": first_state,
            "answers": to_json({}),
            "queued_at": to_iso(now),
            "done": 0,
        }
        table.upsert(row, pk=("ref", "user_id"))
    append_event(db, event.ref, "system", QUESTIONS, f"{len(asked)} asked for feedback", now)
    return asked


def events_in(db: Database, year: int) -> list[LearningEvent]:
    """The learning events that began in `year` (UTC), in order."""
    rows = db.table("learning_events").rows_where(
        "substr(starts_at, 1, 4) = ?", (f"{year:04d}",), order_by="starts_at"
    )
    return [_event(row) for row in rows]


def registered_in(db: Database, agency: str) -> list[int]:
    """The registered practitioners of `agency` (any case), by user id."""
    rows = db.table("practitioners").rows_where(
        "agency = ? COLLATE NOCASE", (agency,), order_by="user_id", select="user_id"
    )
    return [int(row["user_id"]) for row in rows]
