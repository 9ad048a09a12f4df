"""The one way a test files a referral straight into storage (`file`), and records the chair's
decision (`decide`) and a planned review (`planned`): graded by the real matrix unless a test
gives a made-up result. Shared by the storage, CLI and privacy tests and those that drive the
bot in process or as a subprocess. Synthetic only: no real person, case or identifier."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from matrix.engine import grade, profile_matrix
from storage import drafts, plans, referrals
from storage.db import open_db
from storage.referrals import Clock, Referral

# The board's people and group as the local Bot API servers of the tests know them.
PRACTITIONER = 1001
CHAIR = 2001
BOARD = -100500

CATASTROPHIC = {"abuse_or_neglect": "known", "child_died": True, "death_in_custody": True}
SEVERE = {"injury": "hospital_admission_over_24h"}
LOW = {"injury": "minor"}
GOOD_PRACTICE = {"good_practice": True}

_users = itertools.count(900_000)


@contextmanager
def database(into: Database | Path) -> Iterator[Database]:
    """`into` itself, or the database file at that path, opened for the block and closed."""
    if isinstance(into, Database):
        yield into
        return
    db = open_db(into)
    try:
        yield db
    finally:
        db.conn.close()


def file(
    into: Database | Path,
    facts: Mapping[str, Any],
    now: dt.datetime,
    *,
    result: Mapping[str, Any] | None = None,
    profile: str = "2013",
    clocks: Sequence[Clock] = (),
    urgent: bool = False,
    referrer: int = PRACTITIONER,
    agency: str = "Health",
    agencies: Sequence[str] = ("Health", "Police"),
    description: str = "Synthetic case: toddler with bruising, concerns raised by nursery.",
    case_reference: str | None = None,
    board_chat_id: int | None = BOARD,
    chair_ids: Sequence[int] = (CHAIR,),
    draft_id: str | None = None,
) -> Referral:
    """File one synthetic referral as the practitioner's Submit does, into a database (or the
    file at a path, opened and closed here); returns it.

    It is graded by the real matrix of `profile` unless `result` gives a made-up one. The
    draft filed is `draft_id` as given, else a fresh one of a made-up person's (so a draft the
    referrer has open is left alone). Filing the same `draft_id` again changes nothing.
    """
    with database(into) as db:
        if draft_id is None:
            draft_id = drafts.save_draft(db, next(_users), "confirm", {}, urgent, now).draft_id
        if result is None:
            result = grade({**facts, "immediate_risk": urgent}, profile_matrix(profile)).to_dict()
        referral, _ = referrals.file_referral(
            db,
            draft_id=draft_id,
            referrer_id=referrer,
            referrer_agency=agency,
            facts=dict(facts),
            result=result,
            urgent=urgent,
            agencies=list(agencies),
            description=description,
            case_reference=case_reference,
            board_chat_id=board_chat_id,
            chair_ids=list(chair_ids),
            now=now,
            profile=profile,
            clocks=clocks,
        )
        return referral


def decide(
    into: Database | Path,
    ref: str,
    now: dt.datetime,
    decision: str = "approved",
    reason: str = "",
) -> Referral:
    """Record the chair's decision in storage (the card flow is tested elsewhere)."""
    with database(into) as db:
        return referrals.record_decision(db, ref, CHAIR, decision, reason, None, now).referral


def planned(into: Database | Path, ref: str, now: dt.datetime) -> Referral:
    """Approve the referral and record its review as planned (the plan's questions are tested
    elsewhere): what findings and actions need."""
    decide(into, ref, now)
    with database(into) as db:
        plans.save_plan(db, ref, "publication_date", {"report_due": "2030-06-30"}, 3001, now)
        return referrals.set_status(db, ref, "review_planned", 3001, "", now)
