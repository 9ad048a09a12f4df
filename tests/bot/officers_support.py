"""Support for the officer, plan and reminder tests: synthetic referrals filed straight into
storage (graded by the real matrix), a chair's decision, and a clock the test moves."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness import BOARD, CHAIR, PRACTITIONER

from matrix.engine import grade
from storage import drafts, referrals
from storage.db import open_db
from storage.referrals import Referral

CATASTROPHIC = {"abuse_or_neglect": "known", "child_died": True, "death_in_custody": True}
SEVERE = {"injury": "hospital_admission_over_24h"}
LOW = {"injury": "minor"}

_users = itertools.count(900_000)


class Clock:
    """A clock the test sets and moves; the bot reads it through `Services.clock`."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, *args: int) -> None:
        """Move to the given date and time (UTC): `set(2026, 4, 14, 10)`."""
        self.now = dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


def file(
    db_path: Path,
    facts: Mapping[str, Any],
    now: dt.datetime,
    *,
    agency: str = "Health",
    agencies: Sequence[str] = ("Health", "Police"),
    description: str = "Synthetic case: toddler with bruising, concerns raised by nursery.",
    urgent: bool = False,
    referrer: int = PRACTITIONER,
    case_reference: str | None = None,
) -> Referral:
    """File one synthetic referral, graded by the matrix, as the practitioner flow would."""
    db = open_db(db_path)
    try:
        draft = drafts.save_draft(db, next(_users), "confirm", {}, urgent, now)
        result = grade({**facts, "immediate_risk": urgent}).to_dict()
        referral, _ = referrals.file_referral(
            db,
            draft_id=draft.draft_id,
            referrer_id=referrer,
            referrer_agency=agency,
            facts=dict(facts),
            result=result,
            urgent=urgent,
            agencies=list(agencies),
            description=description,
            case_reference=case_reference,
            board_chat_id=BOARD,
            chair_ids=[CHAIR],
            now=now,
        )
        return referral
    finally:
        db.conn.close()


def decide(
    db_path: Path, ref: str, now: dt.datetime, decision: str = "approved", reason: str = ""
) -> Referral:
    """Record the chair's decision in storage (the card flow is tested elsewhere)."""
    db = open_db(db_path)
    try:
        return referrals.record_decision(db, ref, CHAIR, decision, reason, None, now).referral
    finally:
        db.conn.close()


def read(db_path: Path, ref: str) -> Referral:
    """The referral as stored now."""
    db = open_db(db_path)
    try:
        return referrals.require_referral(db, ref)
    finally:
        db.conn.close()
