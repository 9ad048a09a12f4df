"""Drafts: one unfinished check per practitioner (state, answers, urgent), saved at every step.

A draft restored in a fresh process continues at the same question with the same answers. A
draft untouched for longer than the time-to-live expires: `load_draft` deletes it and raises
`DraftExpired` so the caller can tell the practitioner; `expire_drafts` sweeps them all.
Free text in `answers` must already be redacted by the caller. The draft also remembers the
message id of the question last sent (`set_prompt_message`), so that after a restart the bot can
still edit that message and take its buttons off.

A draft is read and saved at every answer, so this module speaks plain SQL by key, one
statement each (the save an upsert that gives the row back), rather than sqlite-utils' `Table`
API, which reads the schema (two to four statements) on every call.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import fetch, from_json, to_json, transaction
from storage.timestamps import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class Draft:
    """A practitioner's unfinished check. `draft_id` stays the same across saves (and filing)."""

    user_id: int
    draft_id: str
    state: str
    answers: Mapping[str, Any]
    urgent: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    prompt_message_id: int | None = None


class DraftExpired(Exception):
    """The draft was older than its time-to-live and has been deleted."""

    def __init__(self, draft: Draft) -> None:
        super().__init__(f"the draft of user {draft.user_id} expired")
        self.draft = draft


def _draft(row: Mapping[str, Any]) -> Draft:
    return Draft(
        user_id=row["user_id"],
        draft_id=row["draft_id"],
        state=row["state"],
        answers=from_json(row["answers"]),
        urgent=bool(row["urgent"]),
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        prompt_message_id=row["prompt_message_id"],
    )


# A draft is saved at every answer: one statement that creates it (its draft_id and created_at
# are the first save's) or updates it, and gives the row back.
SAVE = (
    "INSERT INTO drafts (user_id, draft_id, state, answers, urgent, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, answers = excluded.answers,"
    " urgent = excluded.urgent, updated_at = excluded.updated_at"
    " RETURNING *"
)


def save_draft(
    db: Database,
    user_id: int,
    state: str,
    answers: Mapping[str, Any],
    urgent: bool,
    now: dt.datetime,
) -> Draft:
    """Create or update the user's draft in one statement; the first save gives its draft_id.
    Not fsynced on its own (`storage.db.transaction`): a power cut may cost the last answers."""
    at = to_iso(now)
    values = (user_id, str(uuid.uuid4()), state, to_json(dict(answers)), int(urgent), at, at)
    with transaction(db, durable=False):
        (row,) = fetch(db, SAVE, values)  # RETURNING: the row inserted or updated
    return _draft(row)


def _expired(draft: Draft, now: dt.datetime, ttl_hours: int) -> bool:
    return now - draft.updated_at > dt.timedelta(hours=ttl_hours)


def load_draft(db: Database, user_id: int, now: dt.datetime, ttl_hours: int) -> Draft | None:
    """The user's draft, None if there is none; `DraftExpired` (after deleting it) if too old."""
    found = fetch(db, "SELECT * FROM drafts WHERE user_id = ?", (user_id,))
    if not found:
        return None
    draft = _draft(found[0])
    if _expired(draft, now, ttl_hours):
        db.execute(
            "DELETE FROM drafts WHERE user_id = ? AND draft_id = ?", (user_id, draft.draft_id)
        )
        raise DraftExpired(draft)
    return draft


def delete_draft(db: Database, user_id: int) -> bool:
    """Discard the user's draft (`/cancel`); False if there was none."""
    return db.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,)).rowcount == 1


def expire_drafts(db: Database, now: dt.datetime, ttl_hours: int) -> list[int]:
    """Delete every draft untouched for more than `ttl_hours`; returns their users' ids."""
    cutoff = to_iso(now - dt.timedelta(hours=ttl_hours))
    drafts = db.table("drafts")
    with transaction(db):
        rows = list(drafts.rows_where("updated_at < ?", (cutoff,), order_by="user_id"))
        drafts.delete_where("updated_at < ?", (cutoff,))
    return [row["user_id"] for row in rows]


def set_prompt_message(db: Database, user_id: int, message_id: int | None) -> bool:
    """Remember the message of the question last sent to the user; False if they have no draft.

    Kept across `save_draft`; gone with the draft. Part of the draft, so committed like its
    save (`storage.db.transaction(durable=False)`): no fsync of its own.
    """
    with transaction(db, durable=False):
        cursor = db.execute(
            "UPDATE drafts SET prompt_message_id = ? WHERE user_id = ?", (message_id, user_id)
        )
    return cursor.rowcount == 1


def prompt_message(db: Database, user_id: int) -> int | None:
    """The message id of the question last sent to the user, or None (no draft, or none sent)."""
    found = db.execute(
        "SELECT prompt_message_id FROM drafts WHERE user_id = ?", (user_id,)
    ).fetchone()
    return None if found is None else found[0]


def count_drafts(db: Database) -> int:
    """How many drafts are live (for the benchmark's memory per draft)."""
    return db.table("drafts").count
