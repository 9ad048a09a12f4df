"""The safeguarding partners' presses on a decision card (Working Together 2023, SPEC §3).

Under a joint decision each partner's lead presses Approve or No review; one row per partner per
referral is kept (`partner_presses`), the latest press replacing the earlier one, with the lead's
first name at the time (so the card names them without asking Telegram), the referral's card
version the press was made on (a press stands only while the referral is as it was shown) and,
for a No review, the lead's reason (already redacted by the caller). The decision itself is
recorded elsewhere (`storage.referrals.record_decision`) once all three agree. Imports nothing
of ours but storage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import transaction
from storage.events import append_event
from storage.outbox import PRIORITY_NORMAL, OutboxItem, enqueue_items
from storage.timestamps import from_iso, to_iso

OUTCOMES = ("approved", "declined")


@dataclass(frozen=True, slots=True)
class Press:
    """One partner's standing press on one referral."""

    ref: str
    partner: str
    user_id: int
    name: str | None
    outcome: str
    reason: str
    pressed_at: dt.datetime
    version: int = 1  # the referral's card version the press was made on


def record_press(
    db: Database,
    ref: str,
    partner: str,
    user_id: int,
    outcome: str,
    reason: str,
    now: dt.datetime,
    *,
    name: str | None = None,
    version: int = 1,
    on_differ: Sequence[OutboxItem] = (),
) -> Press:
    """Record (or replace) `partner`'s press on `ref` made on the card showing version
    `version` of the referral, with an event; returns the press. `on_differ` (the partners'
    notice that they differ) is queued in the same transaction only when this press makes the
    standing presses on that version differ where they did not before: one notice a
    disagreement, never one a press while it stands."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; one of {', '.join(OUTCOMES)}")
    if outcome == "declined" and not reason.strip():
        raise ValueError("a No review needs a reason")
    at = to_iso(now)
    press = {
        "ref": ref,
        "partner": partner,
        "user_id": user_id,
        "name": name,
        "outcome": outcome,
        "reason": reason.strip() or None,
        "pressed_at": at,
        "version": version,
    }
    with transaction(db):
        differed = _differ(presses(db, ref, version).values())
        db.table("partner_presses").upsert(press, pk=("ref", "partner"))
        detail = f"{partner} pressed {outcome}" + (f"; reason: {reason.strip()}" if reason else "")
        append_event(db, ref, user_id, "partner_pressed", detail, now, actor_name=name)
        if on_differ and not differed and _differ(presses(db, ref, version).values()):
            enqueue_items(db, ref, on_differ, PRIORITY_NORMAL, now)
    return Press(ref, partner, user_id, name, outcome, reason.strip(), from_iso(at), version)


def _differ(standing: Iterable[Press]) -> bool:
    return len({press.outcome for press in standing}) > 1


def presses(db: Database, ref: str, version: int | None = None) -> dict[str, Press]:
    """Each partner's standing press on `ref`, by partner; when `version` is given, only those
    made on a card of that version (a press on the referral as it was before stands no more)."""
    table = db.table("partner_presses")
    if version is None:
        rows = table.rows_where("ref = ?", (ref,))
    else:
        rows = table.rows_where("ref = ? AND version = ?", (ref, version))
    return {row["partner"]: _press(row) for row in rows}


def _press(row: dict[str, Any]) -> Press:
    return Press(
        row["ref"],
        row["partner"],
        int(row["user_id"]),
        row["name"],
        row["outcome"],
        row["reason"] or "",
        from_iso(row["pressed_at"]),
        int(row.get("version") or 1),
    )


def presses_by(db: Database, user_id: int) -> list[Press]:
    """Every standing press made by `user_id` (a partner's lead), oldest first."""
    table = db.table("partner_presses")
    rows = table.rows_where("user_id = ?", (user_id,), order_by="pressed_at, ref")
    return [_press(row) for row in rows]


def disagreeing(db: Database) -> list[str]:
    """The referrals still awaiting a decision whose partners' presses differ."""
    rows = db.query(
        "SELECT p.ref FROM partner_presses p JOIN referrals r ON r.ref = p.ref"
        " WHERE r.status = 'awaiting_chair' AND p.version = r.card_version"
        " GROUP BY p.ref HAVING COUNT(DISTINCT p.outcome) > 1 ORDER BY p.ref",
    )
    return [row["ref"] for row in rows]
