"""Support for the officer, plan and reminder tests: synthetic referrals filed straight into
storage (graded by the real matrix) and decided (`filed`), and a clock the test moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from filed import CATASTROPHIC, LOW, SEVERE, decide, file, planned

from storage import referrals
from storage.db import open_db
from storage.referrals import Referral

__all__ = ["CATASTROPHIC", "LOW", "SEVERE", "Clock", "decide", "file", "planned", "read"]


class Clock:
    """A clock the test sets and moves; the bot reads it through `Services.clock`."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, *args: int) -> None:
        """Move to the given date and time (UTC): `set(2026, 4, 14, 10)`."""
        self.now = dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


def read(db_path: Path, ref: str) -> Referral:
    """The referral as stored now."""
    db = open_db(db_path)
    try:
        return referrals.require_referral(db, ref)
    finally:
        db.conn.close()
