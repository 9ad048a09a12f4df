"""Refused attempts, counted: a press or a command by someone who may not use it.

The first refusal of a person on a referral (or on no referral) in a day is an event of the
append-only log; the rest of that day only raise a count in `refusals`, so a flood of forged
presses or refused commands costs one row, not one event each, and `/case` stays short.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from storage.db import get_or_none, transaction
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
    key = {"day": now.astimezone(dt.UTC).date().isoformat(), "actor": str(actor), "ref": ref or ""}
    refusals = db.table("refusals")
    with transaction(db):  # the count is read and raised under the write lock
        counted = get_or_none(refusals, tuple(key.values()))
        count = 1 if counted is None else int(counted["count"]) + 1
        refusals.upsert({**key, "count": count}, pk=tuple(key))
        first = count == 1
        if first:
            append_event(db, ref, actor, "refused", detail, now)
    return first


def refusals_for(db: Database, ref: str) -> list[RefusalCount]:
    """Every person's refusals on one referral, by day, oldest first."""
    rows = db.table("refusals").rows_where("ref = ?", (ref,), order_by="day, actor")
    return [RefusalCount(dt.date.fromisoformat(r["day"]), r["actor"], r["count"]) for r in rows]
