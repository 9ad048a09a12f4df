"""Referrals filed and decided straight into storage, graded by the real matrix: shared by the
tests that drive the bot in process and those that run it as a subprocess. Synthetic only."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matrix.engine import grade, load_matrix
from storage import drafts, referrals
from storage.db import open_db
from storage.referrals import Referral

# The board's people and group as the local Bot API servers of the tests know them.
PRACTITIONER = 1001
CHAIR = 2001
BOARD = -100500

CATASTROPHIC = {"abuse_or_neglect": "known", "child_died": True, "death_in_custody": True}
SEVERE = {"injury": "hospital_admission_over_24h"}
LOW = {"injury": "minor"}
GOOD_PRACTICE = {"good_practice": True}

_users = itertools.count(900_000)


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
        result = grade({**facts, "immediate_risk": urgent}, load_matrix()).to_dict()
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
