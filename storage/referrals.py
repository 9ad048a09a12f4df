"""Referrals: filing (reference, first event and notifications in one transaction), reading,
moving along the lifecycle, and the chair's decision.

References are `LIR-YYYY-NNNN` (made by `storage.references`), sequential per year with no gaps:
the counter for the year is taken under `BEGIN IMMEDIATE`, so two referrals filed at the same
moment (from two processes or threads) get consecutive numbers. Filing the same draft twice
yields one referral. The description is stored as given: the caller redacts it first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from storage.db import get_or_none, to_json, transaction
from storage.events import Event, append_event
from storage.lifecycle import (
    APPROVED,
    AWAITING_CHAIR,
    DECLINED,
    OPEN,
    check_transition,
)
from storage.outbox import PRIORITY_NORMAL, PRIORITY_URGENT, OutboxItem, OutboxKind, enqueue_items
from storage.queue import OPEN_WHERE
from storage.references import format_ref as format_ref
from storage.referral_record import Clock as Clock
from storage.referral_record import DecisionOutcome as DecisionOutcome
from storage.referral_record import Referral as Referral
from storage.referral_record import UnknownReferral as UnknownReferral
from storage.referral_record import from_row
from storage.timestamps import from_iso, to_iso

# The chair's decisions and the status each leads to ("escalated" approves at a higher grade).
DECISIONS: dict[str, str] = {"approved": APPROVED, "escalated": APPROVED, "declined": DECLINED}


def _result_field(result: Mapping[str, Any], key: str) -> Any:
    try:
        return result[key]
    except KeyError:
        raise ValueError(f"the matrix result has no {key!r} (pass Result.to_dict())") from None


def file_referral(
    db: Database,
    *,
    draft_id: str,
    referrer_id: int,
    referrer_agency: str,
    facts: Mapping[str, Any],
    result: Mapping[str, Any],
    urgent: bool,
    agencies: Iterable[str],
    description: str,
    case_reference: str | None,
    board_chat_id: int | None,
    chair_ids: Iterable[int],
    now: dt.datetime,
    profile: str = "2013",
    clocks: Sequence[Clock] = (),
) -> tuple[Referral, bool]:
    """File a referral in one transaction; returns it and whether it was newly created.

    Allocates the next reference for `now`'s year, stores the referral (status
    `awaiting_chair`), its first event, and the outbox rows: a board notice (when
    `board_chat_id` is set), a decision card to each chair and the practitioner's receipt, urgent
    ones first in the queue; and deletes the draft. The same `draft_id` filed again returns the
    existing referral and changes nothing else. `profile` is the matrix profile it was graded
    under, `clocks` the statutory clocks that start at filing (the caller reckons their dates).
    """
    grade = str(_result_field(result, "grade"))
    flags = dict(_result_field(result, "flags"))
    matched = list(_result_field(result, "matched"))
    version = str(_result_field(result, "matrix_version"))
    urgent = bool(urgent or flags.get("urgent", False))
    at = to_iso(now)
    year = from_iso(at).year
    referrals = db.table("referrals")
    with transaction(db):
        existing = next(referrals.rows_where("draft_id = ?", (draft_id,)), None)
        if existing is not None:
            db.table("drafts").delete_where("draft_id = ?", (draft_id,))
            return from_row(existing), False
        seq = _next_seq(db, year)
        ref = format_ref(year, seq)
        referral = {
            "ref": ref,
            "draft_id": draft_id,
            "year": year,
            "seq": seq,
            "referrer_id": referrer_id,
            "referrer_agency": referrer_agency,
            "facts": to_json(dict(facts)),
            "result": to_json(dict(result)),
            "grade": grade,
            "original_grade": grade,
            "matched": to_json(matched),
            "flags": to_json(flags),
            "matrix_version": version,
            "urgent": int(urgent),
            "agencies": to_json(list(agencies)),
            "description": description,
            "case_reference": case_reference or None,
            "status": AWAITING_CHAIR,
            "created_at": at,
            "updated_at": at,
            "profile": profile,
            "clocks": to_json([c.to_json() for c in clocks]),
        }
        referrals.insert(referral)
        detail = f"grade {grade}, matrix {version}" + (", urgent" if urgent else "")
        if profile != "2013":
            detail += f", profile {profile}"
        append_event(db, ref, referrer_id, "filed", detail, now)
        items = (
            [OutboxItem(OutboxKind.BOARD_NOTICE, board_chat_id)]
            if board_chat_id is not None
            else []
        )
        items += [OutboxItem(OutboxKind.CHAIR_CARD, chair) for chair in sorted(set(chair_ids))]
        items.append(OutboxItem(OutboxKind.RECEIPT, referrer_id))
        enqueue_items(db, ref, items, PRIORITY_URGENT if urgent else PRIORITY_NORMAL, now)
        db.table("drafts").delete_where("draft_id = ?", (draft_id,))
        row = referrals.get(ref)
    return from_row(row), True


def _next_seq(db: Database, year: int) -> int:
    """The next number of `year`'s references, counted up; the caller holds the write lock
    (`BEGIN IMMEDIATE`), so two filings never read the same last number."""
    counters = db.table("ref_counters")
    counter = get_or_none(counters, year)
    seq = 1 if counter is None else int(counter["last"]) + 1
    counters.upsert({"year": year, "last": seq}, pk="year")
    return seq


def get_referral(db: Database, ref: str) -> Referral | None:
    """One referral by reference (case-insensitive), or None."""
    row = get_or_none(db.table("referrals"), ref.strip().upper())
    return None if row is None else from_row(row)


def require_referral(db: Database, ref: str) -> Referral:
    """One referral by reference; `UnknownReferral` if there is none."""
    referral = get_referral(db, ref)
    if referral is None:
        raise UnknownReferral(ref)
    return referral


_QUEUE_ORDER = "urgent DESC, created_at, seq"


def list_open(db: Database, limit: int | None = None, offset: int = 0) -> list[Referral]:
    """Open referrals (see `storage.lifecycle.OPEN`): urgent first, then oldest first; read in
    that order from the index of the open referrals alone (`storage.queue`)."""
    rows = db.table("referrals").rows_where(
        OPEN_WHERE,
        order_by=_QUEUE_ORDER,
        limit=-1 if limit is None else int(limit),
        offset=int(offset),
    )
    return [from_row(row) for row in rows]


def list_by_status(db: Database, statuses: Sequence[str]) -> list[Referral]:
    """Referrals in any of `statuses`, urgent first, then oldest: those rows alone, found on
    the status index, then put in order (not a walk of the whole queue order's index)."""
    marks = ", ".join("?" for _ in statuses)
    rows = db.table("referrals").rows_where(f"status IN ({marks})", tuple(statuses))
    found = [from_row(row) for row in rows]
    found.sort(key=lambda r: (not r.urgent, r.created_at, r.seq))
    return found


def with_open_clocks(db: Database) -> list[Referral]:
    """Referrals with a statutory clock still running (whatever their status), oldest first:
    read from the index of those whose stored clocks hold an open one (`"closed_at":null` is
    how `to_json` writes it; migration 21), then checked clock by clock."""
    rows = db.query(
        """SELECT * FROM referrals WHERE instr(clocks, '"closed_at":null') > 0 AND EXISTS"""
        " (SELECT 1 FROM json_each(referrals.clocks) WHERE json_extract(value, '$.closed_at')"
        " IS NULL) ORDER BY created_at, seq",
    )
    return [from_row(row) for row in rows]


def count_open(db: Database) -> int:
    """How many referrals are open (for paging the queue); counted on the status index."""
    marks = ", ".join("?" for _ in OPEN)
    return db.table("referrals").count_where(f"status IN ({marks})", OPEN)


def referrals_for(db: Database, user_id: int) -> list[Referral]:
    """Every referral filed by one practitioner, oldest first."""
    rows = db.table("referrals").rows_where("referrer_id = ?", (user_id,), order_by="year, seq")
    return [from_row(row) for row in rows]


def list_referrals(db: Database, year: int | None = None) -> list[Referral]:
    """Every referral (of one year, when given), in reference order (for reports and export)."""
    referrals = db.table("referrals")
    if year is None:
        rows = referrals.rows_where(order_by="year, seq")
    else:
        rows = referrals.rows_where("year = ?", (year,), order_by="seq")
    return [from_row(row) for row in rows]


def count_referrals(db: Database, year: int | None = None) -> int:
    """How many referrals there are (in one year, when given)."""
    if year is None:
        return db.table("referrals").count
    return db.table("referrals").count_where("year = ?", (year,))


def _counts(db: Database, column: str, year: int | None) -> dict[str, int]:
    where, params = ("WHERE year = ?", (year,)) if year is not None else ("", ())
    rows = db.query(
        f"SELECT {column} AS key, count(*) AS n FROM referrals {where}"
        f" GROUP BY {column} ORDER BY {column}",
        params,
    )
    return {row["key"]: int(row["n"]) for row in rows}


def count_by_status(db: Database, year: int | None = None) -> dict[str, int]:
    """Referrals per status (for `/stats`); statuses with none are absent."""
    return _counts(db, "status", year)


def count_by_grade(db: Database, year: int | None = None) -> dict[str, int]:
    """Referrals per current grade (for `/stats`); grades with none are absent."""
    return _counts(db, "grade", year)


def set_status(
    db: Database,
    ref: str,
    new_status: str,
    actor: str | int,
    why: str,
    now: dt.datetime,
    *,
    actor_name: str | None = None,
) -> Referral:
    """Move a referral along the lifecycle and log it; `IllegalTransition` if not allowed."""
    with transaction(db):
        referral = require_referral(db, ref)
        check_transition(referral.ref, referral.status, new_status)
        changes = {"status": new_status, "updated_at": to_iso(now)}
        db.table("referrals").update(referral.ref, changes)
        detail = f"{referral.status} -> {new_status}" + (f": {why}" if why else "")
        append_event(db, referral.ref, actor, "status", detail, now, actor_name=actor_name)
        return require_referral(db, referral.ref)


def flag_names(flags: Mapping[str, bool]) -> str:
    """The flags set, by name, for an event's detail ("none" when none is)."""
    return ", ".join(name for name, on in flags.items() if on) or "none"


def _flag_changes(
    referral: Referral, flags: Mapping[str, bool] | None
) -> tuple[dict[str, Any], str]:
    """The `flags` column to write and the event's words for it, when `flags` changes them."""
    if flags is None:
        return {}, ""
    new = {name: bool(on) for name, on in flags.items()}
    old = {name: bool(on) for name, on in referral.flags.items()}
    if new == old:
        return {}, ""
    return {"flags": to_json(new)}, f"flags {flag_names(old)} -> {flag_names(new)}"


def record_decision(
    db: Database,
    ref: str,
    chair_id: int,
    decision: str,
    reason: str,
    new_grade: str | None,
    now: dt.datetime,
    outbox: Sequence[OutboxItem] = (),
    *,
    flags: Mapping[str, bool] | None = None,
    actor_name: str | None = None,
) -> DecisionOutcome:
    """Record the chair's decision if the referral is still undecided, atomically.

    `decision` is "approved", "escalated" (approved at `new_grade`) or "declined" (no review,
    `reason` required). Sets the status, grade, `decided_by`/`decided_at`, appends the event and
    queues `outbox` in the same transaction. `flags`, when given, are the flags of the grade the
    referral has after the decision (the caller reads them from the matrix): they replace the
    stored ones in the same transaction, and the event keeps what they were before.
    `actor_name` is the chair's first name at the time, kept with the event. If it was already
    decided, nothing changes and the outcome says who decided and when. Whether the chair may
    decide, and whether an escalation is upward, is the caller's check.
    """
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}; one of {', '.join(DECISIONS)}")
    reason = reason.strip()
    if decision == "escalated" and not new_grade:
        raise ValueError("an escalation needs the new grade")
    if decision in ("escalated", "declined") and not reason:
        raise ValueError(f"a decision of {decision} needs a reason")
    with transaction(db):
        referral = require_referral(db, ref)
        if not referral.is_undecided:
            return DecisionOutcome(False, referral)
        status = DECISIONS[decision]
        check_transition(referral.ref, referral.status, status)
        grade = new_grade or referral.grade
        at = to_iso(now)
        flag_columns, flag_detail = _flag_changes(referral, flags)
        db.table("referrals").update(
            referral.ref,
            {
                "status": status,
                "grade": grade,
                "decided_by": chair_id,
                "decided_at": at,
                "decision": decision,
                "decision_reason": reason or None,
                "updated_at": at,
                **flag_columns,
            },
        )
        detail = f"{decision}: {referral.status} -> {status}"
        if grade != referral.grade:
            detail += f"; grade {referral.grade} -> {grade}"
        if flag_detail:
            detail += f"; {flag_detail}"
        if reason:
            detail += f"; reason: {reason}"
        append_event(db, referral.ref, chair_id, "decision", detail, now, actor_name=actor_name)
        priority = PRIORITY_URGENT if referral.urgent else PRIORITY_NORMAL
        enqueue_items(db, referral.ref, outbox, priority, now)
        return DecisionOutcome(True, require_referral(db, referral.ref))


def escalate_grade(
    db: Database,
    ref: str,
    actor: str | int,
    new_grade: str,
    reason: str,
    now: dt.datetime,
    *,
    flags: Mapping[str, bool] | None = None,
    actor_name: str | None = None,
) -> Referral:
    """Change the current grade with a recorded reason (the matrix's grade stays in
    `original_grade`). `flags`, when given, are the new grade's flags (the caller reads them
    from the matrix): they replace the stored ones in the same transaction, and the event keeps
    what they were before. That the new grade is higher is the caller's check."""
    if not reason.strip():
        raise ValueError("changing a grade needs a reason")
    with transaction(db):
        referral = require_referral(db, ref)
        flag_columns, flag_detail = _flag_changes(referral, flags)
        changes = {"grade": new_grade, "updated_at": to_iso(now), **flag_columns}
        db.table("referrals").update(referral.ref, changes)
        detail = f"{referral.grade} -> {new_grade}"
        if flag_detail:
            detail += f"; {flag_detail}"
        detail += f": {reason.strip()}"
        append_event(db, referral.ref, actor, "grade", detail, now, actor_name=actor_name)
        return require_referral(db, referral.ref)


def add_note(
    db: Database,
    ref: str,
    actor: str | int,
    text: str,
    now: dt.datetime,
    *,
    actor_name: str | None = None,
) -> Event:
    """Add an officer's note (already redacted by the caller) to the referral's event log."""
    if not text.strip():
        raise ValueError("a note needs text")
    with transaction(db):
        referral = require_referral(db, ref)
        return append_event(
            db, referral.ref, actor, "note", text.strip(), now, actor_name=actor_name
        )
