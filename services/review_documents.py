"""The review's documents sent to the board group (SPEC §9 and §8, "Who looked"): the
multi-agency chronology (`/chronology`) and the draft overview report (`/overview`).

Each is one transaction: an event naming who had the document sent and what it held (every
time, so `triage-bot audit REF` shows each), and a look at the record
(`storage.events.record_view`, as `/case` and `/tor` log theirs: once a person a referral a
day). The documents themselves are `reports.chronology` and `reports.overview`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from storage import events
from storage.db import transaction

CHRONOLOGY_ACTION, OVERVIEW_ACTION = "chronology", "overview"
CHRONOLOGY_SENT = "multi-agency chronology sent to the board group ({entries} entries)"
OVERVIEW_SENT = "draft overview report sent to the board group"
OVERVIEW_MISSING = "draft overview report sent to the board group (not in yet: {awaited})"


def chronology_sent(
    db: Database, ref: str, actor: int, entries: int, now: dt.datetime, *, actor_name: str | None
) -> None:
    """`actor` had the chronology of `ref` (`entries` entries) sent to the group."""
    detail = CHRONOLOGY_SENT.format(entries=entries)
    with transaction(db):
        events.append_event(db, ref, actor, CHRONOLOGY_ACTION, detail, now, actor_name=actor_name)
        events.record_view(db, ref, actor, "/chronology", now)


def overview_sent(
    db: Database,
    ref: str,
    actor: int,
    awaited: Sequence[str],
    now: dt.datetime,
    *,
    actor_name: str | None,
) -> None:
    """`actor` had the draft overview report of `ref` sent to the group (`awaited`: the
    agencies whose agency review it names as missing)."""
    detail = OVERVIEW_MISSING.format(awaited=", ".join(awaited)) if awaited else OVERVIEW_SENT
    with transaction(db):
        events.append_event(db, ref, actor, OVERVIEW_ACTION, detail, now, actor_name=actor_name)
        events.record_view(db, ref, actor, "/overview", now)
