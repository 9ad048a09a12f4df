"""Statutory clocks (SPEC §3, Profiles): closing one, with its event, and starting those that
follow it, in one transaction.

A referral's clocks are stored with it (`referrals.clocks`, a JSON list read into
`Referral.clocks`); the clocks that start at filing are written by `file_referral`. The caller
reckons every date (working days, bank holidays): storage only records them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlite_utils import Database

from storage.db import to_json, transaction
from storage.events import append_event
from storage.referral_record import Clock, Referral
from storage.referrals import require_referral
from storage.timestamps import to_iso


class ClockNotOpen(LookupError):
    """The referral has no open clock of that name (never started, or already closed)."""

    def __init__(self, referral: Referral, name: str) -> None:
        super().__init__(f"{referral.ref} has no open clock {name!r}")
        self.referral = referral
        self.name = name


def close_clock(
    db: Database,
    ref: str,
    name: str,
    *,
    outcome: str,
    actor: str | int,
    action: str,
    detail: str,
    now: dt.datetime,
    then_start: Sequence[Clock] = (),
) -> Referral:
    """Close the open clock `name` of `ref` with `outcome`, record the event (`action`,
    `detail`), start the clocks `then_start` (those its closing starts), and return the referral.

    Raises `UnknownReferral`, or `ClockNotOpen` when no such clock is open (nothing changes).
    """
    with transaction(db):
        referral = require_referral(db, ref)
        clock = referral.clock(name)
        if clock is None or not clock.is_open:
            raise ClockNotOpen(referral, name)
        closed = replace(clock, closed_at=now, outcome=outcome)
        started = {c.name for c in referral.clocks}
        clocks = [closed if c.name == name else c for c in referral.clocks]
        clocks += [c for c in then_start if c.name not in started]
        changes = {"clocks": to_json([c.to_json() for c in clocks]), "updated_at": to_iso(now)}
        db.table("referrals").update(referral.ref, changes)
        append_event(db, referral.ref, actor, action, detail, now)
    return require_referral(db, referral.ref)
