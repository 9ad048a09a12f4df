"""The append-only event log: who did what to which referral, when, and why.

An event's row (`events`: who, when, which referral, what action) is never changed or deleted:
there is no update or delete function, and triggers make a direct SQL `UPDATE` or `DELETE` fail.
The one change the triggers allow is the actor of a person who asked to be forgotten (and is no
longer registered) replaced by a pseudonym (`storage.rights.forget`). An event's words (a status
move, a reason, a note) are held beside it in `event_texts`, so that the retention schedule can
erase free text (`storage.retention`) without rewriting the log; readers join the two. Events with
no referral (`ref` None) record things such as registrations and refused officer commands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import transaction
from storage.timestamps import from_iso, to_iso

VIEWED = "viewed"
EXPORTED = "exported"  # a referral's data beyond the default left in a CSV export

# Every reader of the log sees an event with its words (empty when it has none).
_SELECT = (
    "SELECT e.id, e.ref, e.actor, e.at, e.action, e.actor_name, coalesce(t.text, '') AS detail"
    " FROM events e LEFT JOIN event_texts t ON t.event_id = e.id"
)

MAX_NAME = 64  # a first name longer than this is cut (Telegram allows 64 characters)


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the log. `actor` is a user id as text, a pseudonym (`forgotten-…`), or a
    role such as "system" or "cli"; `detail` its words, as written or as erased; `actor_name`
    the person's first name as Telegram gave it at the time (None when not known, and for
    events written before names were kept)."""

    id: int
    ref: str | None
    actor: str
    at: dt.datetime
    action: str
    detail: str
    actor_name: str | None = None


def _event(row: dict[str, Any]) -> Event:
    return Event(
        id=row["id"],
        ref=row["ref"],
        actor=row["actor"],
        at=from_iso(row["at"]),
        action=row["action"],
        detail=row["detail"],
        actor_name=row.get("actor_name"),
    )


def append_event(
    db: Database,
    ref: str | None,
    actor: str | int,
    action: str,
    detail: str,
    now: dt.datetime,
    *,
    actor_name: str | None = None,
) -> Event:
    """Append one event (inside the caller's transaction when one is open) and return it.

    `detail` is the why or the what (a status move, a reason, a note); free text in it must
    already be redacted by the caller. It is stored in `event_texts`, where the retention
    schedule can erase it. `actor_name` is the acting person's first name at the time (so the
    log can name them later without asking Telegram), or None.
    """
    if not action:
        raise ValueError("an event needs an action")
    at = to_iso(now)
    name = (actor_name or "").strip()[:MAX_NAME] or None
    row = {"ref": ref, "actor": str(actor), "at": at, "action": action, "actor_name": name}
    event_id = db.table("events").insert(row).last_rowid
    assert event_id is not None
    if detail:
        db.table("event_texts").insert({"event_id": event_id, "text": detail})
    return Event(event_id, ref, str(actor), from_iso(at), action, detail, name)


def events_for(db: Database, ref: str) -> list[Event]:
    """Every event of one referral, oldest first."""
    return [_event(row) for row in db.query(f"{_SELECT} WHERE e.ref = ? ORDER BY e.id", (ref,))]


def latest_events(db: Database, ref: str, limit: int) -> tuple[list[Event], int]:
    """The newest `limit` events of one referral, oldest first, and how many it has in all
    (read on the referral's index: only what is shown)."""
    rows = db.query(f"{_SELECT} WHERE e.ref = ? ORDER BY e.id DESC LIMIT ?", (ref, int(limit)))
    newest = [_event(row) for row in rows]
    newest.reverse()
    total = db.table("events").count_where("ref = ?", (ref,))
    return newest, total


def names_of(db: Database, actors: Iterable[str | int]) -> dict[str, str]:
    """The first name each actor last gave with an event (actors never named are absent).

    One look-up by key a person (the newest named event of each, on `events_named_actor`), so
    the cost does not grow with how many events they made.
    """
    out: dict[str, str] = {}
    for actor in sorted({str(actor) for actor in actors}):
        row = db.execute(
            "SELECT actor_name FROM events INDEXED BY events_named_actor"
            " WHERE actor = ? AND actor_name IS NOT NULL ORDER BY id DESC LIMIT 1",
            (actor,),
        ).fetchone()
        if row is not None:
            out[actor] = row[0]
    return out


def get_event(db: Database, event_id: int) -> Event | None:
    """One event by its id, with its words, or None."""
    row = next(db.query(f"{_SELECT} WHERE e.id = ?", (event_id,)), None)
    return None if row is None else _event(row)


def events_by(db: Database, actor: str | int, action: str | None = None) -> list[Event]:
    """Every event by one actor (optionally of one action), oldest first."""
    if action is None:
        rows = db.query(f"{_SELECT} WHERE e.actor = ? ORDER BY e.id", (str(actor),))
    else:
        sql = f"{_SELECT} WHERE e.actor = ? AND e.action = ? ORDER BY e.id"
        rows = db.query(sql, (str(actor), action))
    return [_event(row) for row in rows]


def record_view(
    db: Database, ref: str, actor: str | int, via: str, now: dt.datetime
) -> Event | None:
    """Log that `actor` looked at referral `ref` (`via`: "/case", "/tor"), at most once a day
    per person and referral (UTC day), so repeated looks do not grow the log; returns the new
    event, or None when today's is already there."""
    day = now.astimezone(dt.UTC).date()
    bounds = (day.isoformat(), (day + dt.timedelta(days=1)).isoformat())
    with transaction(db):  # on the index of the views by referral, person and moment
        seen = db.execute(
            f"SELECT 1 FROM events WHERE ref = ? AND action = '{VIEWED}' AND actor = ?"
            " AND at >= ? AND at < ? LIMIT 1",
            (ref, str(actor), *bounds),
        ).fetchone()
        if seen is not None:
            return None
        return append_event(db, ref, actor, VIEWED, via, now)


def record_exports(
    db: Database, refs: Iterable[str], actor: str | int, detail: str, now: dt.datetime
) -> int:
    """Log, in one transaction, that what `detail` names of each referral left in an export
    (`triage-bot export --with-case-reference`); how many events were written."""
    count = 0
    with transaction(db):
        for ref in refs:
            append_event(db, ref, actor, EXPORTED, detail, now)
            count += 1
    return count
