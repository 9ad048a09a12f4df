"""Attempts the bot refuses, in the words the event log keeps: a board command by someone who is
neither officer nor chair, a decision press by someone who may not decide, a queue page turned
by someone who is not an officer, a press on a review's terms by someone not on its panel.

Each is counted by `storage.refusals` (the first of a day for a person and referral is also an
event), so a stranger's flood is logged once and answered once.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from storage import refusals


def refuse_command(db: Database, user_id: int, command: str, now: dt.datetime) -> bool:
    """Log `/command` refused to someone who is not an officer or chair; True the first time
    today (the caller answers only then)."""
    detail = f"/{command} refused: not an officer or chair"
    return refusals.record_refusal(db, None, user_id, detail, now)


def refuse_press(db: Database, ref: str, user_id: int, action: str, now: dt.datetime) -> None:
    """Log a decision press (`action`) on `ref` by someone who is not a decider."""
    refusals.record_refusal(db, ref, user_id, f"non-chair pressed {action}", now)


def refuse_page(db: Database, user_id: int, now: dt.datetime) -> None:
    """Log a queue page turned by someone who is not an officer."""
    refusals.record_refusal(db, None, user_id, "queue page refused: not an officer", now)


def refuse_terms(db: Database, ref: str, user_id: int, now: dt.datetime) -> None:
    """Log a press on the terms of `ref` by someone not on the panel they went to."""
    refusals.record_refusal(db, ref, user_id, "terms button refused: not on the panel", now)
