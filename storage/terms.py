"""A review's Terms of Reference with its panel (SPEC §9, purpose 11): sent, agreed or sent back.

One row per referral (`terms`): the version last sent (1, then one more each time a changed plan
sends them again), whom it went to (`panel`, the user ids), whether every one of them must agree
(`all_needed`: the three partners under Working Together 2023) or any one, its status
(`with_panel`, `sent_back`, `agreed`) and when it was sent and agreed. Each panel member's
answer to a version is a row of `terms_answers` (agreed, or sent back with the reason, already
redacted by the caller: free text under the retention schedule). A press answers the version
its button carries; `answer` takes it only while that version is with the panel, so a press on
an older card changes nothing. The stage "terms with the panel" is read by `get_terms`, and
whether (and when) the terms are agreed by `agreed_at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import fetch, from_json, get_or_none, one_of, to_json, transaction
from storage.timestamps import from_iso, from_iso_or_none, to_iso

WITH_PANEL, SENT_BACK, AGREED = "with_panel", "sent_back", "agreed"
AGREE, SEND_BACK = "agreed", "sent_back"  # a panel member's answers


@dataclass(frozen=True, slots=True)
class TermsAnswer:
    """One panel member's answer to one version: agreed, or sent back with the reason."""

    user_id: int
    name: str | None
    answer: str
    reason: str
    answered_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Terms:
    """A review's terms as last sent, with the answers to that version (oldest first)."""

    ref: str
    version: int
    status: str
    panel: tuple[int, ...]
    all_needed: bool
    sent_at: dt.datetime
    agreed_at: dt.datetime | None
    answers: tuple[TermsAnswer, ...] = ()

    @property
    def agreed_by(self) -> tuple[TermsAnswer, ...]:
        """The panel members who agreed this version, in the order they did."""
        return tuple(a for a in self.answers if a.answer == AGREE)

    @property
    def sent_back_by(self) -> TermsAnswer | None:
        """The panel member who sent this version back, if one did."""
        return next((a for a in self.answers if a.answer == SEND_BACK), None)

    @property
    def waiting_for(self) -> tuple[int, ...]:
        """The panel members whose agreement is still needed (none once agreed)."""
        if self.status == AGREED:
            return ()
        agreed = {a.user_id for a in self.agreed_by}
        return tuple(uid for uid in self.panel if uid not in agreed)

    def answer_of(self, user_id: int) -> TermsAnswer | None:
        """What `user_id` answered to this version, if anything."""
        return next((a for a in self.answers if a.user_id == user_id), None)


def _answer(row: dict[str, Any]) -> TermsAnswer:
    return TermsAnswer(
        int(row["user_id"]),
        row["name"],
        row["answer"],
        row["reason"] or "",
        from_iso(row["answered_at"]),
    )


def answers_to(db: Database, ref: str, version: int) -> tuple[TermsAnswer, ...]:
    """The panel's answers to one version of the terms of `ref`, oldest first."""
    rows = db.table("terms_answers").rows_where(
        "ref = ? AND version = ?", (ref, version), order_by="answered_at, user_id"
    )
    return tuple(_answer(r) for r in rows)


def _terms(row: dict[str, Any], answers: tuple[TermsAnswer, ...]) -> Terms:
    return Terms(
        ref=row["ref"],
        version=int(row["version"]),
        status=row["status"],
        panel=tuple(int(uid) for uid in from_json(row["panel"])),
        all_needed=bool(row["all_needed"]),
        sent_at=from_iso(row["sent_at"]),
        agreed_at=from_iso_or_none(row["agreed_at"]),
        answers=answers,
    )


def get_terms(db: Database, ref: str) -> Terms | None:
    """The terms of a review as last sent, or None before they were first sent."""
    row = get_or_none(db.table("terms"), ref)
    if row is None:
        return None
    return _terms(row, answers_to(db, ref, int(row["version"])))


def for_refs(db: Database, refs: Sequence[str]) -> dict[str, Terms]:
    """The terms as last sent of those of `refs` that have been sent, each with the answers to
    that version (as `get_terms`), in two reads whatever the number of refs."""
    listed = (to_json(list(refs)),)
    rows = fetch(db, f"SELECT * FROM terms WHERE {one_of('ref')}", listed)
    answers: dict[str, list[TermsAnswer]] = {row["ref"]: [] for row in rows}
    sql = (
        "SELECT a.* FROM terms_answers a JOIN terms t ON t.ref = a.ref AND t.version = a.version"
        f" WHERE {one_of('a.ref')} ORDER BY a.ref, a.answered_at, a.user_id"
    )
    for row in fetch(db, sql, listed):
        answers[row["ref"]].append(_answer(row))
    return {row["ref"]: _terms(row, tuple(answers[row["ref"]])) for row in rows}


def agreed_at(db: Database, ref: str) -> dt.datetime | None:
    """When the review's terms were agreed, or None while they are not (for later stages)."""
    terms = get_terms(db, ref)
    return terms.agreed_at if terms is not None and terms.status == AGREED else None


def send(db: Database, ref: str, panel: Sequence[int], all_needed: bool, now: dt.datetime) -> Terms:
    """Record the terms of `ref` sent (again) to `panel`: the next version, with the panel,
    no answers yet. Joins the caller's transaction (which queues the cards)."""
    with transaction(db):
        current = get_or_none(db.table("terms"), ref)
        version = 1 if current is None else int(current["version"]) + 1
        row = {
            "ref": ref,
            "version": version,
            "status": WITH_PANEL,
            "panel": to_json(list(panel)),
            "all_needed": int(all_needed),
            "sent_at": to_iso(now),
            "agreed_at": None,
        }
        db.table("terms").upsert(row, pk="ref")
        terms = get_terms(db, ref)
    assert terms is not None
    return terms


def answer(
    db: Database,
    ref: str,
    version: int,
    user_id: int,
    name: str | None,
    given: str,
    reason: str,
    now: dt.datetime,
) -> Terms | None:
    """Record a panel member's answer to `version` (AGREE, or SEND_BACK with `reason`) while
    that version is with the panel, moving the terms on (agreed once enough have agreed; sent
    back at once); None, changing nothing, when it is not (an older version, already agreed or
    sent back, not on its panel, or an answer already given). Joins the caller's transaction."""
    if given not in (AGREE, SEND_BACK):
        raise ValueError(f"unknown answer {given!r}")
    with transaction(db):  # read and written under the write lock
        terms = get_terms(db, ref)
        if (
            terms is None
            or terms.version != version
            or terms.status != WITH_PANEL
            or user_id not in terms.panel
            or terms.answer_of(user_id) is not None
        ):
            return None
        row = {
            "ref": ref,
            "version": version,
            "user_id": user_id,
            "name": name,
            "answer": given,
            "reason": reason or None,
            "answered_at": to_iso(now),
        }
        db.table("terms_answers").insert(row)
        agreed = len(terms.agreed_by) + 1
        if given == SEND_BACK:
            db.table("terms").update(ref, {"status": SENT_BACK})
        elif not terms.all_needed or agreed >= len(terms.panel):
            db.table("terms").update(ref, {"status": AGREED, "agreed_at": to_iso(now)})
        return get_terms(db, ref)
