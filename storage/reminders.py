"""Reminders sent, so that each reminder goes out at most once a day.

`send_reminder_once` records (referral, kind, day) and queues its notifications in one
transaction; a second call for the same day queues nothing. Which referrals are overdue (working
days, bank holidays) is the caller's reckoning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from storage.db import get_or_none, transaction
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
    with transaction(db):  # whether it was sent is read under the write lock
        referral = require_referral(db, ref)
        if reminder_sent(db, referral.ref, kind, day):
            return False
        row = {"ref": referral.ref, "kind": kind, "day": day.isoformat(), "sent_at": to_iso(now)}
        db.table("reminders_sent").insert(row)
        priority = PRIORITY_URGENT if referral.urgent else PRIORITY_NORMAL
        enqueue_items(db, referral.ref, items, priority, now)
    return True


def reminder_sent(db: Database, ref: str, kind: str, day: dt.date) -> bool:
    """Whether the `kind` reminder of `ref` was already sent for `day`."""
    return get_or_none(db.table("reminders_sent"), (ref, kind, day.isoformat())) is not None
