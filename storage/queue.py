"""The board's queue: the open referrals (`storage.lifecycle.OPEN`) in its order, urgent first,
then oldest (`created_at`, then `seq`), read a page at a time from a position.

A position is a referral's place in that order (`QueueKey`, looked up by its reference): the
page after it or before it is read from the index of the open referrals alone (migration 21),
so a page costs its own few rows however many referrals the board has ever had, and however
far down the queue it is. The referral a position names need not be open any more (decided
between two pages): its place in the order still stands.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from storage.db import literal_in
from storage.lifecycle import OPEN
from storage.referral_record import Referral, from_row
from storage.timestamps import to_iso

OPEN_WHERE = literal_in("status", OPEN)  # as the index's condition is written
URGENCY = (1, 0)  # urgent first


@dataclass(frozen=True, slots=True)
class QueueKey:
    """A referral's place in the queue's order."""

    urgent: int
    created_at: str
    seq: int


def key_of(db: Database, ref: str) -> QueueKey | None:
    """The place of referral `ref` in the queue's order (open or not), or None if unknown."""
    sql = "SELECT urgent, created_at, seq FROM referrals WHERE ref = ?"
    row = db.execute(sql, (ref.strip().upper(),)).fetchone()
    return None if row is None else QueueKey(int(bool(row[0])), str(row[1]), int(row[2]))


def _segment(
    db: Database, urgent: int, key: QueueKey | None, later: bool, limit: int
) -> list[Referral]:
    """Up to `limit` open referrals of one urgency, nearest `key` first (after it, oldest first,
    when `later`; before it, newest first, otherwise); from the segment's end with no key."""
    where, params = f"{OPEN_WHERE} AND urgent = ?", list[object]([urgent])
    if key is not None and key.urgent == urgent:
        where += " AND (created_at, seq) " + (">" if later else "<") + " (?, ?)"
        params += [key.created_at, key.seq]
    order = "created_at, seq" if later else "created_at DESC, seq DESC"
    sql = f"SELECT * FROM referrals WHERE {where} ORDER BY {order} LIMIT ?"
    return [from_row(row) for row in db.query(sql, [*params, limit])]


def after(db: Database, key: QueueKey | None, limit: int) -> list[Referral]:
    """Up to `limit` open referrals just after `key` in the queue (the first ones with none)."""
    found: list[Referral] = []
    for urgent in URGENCY:
        if key is not None and urgent > key.urgent:
            continue  # the whole segment comes before the key
        found += _segment(db, urgent, key, True, limit - len(found))
        if len(found) >= limit:
            break
    return found


def before(db: Database, key: QueueKey | None, limit: int) -> list[Referral]:
    """Up to `limit` open referrals just before `key`, in queue order (the last ones with none)."""
    found: list[Referral] = []
    for urgent in reversed(URGENCY):
        if key is not None and urgent < key.urgent:
            continue  # the whole segment comes after the key
        found += _segment(db, urgent, key, False, limit - len(found))
        if len(found) >= limit:
            break
    return found[::-1]


def place(referral: Referral) -> QueueKey:
    """The place of a referral already read (its stored moment is `to_iso` of the one read)."""
    return QueueKey(int(referral.urgent), to_iso(referral.created_at), referral.seq)
