"""Reminders sent, so that each reminder goes out at most once a day.

`send_reminder_once` records (referral, kind, day) and queues its notifications in one
transaction; a second call for the same day queues nothing. Which referrals are overdue (working
days, bank holidays) is the caller's reckoning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from storage.db import execute, fetch_one, transaction
from storage.outbox import PRIORITY_NORMAL, PRIORITY_URGENT, OutboxItem, enqueue_items
from storage.referrals import require_referral
from storage.timestamps import to_iso


def send_reminder_once(
    db: Database,
    ref: str,
    kind: str,
    day: dt.date,
    items: Sequence[OutboxItem],
    now: dt.datetime,
) -> bool:
    """Queue `items` as the `kind` reminder of `ref` for `day`, unless already done that day.

    Returns True when queued now, False when this reminder was already sent for that day.
    """
    with transaction(db):
        referral = require_referral(db, ref)
        cursor = execute(
            db,
            "INSERT OR IGNORE INTO reminders_sent (ref, kind, day, sent_at) VALUES (?, ?, ?, ?)",
            (referral.ref, kind, day.isoformat(), to_iso(now)),
        )
        if cursor.rowcount != 1:
            return False
        priority = PRIORITY_URGENT if referral.urgent else PRIORITY_NORMAL
        enqueue_items(db, referral.ref, items, priority, now)
    return True


def reminder_sent(db: Database, ref: str, kind: str, day: dt.date) -> bool:
    """Whether the `kind` reminder of `ref` was already sent for `day`."""
    row = fetch_one(
        db,
        "SELECT 1 AS sent FROM reminders_sent WHERE ref = ? AND kind = ? AND day = ?",
        (ref, kind, day.isoformat()),
    )
    return row is not None
