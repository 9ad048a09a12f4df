"""The outbox: every notification to send, written in the same transaction as the change it
announces, and sent by the bot's dispatcher.

A row names a referral (or none), a kind and a chat; `payload` carries extra data only (ids, a
question number), never rendered text: the bot renders each row from the referral at send time.
`due` gives pending rows whose time has come, urgent (higher priority) first, then in the order
they were written. `mark_sent` succeeds once per row, so a row is never recorded as sent twice.

Before its send a row is claimed (`claim`: `claimed_at` set, and `next_attempt_at` pushed a lease
ahead so no other sender takes it); every outcome clears the claim. A claim still standing when a
process starts (`release_interrupted`), or whose lease ran out, marks a send that was cut short: it
may or may not have reached Telegram, which offers no way to ask. Such a row is counted in
`interrupted` and sent again, so a notification is never lost; only that one in-flight message
can arrive twice. A row of several messages (a long learning brief and its document) records each
message as it goes out (`mark_part_sent`, `parts_sent`), so it is resumed at the message that was
in flight, never sent again from its start.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from storage.db import fetch, from_json, get_or_none, to_json
from storage.timestamps import from_iso, from_iso_or_none, to_iso

PRIORITY_NORMAL = 0
PRIORITY_URGENT = 10
PRIORITY_BRIEF = -10  # learning briefs go after every referral notice

PENDING, SENT, FAILED = "pending", "sent", "failed"

# Chat ids at or below this are pseudonyms of people who asked to be forgotten (`storage.rights`):
# no Telegram id is that large, and nothing is ever sent to one.
FORGOTTEN_CHATS = -(2**53)
FORGOTTEN_ERROR = "the recipient asked to be forgotten"
# Errors after which a message may or may not have reached Telegram: a send cut short by a crash
# (`release_interrupted`), or one that timed out (the exception's name, as the sender records it).
INTERRUPTED = "interrupted"
UNKNOWN_OUTCOME = (INTERRUPTED, "TimedOut")


class OutboxKind(enum.StrEnum):
    """What an outbox row announces (stored as these strings; the bot renders each kind)."""

    BOARD_NOTICE = "board_notice"  # a new referral, to the board group
    CHAIR_CARD = "chair_card"  # the decision card, to each chair
    RECEIPT = "receipt"  # the practitioner's receipt
    QUESTION = "question"  # the board's question, relayed to the practitioner
    ANSWER = "answer"  # the practitioner's answer, back to whoever asked
    DECISION = "decision"  # the chair's decision, to the practitioner and the board
    REMINDER = "reminder"  # a reminder (the chair's decision overdue, a plan's date passed)
    ACTION_LEAD = "action_lead"  # an action to its agency's lead: new, or due today
    ACTION_UPDATE = "action_update"  # an action started, done, dropped or late, to the board
    ACTIONS_OVERDUE = "actions_overdue"  # the day's overdue actions, one message to the board
    BRIEF_CARD = "brief_card"  # a learning brief to approve, to each chair
    BRIEF = "brief"  # an approved learning brief, to one practitioner
    TERMS_CARD = "terms_card"  # a review's Terms of Reference, to each panel member to agree
    TERMS_UPDATE = "terms_update"  # the terms sent back or agreed, to the board group
    LOWER_GRADE = "lower_grade"  # a lower grade a regrade proposes, to each decider
    REGRADE_NOTICE = "regrade_notice"  # a decided referral's grade raised or lowered, to the board
    EVENT_INVITE = "event_invite"  # a learning event's invitation (or its move), to one invitee
    EVENT_REMINDER = "event_reminder"  # the learning event tomorrow, to one who is coming
    EVENT_FEEDBACK = "event_feedback"  # the feedback questions after the event, to an attendee
    THEMES = "themes"  # a review's themes settled, to the board group
    AGENCY_REVIEW_ASK = "agency_review_ask"  # an agency review asked of each of its agency's leads
    AGENCY_REVIEW_NO_LEAD = "agency_review_no_lead"  # agencies with no lead to ask, to the board
    AGENCY_REVIEW_IN = "agency_review_in"  # an agency review submitted, to the board group
    AGENCY_REVIEW_DUE = "agency_review_due"  # an agency review due soon or today, to its lead(s)
    AGENCY_REVIEWS_OVERDUE = "agency_reviews_overdue"  # the day's overdue ones, one message


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A notification to enqueue: what kind, to which chat, with which extra data.

    `priority` None takes the referral's: urgent referrals go first.
    """

    kind: OutboxKind
    chat_id: int
    payload: Mapping[str, Any] = field(default_factory=dict)
    priority: int | None = None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One stored notification and its delivery state."""

    id: int
    ref: str | None
    kind: str
    chat_id: int
    priority: int
    payload: Mapping[str, Any]
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    sent_message_id: int | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    claimed_at: dt.datetime | None = None
    interrupted: int = 0
    parts_sent: int = 0  # of a row of several messages, how many went out already

    @property
    def cut_short(self) -> bool:
        """Whether the last attempt ended without knowing if Telegram delivered the message in
        flight: a crash or a lease run out (the claim stands), or a timeout."""
        return self.claimed_at is not None or self.last_error in UNKNOWN_OUTCOME


def _row(row: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        ref=row["ref"],
        kind=row["kind"],
        chat_id=row["chat_id"],
        priority=row["priority"],
        payload=from_json(row["payload"]),
        status=row["status"],
        attempts=row["attempts"],
        next_attempt_at=from_iso(row["next_attempt_at"]),
        last_error=row["last_error"],
        sent_message_id=row["sent_message_id"],
        created_at=from_iso(row["created_at"]),
        sent_at=from_iso_or_none(row["sent_at"]),
        claimed_at=from_iso_or_none(row["claimed_at"]),
        interrupted=row["interrupted"],
        parts_sent=row["parts_sent"],
    )


def enqueue(
    db: Database,
    ref: str | None,
    kind: OutboxKind,
    chat_id: int,
    payload: Mapping[str, Any],
    priority: int,
    now: dt.datetime,
) -> int:
    """Queue one notification, due at once; returns its id. Joins the caller's transaction.

    A row to a person who asked to be forgotten (a pseudonym, see `storage.rights`) is written
    as failed, with that reason, and never sent.
    """
    if not kind:
        raise ValueError("an outbox row needs a kind")
    at = to_iso(now)
    forgotten = int(chat_id) <= FORGOTTEN_CHATS
    row = {
        "ref": ref,
        "kind": str(kind),
        "chat_id": int(chat_id),
        "priority": int(priority),
        "payload": to_json(dict(payload)),
        "next_attempt_at": at,
        "created_at": at,
        "status": FAILED if forgotten else PENDING,
        "last_error": FORGOTTEN_ERROR if forgotten else None,
    }
    row_id = db.table("outbox").insert(row).last_rowid
    assert row_id is not None
    return row_id


def enqueue_items(
    db: Database,
    ref: str | None,
    items: Sequence[OutboxItem],
    default_priority: int,
    now: dt.datetime,
) -> list[int]:
    """Queue several notifications (inside the caller's transaction); returns their ids."""
    return [
        enqueue(
            db,
            ref,
            item.kind,
            item.chat_id,
            item.payload,
            default_priority if item.priority is None else item.priority,
            now,
        )
        for item in items
    ]


def due(db: Database, now: dt.datetime, limit: int = 50) -> list[OutboxRow]:
    """Pending rows whose next attempt is due at `now`: highest priority first, then oldest."""
    rows = fetch(  # one statement: it runs every second (`bot.delivery.sender`)
        db,
        "SELECT * FROM outbox WHERE status = ? AND next_attempt_at <= ?"
        " ORDER BY priority DESC, id LIMIT ?",
        (PENDING, to_iso(now), int(limit)),
    )
    return [_row(row) for row in rows]


def claim(db: Database, row_id: int, now: dt.datetime, lease: dt.timedelta) -> bool:
    """Claim a due row for sending until `now + lease`; False if it is not due or not pending.

    Commits at once (outside any transaction), so that a crash during the send leaves the claim
    behind. A row whose earlier claim ran out is claimed again and counted as interrupted.
    """
    at = to_iso(now)
    cursor = db.execute(
        "UPDATE outbox SET interrupted = interrupted + (claimed_at IS NOT NULL),"
        " claimed_at = ?, next_attempt_at = ?"
        " WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?",
        (at, to_iso(now + lease), row_id, at),
    )
    return cursor.rowcount == 1


def release_interrupted(db: Database, now: dt.datetime) -> list[int]:
    """At start-up: every row still claimed was cut short by a crash; make it due again now.

    Returns the ids released (each counted in `interrupted`).
    """
    rows = db.query(
        "UPDATE outbox SET claimed_at = NULL, interrupted = interrupted + 1,"
        " last_error = ?, next_attempt_at = ?"
        " WHERE status = 'pending' AND claimed_at IS NOT NULL RETURNING id",
        (INTERRUPTED, to_iso(now)),
    )
    return sorted(int(row["id"]) for row in rows)


def get_row(db: Database, row_id: int) -> OutboxRow | None:
    """One outbox row by id."""
    row = get_or_none(db.table("outbox"), row_id)
    return None if row is None else _row(row)


def mark_part_sent(db: Database, row_id: int, parts: int, message_id: int | None) -> bool:
    """Record that the first `parts` messages of a claimed row went out (and, once the message
    with the buttons is among them, its Telegram id); False if the row is no longer pending.

    Commits at once, like `claim`: a send cut short after it resumes at the next message.
    """
    cursor = db.execute(
        "UPDATE outbox SET parts_sent = ?, sent_message_id = coalesce(?, sent_message_id)"
        " WHERE id = ? AND status = 'pending'",
        (parts, message_id, row_id),
    )
    return cursor.rowcount == 1


def mark_sent(db: Database, row_id: int, message_id: int | None, now: dt.datetime) -> bool:
    """Record a row as sent with Telegram's message id; False if it was no longer pending."""
    cursor = db.execute(
        "UPDATE outbox SET status = 'sent', sent_message_id = ?, sent_at = ?, last_error = NULL,"
        " claimed_at = NULL, attempts = attempts + 1 WHERE id = ? AND status = 'pending'",
        (message_id, to_iso(now), row_id),
    )
    return cursor.rowcount == 1


def mark_retry(db: Database, row_id: int, error: str, retry_at: dt.datetime) -> int:
    """Count a failed attempt and schedule the next at `retry_at`; returns the attempts so far.

    `error` is a short reason (an exception name, a status code), never message text. Returns 0
    when the row is no longer pending (nothing changed).
    """
    cursor = db.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
        " claimed_at = NULL WHERE id = ? AND status = 'pending'",
        (error, to_iso(retry_at), row_id),
    )
    if cursor.rowcount != 1:
        return 0
    return int(db.table("outbox").get(row_id)["attempts"])


def defer_chat(db: Database, chat_id: int, until: dt.datetime) -> int:
    """Hold every waiting row to `chat_id` until at least `until`; returns how many moved.

    After a failed send to a chat, its other rows wait as long as the failed one, so that when
    the chat takes messages again they all come due together and go in priority order: an
    urgent notice is never overtaken by an older routine one whose back-off ran out first.
    """
    at = to_iso(until)
    cursor = db.execute(
        "UPDATE outbox SET next_attempt_at = ? WHERE chat_id = ? AND status = 'pending'"
        " AND claimed_at IS NULL AND next_attempt_at < ?",
        (at, chat_id, at),
    )
    return cursor.rowcount


def mark_failed(db: Database, row_id: int, error: str, now: dt.datetime) -> bool:
    """Give up on a row (too many attempts, or a permanent refusal); False if not pending."""
    cursor = db.execute(
        "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,"
        " next_attempt_at = ?, claimed_at = NULL WHERE id = ? AND status = 'pending'",
        (error, to_iso(now), row_id),
    )
    return cursor.rowcount == 1


def pending_count(db: Database) -> int:
    """How many rows still wait to be sent (due now or later)."""
    return db.table("outbox").count_where("status = ?", (PENDING,))


def rows_for(db: Database, ref: str, kind: OutboxKind | None = None) -> list[OutboxRow]:
    """Every row of one referral (optionally of one kind), in the order written.

    The sent rows of kind `chair_card` give each chair's card message (`chat_id`,
    `sent_message_id`), so a decided card can have its buttons removed.
    """
    outbox = db.table("outbox")
    if kind is None:
        rows = outbox.rows_where("ref = ?", (ref,), order_by="id")
    else:
        rows = outbox.rows_where("ref = ? AND kind = ?", (ref, str(kind)), order_by="id")
    return [_row(row) for row in rows]
