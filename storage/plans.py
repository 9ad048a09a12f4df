"""Review plans (SPEC §5): the `/plan` dialog's state and answers for one approved referral.

Saved at every step like a draft, so a plan can be continued after a restart. Free text in the
answers (reasons, the author) must already be redacted by the caller. Moving the referral to
`review_planned` when the plan is complete is the caller's `set_status`, which may share the
transaction: `with transaction(db): save_plan(...); set_status(...)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import execute, fetch_all, fetch_one, from_json, to_json, transaction
from storage.referrals import require_referral
from storage.timestamps import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class Plan:
    """The review plan of one referral: the dialog state reached and the answers so far."""

    ref: str
    state: str
    answers: Mapping[str, Any]
    updated_by: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


def _plan(row: dict[str, Any]) -> Plan:
    return Plan(
        ref=row["ref"],
        state=row["state"],
        answers=from_json(row["answers"]),
        updated_by=row["updated_by"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
    )


def get_plan(db: Database, ref: str) -> Plan | None:
    """The plan of a referral, or None if planning has not started."""
    row = fetch_one(db, "SELECT * FROM plans WHERE ref = ?", (ref.strip().upper(),))
    return None if row is None else _plan(row)


def save_plan(
    db: Database,
    ref: str,
    state: str,
    answers: Mapping[str, Any],
    updated_by: int | None,
    now: dt.datetime,
) -> Plan:
    """Create or update the plan of a referral (which must exist), in one transaction."""
    at = to_iso(now)
    with transaction(db):
        referral = require_referral(db, ref)
        execute(
            db,
            "INSERT INTO plans (ref, state, answers, updated_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ref) DO UPDATE SET state = excluded.state,"
            " answers = excluded.answers, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            (referral.ref, state, to_json(dict(answers)), updated_by, at, at),
        )
        row = fetch_one(db, "SELECT * FROM plans WHERE ref = ?", (referral.ref,))
    assert row is not None
    return _plan(row)


def list_plans(db: Database) -> list[Plan]:
    """Every plan (for deadline reminders and the annual report), by reference."""
    return [_plan(row) for row in fetch_all(db, "SELECT * FROM plans ORDER BY ref")]
