"""The update ids the webhook has handled: an update Telegram sends again is answered, not
handled again, also after a restart.

Telegram keeps an update it could not deliver for at most 24 hours and re-sends it while no
answer comes, so an id is remembered for `WINDOW` (a day and an hour) after it was handled and
then forgotten. Update ids rise by one per update; after a week without updates Telegram may
start from a random one, long after the window has forgotten every id, so a new id is never
mistaken for an old one. Each record prunes what has left the window (through the index on
`handled_at`), so the table holds one day's updates and the cost per update stays constant.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from storage.db import get_or_none, transaction
from storage.timestamps import to_iso

WINDOW = dt.timedelta(hours=25)


def was_handled(db: Database, update_id: int) -> bool:
    """Whether the update `update_id` was handled within the window."""
    return get_or_none(db.table("handled_updates"), update_id) is not None


def record_handled(db: Database, update_id: int, now: dt.datetime) -> None:
    """Remember `update_id` as handled at `now`; forget the ids older than the window."""
    with transaction(db):
        db.execute("DELETE FROM handled_updates WHERE handled_at < ?", (to_iso(now - WINDOW),))
        db.table("handled_updates").upsert(
            {"update_id": update_id, "handled_at": to_iso(now)}, pk="update_id"
        )
