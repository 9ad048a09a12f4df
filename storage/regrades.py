"""Regrading a stored referral when the matrix changes: one transaction and one event each.

Storage imports nothing of ours, so the caller decides the new values (with the matrix) through
a function that is given the referral as read inside the transaction: the decision and the write
see the same row, and a referral changed meanwhile (say, escalated by the chair) is decided
afresh. A regrade changes the current grade, the matrix's grade (`original_grade`), the matched
criteria, the flags, the stored result and the matrix version; it never changes the status or
the chair's decision, and queues nothing in the outbox. The event (`regraded`) keeps the old
and the new values, and says when the referral was already decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import to_json, transaction
from storage.events import Event, append_event
from storage.referrals import Referral, require_referral
from storage.timestamps import to_iso

REGRADED = "regraded"


@dataclass(frozen=True, slots=True)
class Regrade:
    """A referral's new matrix values: `grade` is its current grade (an escalation above the
    matrix's grade may be kept by the caller), `original_grade` the matrix's, `result` the
    matrix result as JSON (`Result.to_dict()`)."""

    grade: str
    original_grade: str
    flags: Mapping[str, bool]
    matched: Sequence[Mapping[str, Any]]
    result: Mapping[str, Any]
    matrix_version: str


@dataclass(frozen=True, slots=True)
class Regraded:
    """What `regrade_referral` did: the referral before and after, and the event it logged."""

    before: Referral
    after: Referral
    event: Event

    @property
    def decided(self) -> bool:
        """Whether the chair had already decided (the decision and status were kept)."""
        return self.before.decision is not None


Decide = Callable[[Referral], Regrade | None]


def regrade_referral(
    db: Database, ref: str, decide: Decide, actor: str | int, now: dt.datetime
) -> Regraded | None:
    """Regrade one referral in one transaction, if `decide` (given the stored referral) returns
    new values; None (nothing written) when it returns None. `UnknownReferral` if there is no
    such referral; an exception from `decide` rolls the transaction back and propagates."""
    with transaction(db):
        before = require_referral(db, ref)
        new = decide(before)
        if new is None:
            return None
        changes = {
            "grade": new.grade,
            "original_grade": new.original_grade,
            "flags": to_json({name: bool(on) for name, on in new.flags.items()}),
            "matched": to_json([dict(m) for m in new.matched]),
            "result": to_json(dict(new.result)),
            "matrix_version": new.matrix_version,
            "updated_at": to_iso(now),
        }
        db.table("referrals").update(before.ref, changes)
        event = append_event(db, before.ref, actor, REGRADED, regrade_detail(before, new), now)
        return Regraded(before, require_referral(db, before.ref), event)


def regrade_detail(before: Referral, new: Regrade) -> str:
    """The event's words: every old and new value, and whether the decision was kept."""
    parts = [
        f"matrix {before.matrix_version} -> {new.matrix_version}",
        f"grade {before.grade} -> {new.grade}",
        f"matrix grade {before.original_grade} -> {new.original_grade}",
        f"flags {_names(before.flags)} -> {_names(new.flags)}",
        f"matched {_ids(before.matched)} -> {_ids(new.matched)}",
    ]
    if before.decision is not None:
        parts.append(
            f"already decided ({before.decision}, status {before.status}): the decision and "
            "status are kept"
        )
    return "; ".join(parts)


def _names(flags: Mapping[str, bool]) -> str:
    on = sorted(name for name, value in flags.items() if value)
    return ", ".join(on) if on else "none"


def _ids(matched: Sequence[Mapping[str, Any]]) -> str:
    ids = [str(m.get("id", "?")) for m in matched]
    return ", ".join(ids) if ids else "none"
