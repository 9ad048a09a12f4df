"""Awaited inputs: what a person's next typed message means (a chair's reason, a question…).

A button press that needs words to follow (No review, Escalate grade, Ask for information,
an answer the board asked a practitioner for, a lead's Done or Can't meet the date) records
here what the next text from that person answers, so the meaning survives a restart. One
awaited input per person per purpose (`purpose_of`): a new one replaces only the earlier one of
its purpose, so the board's question still waits while a lead gives evidence on an action. The
purposes: the board's question (`info`), each action's words (`action:REF/An`), the chair's
words on a decision card (`chair`: the latest press wins), the chair's reason for sending a
brief back (`brief_back`), an officer's questionnaire in the board group (`group`), an
attendee's feedback on a review's learning event (`feedback:REF`). Its kind is
an `InputKind`, stored as the enum's string.

A text that could answer several is held (`hold`: already redacted, on each of the inputs it
could answer, with the key of the choice the person is offered) until they pick one (`held`),
then released (`release`); the held text is free text under the retention schedule.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Iterable, Mapping
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
    FEEDBACK = "feedback"  # an attendee's typed feedback after a review's learning event
    AGENCY_REVIEW = "agency_review"  # a lead's typed answer in an agency review (private chat)


KINDS = frozenset(kind.value for kind in InputKind)

# The kinds typed in the board group (never a private text's).
IN_GROUP = frozenset({InputKind.PLAN, InputKind.BRIEF})

# Kinds that share one purpose: a later press of any of them replaces the earlier.
_SHARED: dict[InputKind, str] = {
    InputKind.ESCALATE_REASON: "chair",
    InputKind.DECLINE_REASON: "chair",
    InputKind.CHAIR_QUESTION: "chair",
    InputKind.PLAN: "group",
    InputKind.BRIEF: "group",
    InputKind.INFO_ANSWER: "info",
    InputKind.BRIEF_BACK: "brief_back",
    InputKind.TERMS_BACK: "terms_back",
    InputKind.AGENCY_REVIEW: "agency_review",
}
_ACTION_KINDS = (InputKind.ACTION_EVIDENCE, InputKind.ACTION_LATE)


def purpose_of(kind: InputKind, ref: str | None, data: Mapping[str, Any]) -> str:
    """The purpose an awaited input of `kind` serves (one awaited input per person each)."""
    if kind in _ACTION_KINDS:
        return f"action:{ref or ''}/A{int(data.get('seq', 0))}"
    if kind == InputKind.FEEDBACK:
        return f"feedback:{ref or ''}"
    return _SHARED[kind]


@dataclass(frozen=True, slots=True)
class AwaitedInput:
    """What the next text from `user_id` answers, for `purpose`; `held` the text (redacted)
    kept while they choose what it answers, under the choice's `held_key`."""

    user_id: int
    kind: InputKind
    ref: str | None
    data: Mapping[str, Any]
    created_at: dt.datetime
    purpose: str = ""
    held: str | None = None
    held_key: str = ""


def expect(
    db: Database,
    user_id: int,
    kind: InputKind,
    ref: str | None,
    data: Mapping[str, Any],
    now: dt.datetime,
) -> AwaitedInput:
    """Record that the next text from this user answers `kind` (replacing only an earlier one
    of the same purpose)."""
    purpose = purpose_of(kind, ref, data)
    row = {
        "user_id": user_id,
        "purpose": purpose,
        "kind": str(kind),
        "ref": ref,
        "data": to_json(dict(data)),
        "created_at": to_iso(now),
        "held": None,
        "held_key": None,
    }
    with transaction(db):
        db.table("awaited_inputs").upsert(row, pk=("user_id", "purpose"))
    return AwaitedInput(user_id, kind, ref, dict(data), now, purpose)


def _input(row: Mapping[str, Any]) -> AwaitedInput:
    return AwaitedInput(
        row["user_id"],
        InputKind(row["kind"]),
        row["ref"],
        from_json(row["data"]),
        from_iso(row["created_at"]),
        row["purpose"],
        row["held"],
        row["held_key"] or "",
    )


def awaiting(db: Database, user_id: int) -> list[AwaitedInput]:
    """Everything this user's next text could answer, oldest first (kinds no longer known
    await nothing)."""
    rows = db.table("awaited_inputs").rows_where(
        "user_id = ?", (user_id,), order_by="created_at, purpose"
    )
    return [_input(row) for row in rows if row["kind"] in KINDS]


def awaited(db: Database, user_id: int, *kinds: InputKind) -> AwaitedInput | None:
    """The newest of what this user's next text answers (of `kinds`, when given), if any."""
    found = [a for a in awaiting(db, user_id) if not kinds or a.kind in kinds]
    return found[-1] if found else None


def clear(db: Database, user_id: int, kind: InputKind | None = None) -> bool:
    """Forget what this user's next text answers (only those of `kind`, when given)."""
    if kind is None:
        cursor = db.execute("DELETE FROM awaited_inputs WHERE user_id = ?", (user_id,))
    else:
        sql = "DELETE FROM awaited_inputs WHERE user_id = ? AND kind = ?"
        cursor = db.execute(sql, (user_id, str(kind)))
    return cursor.rowcount > 0


def clear_purpose(db: Database, user_id: int, kind: InputKind, ref: str | None) -> None:
    """Forget what this user's next text answers for the purpose of `kind` and `ref`."""
    purpose = purpose_of(kind, ref, {})
    db.table("awaited_inputs").delete_where("user_id = ? AND purpose = ?", (user_id, purpose))


def forget(db: Database, awaited: AwaitedInput) -> None:
    """Forget this one awaited input (its person's others stay)."""
    db.table("awaited_inputs").delete_where(
        "user_id = ? AND purpose = ?", (awaited.user_id, awaited.purpose)
    )


def hold(db: Database, user_id: int, purposes: Iterable[str], text: str) -> str:
    """Keep `text` (redacted already) on each of this user's awaited inputs of `purposes` until
    they choose which it answers; returns the choice's key (a press on an older one is stale)."""
    key = secrets.token_hex(4)
    table = db.table("awaited_inputs")
    with transaction(db):
        for purpose in purposes:
            table.update((user_id, purpose), {"held": text, "held_key": key})
    return key


def held(db: Database, user_id: int, key: str, purpose: str) -> AwaitedInput | None:
    """This user's awaited input of `purpose` holding a text under the choice `key`, if it
    still does (else the choice is stale)."""
    row = get_or_none(db.table("awaited_inputs"), (user_id, purpose))
    if row is None or row["kind"] not in KINDS or row["held"] is None or row["held_key"] != key:
        return None
    return _input(row)


def release(db: Database, user_id: int) -> None:
    """Drop any text held for this user's choice (the inputs themselves stay awaited)."""
    db.execute(
        "UPDATE awaited_inputs SET held = NULL, held_key = NULL WHERE user_id = ?", (user_id,)
    )
