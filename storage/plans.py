"""Review plans (SPEC §5): the `/plan` dialog's state and answers for one approved referral.

Saved at every step like a draft, so a plan can be continued after a restart. Free text in the
answers (reasons, the author) must already be redacted by the caller. Moving the referral to
`review_planned` when the plan is complete is the caller's `set_status`, which may share the
transaction: `with transaction(db): save_plan(...); set_status(...)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import fetch, from_json, get_or_none, one_of, to_json, transaction
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
    row = get_or_none(db.table("plans"), ref.strip().upper())
    return None if row is None else _plan(row)


def for_refs(db: Database, refs: Sequence[str]) -> dict[str, Plan]:
    """The plans of those of `refs` (as stored: upper case) that have one, in one read."""
    rows = fetch(db, f"SELECT * FROM plans WHERE {one_of('ref')}", (to_json(list(refs)),))
    return {row["ref"]: _plan(row) for row in rows}


def save_plan(
    db: Database,
    ref: str,
    state: str,
    answers: Mapping[str, Any],
    updated_by: int | None,
    now: dt.datetime,
) -> Plan:
    """Create or update the plan of a referral (which must exist), in one transaction."""
    saved = {
        "state": state,
        "answers": to_json(dict(answers)),
        "updated_by": updated_by,
        "updated_at": to_iso(now),
    }
    plans = db.table("plans")
    with transaction(db):  # its created_at is the first save's
        referral = require_referral(db, ref)
        plans.insert({"ref": referral.ref, "created_at": saved["updated_at"], **saved}, ignore=True)
        plans.update(referral.ref, saved)
        row = plans.get(referral.ref)
    return _plan(row)


def list_plans(db: Database) -> list[Plan]:
    """Every plan (for deadline reminders and the annual report), by reference."""
    return [_plan(row) for row in db.table("plans").rows_where(order_by="ref")]
