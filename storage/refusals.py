"""Refused attempts, counted: a press or a command by someone who may not use it.

The first refusal of a person on a referral (or on no referral) in a day is an event of the
append-only log; the rest of that day only raise a count in `refusals`, so a flood of forged
presses or refused commands costs one row, not one event each, and `/case` stays short.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from storage.db import execute, fetch_all, fetch_value, transaction
from storage.events import append_event


@dataclass(frozen=True, slots=True)
class RefusalCount:
    """How often one person was refused on one referral in one day."""

    day: dt.date
    actor: str
    count: int


def record_refusal(
    db: Database, ref: str | None, actor: str | int, detail: str, now: dt.datetime
) -> bool:
    """Count one refusal; the first of the day for this person and referral is also an event.

    Returns True for that first one (a caller may answer only then and stay quiet after).
    """
    day = now.astimezone(dt.UTC).date().isoformat()
    with transaction(db):
        execute(
            db,
            "INSERT INTO refusals (day, actor, ref, count) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (day, actor, ref) DO UPDATE SET count = count + 1",
            (day, str(actor), ref or ""),
        )
        count = fetch_value(
            db,
            "SELECT count FROM refusals WHERE day = ? AND actor = ? AND ref = ?",
            (day, str(actor), ref or ""),
        )
        first = int(count) == 1
        if first:
            append_event(db, ref, actor, "refused", detail, now)
    return first


def refusals_for(db: Database, ref: str) -> list[RefusalCount]:
    """Every person's refusals on one referral, by day, oldest first."""
    rows = fetch_all(
        db, "SELECT day, actor, count FROM refusals WHERE ref = ? ORDER BY day, actor", (ref,)
    )
    return [RefusalCount(dt.date.fromisoformat(r["day"]), r["actor"], r["count"]) for r in rows]
