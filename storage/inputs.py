"""Awaited inputs: what a person's next typed message means (a chair's reason, a question…).

A button press that needs words to follow (No review, Escalate grade, Ask for information,
an answer the board asked a practitioner for, a lead's Done or Can't meet the date) records
here what the next text from that person answers, so the meaning survives a restart. One
awaited input per person; a new one replaces the old. Its kind is an `InputKind`, stored as
the enum's string.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import from_json, get_or_none, to_json, transaction
from storage.timestamps import from_iso, to_iso


class InputKind(enum.StrEnum):
    """What a person's next typed message answers."""

    ESCALATE_REASON = "escalate_reason"  # the chair's reason for a higher grade
    DECLINE_REASON = "decline_reason"  # the chair's reason for no review
    CHAIR_QUESTION = "chair_question"  # the chair's question to the practitioner
    INFO_ANSWER = "info_answer"  # the practitioner's answer to the board's question
    PLAN = "plan"  # an officer's typed answer in a review plan (in the board group)
    ACTION_EVIDENCE = "action_evidence"  # a lead's evidence that an action is done
    ACTION_LATE = "action_late"  # a lead's reason an action cannot meet its date
    BRIEF = "brief"  # an officer's typed section of a learning brief (in the board group)
    BRIEF_BACK = "brief_back"  # the chair's reason for sending a learning brief back
    TERMS_BACK = "terms_back"  # a panel member's reason for sending the terms of reference back


KINDS = frozenset(kind.value for kind in InputKind)


@dataclass(frozen=True, slots=True)
class AwaitedInput:
    """What the next text from `user_id` answers."""

    user_id: int
    kind: InputKind
    ref: str | None
    data: Mapping[str, Any]
    created_at: dt.datetime


def expect(
    db: Database,
    user_id: int,
    kind: InputKind,
    ref: str | None,
    data: Mapping[str, Any],
    now: dt.datetime,
) -> AwaitedInput:
    """Record that the next text from this user answers `kind` (replacing any earlier one)."""
    row = {
        "user_id": user_id,
        "kind": str(kind),
        "ref": ref,
        "data": to_json(dict(data)),
        "created_at": to_iso(now),
    }
    with transaction(db):
        db.table("awaited_inputs").upsert(row, pk="user_id")
    return AwaitedInput(user_id, kind, ref, dict(data), now)


def awaited(db: Database, user_id: int) -> AwaitedInput | None:
    """What this user's next text answers, if anything."""
    row = get_or_none(db.table("awaited_inputs"), user_id)
    if row is None or row["kind"] not in KINDS:  # a kind no longer known awaits nothing
        return None
    return AwaitedInput(
        row["user_id"],
        InputKind(row["kind"]),
        row["ref"],
        from_json(row["data"]),
        from_iso(row["created_at"]),
    )


def clear(db: Database, user_id: int, kind: InputKind | None = None) -> bool:
    """Forget what this user's next text answers (only if it is of `kind`, when given)."""
    if kind is None:
        cursor = db.execute("DELETE FROM awaited_inputs WHERE user_id = ?", (user_id,))
    else:
        sql = "DELETE FROM awaited_inputs WHERE user_id = ? AND kind = ?"
        cursor = db.execute(sql, (user_id, str(kind)))
    return cursor.rowcount > 0
