"""A review's findings and its action plan (SPEC §7): what was learned, and who does what by when.

A finding is numbered within its referral. An action is owned by an agency, due on a date, and
named `REF/A1`, `REF/A2`… (`action_id`, `parse_action_id`); it is open, started, done (with its
evidence) or dropped (with a reason). Every change is an event of the referral, its words
beginning with the action's id, so the event log holds each action's history (`history`). The
texts (finding, action, evidence or reason) arrive redacted by the caller; they are erasable
under the retention schedule (`storage.retention.FREE_TEXT`).

The notifications go in the same transaction as the change: a new action to its agency's leads
(`OutboxKind.ACTION_LEAD`), what a lead or officer changed to the board group
(`OutboxKind.ACTION_UPDATE`); the daily digest of overdue actions is queued at most once a day
(`queue_digest_once`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import fetch, get_or_none, literal_in, one_of, to_json, transaction
from storage.events import Event, append_event, events_for
from storage.outbox import PRIORITY_NORMAL, OutboxItem, OutboxKind, enqueue_items
from storage.practitioners import leads_of
from storage.references import REF_PATTERN
from storage.referrals import require_referral
from storage.timestamps import from_iso, from_iso_or_none, to_iso

OPEN, STARTED, DONE, DROPPED = "open", "started", "done", "dropped"
LIVE = (OPEN, STARTED)  # not yet closed

# Event actions of the action plan (the words of each begin with the action's id).
FINDING, ACTION = "finding", "action"
STARTED_EVENT, DONE_EVENT, DROPPED_EVENT, LATE_EVENT = (
    "action_started",
    "action_done",
    "action_dropped",
    "action_late",
)
HISTORY = frozenset({ACTION, STARTED_EVENT, DONE_EVENT, DROPPED_EVENT, LATE_EVENT})

# What a change does: (new status or None to keep it, its event).
CHANGES: dict[str, tuple[str | None, str]] = {
    "started": (STARTED, STARTED_EVENT),
    "done": (DONE, DONE_EVENT),
    "dropped": (DROPPED, DROPPED_EVENT),
    "late": (None, LATE_EVENT),  # the lead cannot meet the date: a reason, status kept
}

OVERDUE_DIGEST = "actions_overdue"

_ID = re.compile(rf"^({REF_PATTERN})/A(\d{{1,6}})$", re.IGNORECASE)


class ActionError(Exception):
    """An action cannot change: `reason` is "unknown" or "closed" (done or dropped already)."""

    def __init__(self, reason: str, action_id: str) -> None:
        super().__init__(f"action {action_id}: {reason}")
        self.reason = reason
        self.action_id = action_id


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding of a review."""

    ref: str
    seq: int
    text: str
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Action:
    """One action of a review's action plan."""

    ref: str
    seq: int
    agency: str
    due: dt.date
    text: str
    status: str
    outcome: str | None  # the evidence (done) or the reason (dropped)
    recorded_by: str
    recorded_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None

    @property
    def id(self) -> str:
        """`REF/A<n>`."""
        return action_id(self.ref, self.seq)

    @property
    def is_open(self) -> bool:
        """Not yet done or dropped."""
        return self.status in LIVE

    def overdue(self, today: dt.date) -> bool:
        """Still open after its due date."""
        return self.is_open and today > self.due


def action_id(ref: str, seq: int) -> str:
    """The id people type: `LIR-2026-0001/A1`."""
    return f"{ref}/A{seq}"


def parse_action_id(text: str) -> tuple[str, int] | None:
    """(reference, number) from a typed id (any case), or None when it is not of that form."""
    match = _ID.match(text.strip())
    return (match[1].upper(), int(match[2])) if match else None


def _action(row: dict[str, Any]) -> Action:
    return Action(
        ref=row["ref"],
        seq=row["seq"],
        agency=row["agency"],
        due=dt.date.fromisoformat(row["due"]),
        text=row["text"],
        status=row["status"],
        outcome=row["outcome"],
        recorded_by=row["recorded_by"],
        recorded_at=from_iso(row["recorded_at"]),
        updated_at=from_iso(row["updated_at"]),
        closed_at=from_iso_or_none(row["closed_at"]),
    )


def add_finding(db: Database, ref: str, actor: str | int, text: str, now: dt.datetime) -> Finding:
    """Record a finding (already redacted) of the referral's review, with its event."""
    if not text.strip():
        raise ValueError("a finding needs text")
    with transaction(db):
        referral = require_referral(db, ref)
        seq = _next_seq(db, "findings", ref)
        finding = {
            "ref": referral.ref,
            "seq": seq,
            "text": text.strip(),
            "recorded_by": str(actor),
            "recorded_at": to_iso(now),
        }
        db.table("findings").insert(finding)
        append_event(db, referral.ref, actor, FINDING, f"F{seq}: {text.strip()}", now)
    return Finding(referral.ref, seq, text.strip(), str(actor), from_iso(to_iso(now)))


def _next_seq(db: Database, table: str, ref: str) -> int:
    """The number of the referral's next finding or action (read under the caller's lock)."""
    sql = f"SELECT coalesce(max(seq), 0) FROM {table} WHERE ref = ?"
    return 1 + int(db.execute(sql, (ref,)).fetchone()[0])


def findings_for(db: Database, ref: str) -> list[Finding]:
    """Every finding of one referral, in order."""
    rows = db.table("findings").rows_where("ref = ?", (ref,), order_by="seq")
    return [
        Finding(r["ref"], r["seq"], r["text"], r["recorded_by"], from_iso(r["recorded_at"]))
        for r in rows
    ]


def add_action(
    db: Database,
    ref: str,
    agency: str,
    due: dt.date,
    text: str,
    actor: str | int,
    now: dt.datetime,
) -> Action:
    """Record an action (text already redacted) and queue it to each lead of `agency`."""
    if not text.strip() or not agency.strip():
        raise ValueError("an action needs an agency and text")
    with transaction(db):
        referral = require_referral(db, ref)
        seq = _next_seq(db, "actions", ref)
        at = to_iso(now)
        action = {
            "ref": referral.ref,
            "seq": seq,
            "agency": agency,
            "due": due.isoformat(),
            "text": text.strip(),
            "recorded_by": str(actor),
            "recorded_at": at,
            "updated_at": at,
        }
        db.table("actions").insert(action)
        name = action_id(referral.ref, seq)
        detail = f"{name}: {agency}, due {due.isoformat()}: {text.strip()}"
        append_event(db, referral.ref, actor, ACTION, detail, now)
        items = [
            OutboxItem(OutboxKind.ACTION_LEAD, lead, {"action": name})
            for lead in leads_of(db, agency)
        ]
        enqueue_items(db, referral.ref, items, PRIORITY_NORMAL, now)
        found = get_action(db, referral.ref, seq)
    assert found is not None
    return found


def get_action(db: Database, ref: str, seq: int) -> Action | None:
    """One action by its referral and number, or None."""
    row = get_or_none(db.table("actions"), (ref.upper(), seq))
    return None if row is None else _action(row)


def find_action(db: Database, typed: str) -> Action | None:
    """The action a typed id names, or None (malformed or unknown)."""
    parsed = parse_action_id(typed)
    return None if parsed is None else get_action(db, *parsed)


def actions_for(db: Database, ref: str) -> list[Action]:
    """Every action of one referral, in order."""
    rows = db.table("actions").rows_where("ref = ?", (ref,), order_by="seq")
    return [_action(row) for row in rows]


def all_actions(db: Database, year: int | None = None) -> list[Action]:
    """Every action (recorded in `year`, when given), by referral and number."""
    actions = db.table("actions")
    if year is None:
        rows = actions.rows_where(order_by="ref, seq")
    else:
        where = "substr(recorded_at, 1, 4) = ?"
        rows = actions.rows_where(where, (f"{year:04d}",), order_by="ref, seq")
    return [_action(row) for row in rows]


_LIVE_WHERE = literal_in("status", LIVE)  # as the index's condition is written (migration 21)


def _live(before: dt.date | None) -> tuple[str, list[object]]:
    """The condition (and its parameters) of the live actions, due before `before` if given."""
    if before is None:
        return _LIVE_WHERE, []
    return f"{_LIVE_WHERE} AND due < ?", [before.isoformat()]


def live_actions(
    db: Database, limit: int | None = None, before: dt.date | None = None
) -> list[Action]:
    """Open or started actions, soonest due first (so the most overdue come first); only those
    due before `before` when given; at most `limit`. Read from the index of the live actions
    by due date: the first `limit` of its entries, however many actions there are."""
    where, params = _live(before)
    sql = f"SELECT * FROM actions WHERE {where} ORDER BY due, ref, seq LIMIT ?"
    return [_action(row) for row in db.query(sql, [*params, -1 if limit is None else limit])]


def count_live(db: Database, before: dt.date | None = None) -> int:
    """How many actions are open or started (due before `before`, when given), on the index."""
    where, params = _live(before)
    return int(db.execute(f"SELECT count(*) FROM actions WHERE {where}", params).fetchone()[0])


def overdue_counts(db: Database, refs: Sequence[str], today: dt.date) -> dict[str, int]:
    """How many actions of each of `refs` are overdue on `today` (`Action.overdue`: live and due
    before `today`, as `overdue_actions`), counted in one statement."""
    counts = dict.fromkeys(refs, 0)
    where, params = _live(today)
    sql = f"SELECT ref, count(*) AS n FROM actions WHERE {where} AND {one_of('ref')} GROUP BY ref"
    for row in fetch(db, sql, (*params, to_json(list(refs)))):
        counts[row["ref"]] = int(row["n"])
    return counts


def open_actions(db: Database) -> list[Action]:
    """Every open or started action, soonest due first (so the overdue come first)."""
    return live_actions(db)


def overdue_actions(db: Database, today: dt.date, limit: int | None = None) -> list[Action]:
    """Open or started actions whose due date is before `today`, most overdue first."""
    return live_actions(db, limit, before=today)


def due_on(db: Database, day: dt.date) -> list[Action]:
    """Open or started actions due on `day`."""
    sql = f"SELECT * FROM actions WHERE {_LIVE_WHERE} AND due = ? ORDER BY ref, seq"
    return [_action(row) for row in db.query(sql, [day.isoformat()])]


def change_action(
    db: Database,
    ref: str,
    seq: int,
    change: str,
    actor: str | int,
    words: str,
    now: dt.datetime,
    tell: Sequence[int] = (),
) -> tuple[Action, Event]:
    """Make `change` ("started", "done", "dropped", "late": `CHANGES`) to an open action, with
    `words` (already redacted: the evidence, the reason; "" for started), record its event and
    queue an `ACTION_UPDATE` to each chat of `tell`. `ActionError` when unknown or closed."""
    status, event_action = CHANGES[change]
    with transaction(db):
        action = get_action(db, ref, seq)
        if action is None:
            raise ActionError("unknown", action_id(ref, seq))
        if not action.is_open:
            raise ActionError("closed", action.id)
        at = to_iso(now)
        key = (action.ref, action.seq)
        if status in (DONE, DROPPED):
            changes = {
                "status": status,
                "outcome": words.strip(),
                "updated_at": at,
                "closed_at": at,
            }
            db.table("actions").update(key, changes)
        elif status is not None:
            db.table("actions").update(key, {"status": status, "updated_at": at})
        detail = f"{action.id}: {words.strip()}" if words.strip() else action.id
        event = append_event(db, action.ref, actor, event_action, detail, now)
        payload = {"action": action.id, "event_id": event.id}
        items = [OutboxItem(OutboxKind.ACTION_UPDATE, chat, payload) for chat in tell]
        enqueue_items(db, action.ref, items, PRIORITY_NORMAL, now)
        changed = get_action(db, action.ref, action.seq)
    assert changed is not None
    return changed, event


def history(db: Database, action: Action) -> list[Event]:
    """Every event of one action, oldest first."""
    return [
        e
        for e in events_for(db, action.ref)
        if e.action in HISTORY and (e.detail == action.id or e.detail.startswith(f"{action.id}:"))
    ]


def queue_digest_once(
    db: Database, kind: str, day: dt.date, items: Sequence[OutboxItem], now: dt.datetime
) -> bool:
    """Queue `items` (rows tied to no referral) as the `kind` digest of `day`, unless already
    queued that day; True when queued now."""
    digests = db.table("digests_sent")
    with transaction(db):  # whether it was queued is read under the write lock
        if get_or_none(digests, (kind, day.isoformat())) is not None:
            return False
        digests.insert({"kind": kind, "day": day.isoformat(), "sent_at": to_iso(now)})
        enqueue_items(db, None, items, PRIORITY_NORMAL, now)
    return True
