"""Learning briefs (SPEC §7): each brief's sections and state, its approval and its reach.

One brief per referral (`/brief REF` again redoes it). Its four sections are columns (already
redacted by the caller), so the retention schedule can erase them like any free text. Approval
writes, in one transaction, the brief's new status and one outbox row per recipient (every
registered practitioner, or those of the agencies chosen, who has not opted out), at a lower
priority than every referral notice; the outbox's claim and mark then send each row once.
Who pressed `Read it` is kept once per person (`brief_reads`); only a person the brief was
delivered to counts (`delivered_agency`: the agency it was sent to them as). What one person
received and read (`received_by`) is a reference, a delivery state and dates, never the
brief's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError

from storage.db import from_json, get_or_none, to_json, transaction
from storage.outbox import PRIORITY_BRIEF, SENT, OutboxKind, enqueue
from storage.referrals import require_referral
from storage.timestamps import from_iso, from_iso_or_none, to_iso

DRAFTING, AWAITING_CHAIR, SENT_BACK, APPROVED = (
    "drafting",
    "awaiting_chair",
    "sent_back",
    "approved",
)
SECTIONS = ("what_happened", "learned", "to_do", "find_out_more")


@dataclass(frozen=True, slots=True)
class Brief:
    """One learning brief: its status, the dialog state reached, audience and sections."""

    ref: str
    status: str
    state: str
    agencies: tuple[str, ...]
    sections: Mapping[str, str]
    officer_id: int
    reason: str | None
    created_at: dt.datetime
    approved_at: dt.datetime | None
    version: int = 1


@dataclass(frozen=True, slots=True)
class Reach:
    """How far a brief went: sent to, read by, and the same per agency (agency, sent, read)."""

    sent: int
    read: int
    by_agency: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Received:
    """One learning brief addressed to one person: its referral, its delivery (the outbox row's
    status, "" when only their read is held) and when they pressed `Read it` (None if not)."""

    ref: str
    status: str
    sent_at: dt.datetime | None
    read_at: dt.datetime | None


def _brief(row: dict[str, Any]) -> Brief:
    return Brief(
        ref=row["ref"],
        status=row["status"],
        state=row["state"],
        agencies=tuple(from_json(row["agencies"])),
        sections={k: row[k] for k in SECTIONS if row[k] is not None},
        officer_id=row["officer_id"],
        reason=row["reason"],
        created_at=from_iso(row["created_at"]),
        approved_at=from_iso_or_none(row["approved_at"]),
        version=int(row.get("version") or 1),
    )


def get_brief(db: Database, ref: str) -> Brief | None:
    """The brief of a referral, or None."""
    row = get_or_none(db.table("briefs"), ref.strip().upper())
    return None if row is None else _brief(row)


def start_brief(
    db: Database, ref: str, state: str, agencies: Sequence[str], officer_id: int, now: dt.datetime
) -> Brief:
    """Begin (or begin again) the brief of a referral: its sections emptied, drafting, and its
    version one more than the brief it replaces (a card of that one is stale from now on)."""
    at = to_iso(now)
    briefs = db.table("briefs")
    with transaction(db):
        referral = require_referral(db, ref)
        replaced = get_or_none(briefs, referral.ref)
        briefs.delete_where("ref = ?", (referral.ref,))
        begun = {
            "ref": referral.ref,
            "version": 1 if replaced is None else int(replaced["version"]) + 1,
            "state": state,
            "agencies": to_json(list(agencies)),
            "officer_id": officer_id,
            "created_at": at,
            "updated_at": at,
        }
        briefs.insert(begun)
    brief = get_brief(db, referral.ref)
    assert brief is not None
    return brief


def save_sections(
    db: Database, ref: str, state: str, answers: Mapping[str, Any], done: bool, now: dt.datetime
) -> None:
    """Store the sections typed so far and the state reached; a `done` brief awaits the chair."""
    values = [answers.get(k) for k in SECTIONS]
    status = AWAITING_CHAIR if done else DRAFTING
    db.execute(
        "UPDATE briefs SET state = ?, what_happened = ?, learned = ?, to_do = ?,"
        " find_out_more = ?, status = ?, updated_at = ? WHERE ref = ? AND status = ?",
        (state, *values, status, to_iso(now), ref, DRAFTING),
    )


def send_back(
    db: Database, ref: str, by: int, reason: str, now: dt.datetime, version: int | None = None
) -> bool:
    """The chair sends a brief awaiting them back with a (redacted) reason; False if not
    awaiting them (already decided) or, when `version` is given, no longer that version."""
    cursor = db.execute(
        "UPDATE briefs SET status = ?, reason = ?, decided_by = ?, updated_at = ?"
        " WHERE ref = ? AND status = ? AND (? IS NULL OR version = ?)",
        (SENT_BACK, reason, by, to_iso(now), ref, AWAITING_CHAIR, version, version),
    )
    return cursor.rowcount == 1


def recipients(db: Database, agencies: Sequence[str]) -> list[tuple[int, str]]:
    """(user id, agency) of every practitioner who takes briefs, of `agencies` if any named."""
    rows = db.table("practitioners").rows_where(
        "briefs_off = 0", order_by="user_id", select="user_id, agency"
    )
    wanted = {a.casefold() for a in agencies}
    return [
        (int(r["user_id"]), str(r["agency"]))
        for r in rows
        if not wanted or str(r["agency"]).casefold() in wanted
    ]


def approve(
    db: Database, ref: str, by: int, now: dt.datetime, version: int | None = None
) -> int | None:
    """Approve a brief awaiting the chair (version `version`, when given) and queue it to every
    recipient, all in one transaction; how many rows were queued, or None if it was not
    awaiting the chair or is another version now (the chair saw a brief since rewritten)."""
    at = to_iso(now)
    with transaction(db):
        cursor = db.execute(
            "UPDATE briefs SET status = ?, decided_by = ?, approved_at = ?, updated_at = ?"
            " WHERE ref = ? AND status = ? AND (? IS NULL OR version = ?)",
            (APPROVED, by, at, at, ref, AWAITING_CHAIR, version, version),
        )
        if cursor.rowcount != 1:
            return None
        brief = get_brief(db, ref)
        assert brief is not None
        people = recipients(db, brief.agencies)
        for user_id, agency in people:
            payload = {"agency": agency}
            enqueue(db, ref, OutboxKind.BRIEF, user_id, payload, PRIORITY_BRIEF, now)
    return len(people)


def set_briefs_off(db: Database, user_id: int, off: bool) -> bool:
    """Opt a registered practitioner out of (or back into) briefs; False if not registered."""
    try:
        db.table("practitioners").update(user_id, {"briefs_off": int(off)})
    except NotFoundError:
        return False
    return True


def delivered_agency(db: Database, ref: str, user_id: int) -> str | None:
    """The agency the brief of `ref` was delivered to `user_id` as (its latest delivery: the
    message with its buttons went out, its document may still be on its way), or None when it
    was never delivered to them (not sent, not yet sent, or failed)."""
    rows = db.table("outbox").rows_where(
        "ref = ? AND chat_id = ? AND kind = ? AND (status = ? OR sent_message_id IS NOT NULL)",
        (ref, user_id, str(OutboxKind.BRIEF), SENT),
        order_by="id DESC",
        select="payload",
        limit=1,
    )
    for row in rows:
        return str(from_json(row["payload"]).get("agency", ""))
    return None


def record_read(db: Database, ref: str, user_id: int, agency: str, now: dt.datetime) -> bool:
    """Record that a person read a brief; False if they already had (counted once)."""
    reads = db.table("brief_reads")
    with transaction(db):  # whether they had is read under the write lock
        if get_or_none(reads, (ref, user_id)) is not None:
            return False
        reads.insert({"ref": ref, "user_id": user_id, "agency": agency, "read_at": to_iso(now)})
    return True


def received_by(db: Database, user_id: int) -> list[Received]:
    """Every brief addressed to `user_id` or read by them, by referral (oldest first); a brief
    approved again counts once, by its latest delivery."""
    rows = db.table("outbox").rows_where(
        "chat_id = ? AND kind = ?",
        (user_id, str(OutboxKind.BRIEF)),
        order_by="id",
        select="ref, status, sent_at",
    )
    reads = db.table("brief_reads").rows_where("user_id = ?", (user_id,), order_by="read_at")
    read_at = {str(r["ref"]): from_iso(r["read_at"]) for r in reads}
    delivered = {str(r["ref"]): (str(r["status"]), from_iso_or_none(r["sent_at"])) for r in rows}
    refs = list(delivered) + [ref for ref in read_at if ref not in delivered]
    return [Received(ref, *delivered.get(ref, ("", None)), read_at.get(ref)) for ref in refs]


def reach(db: Database, ref: str) -> Reach:
    """Sent to (delivered outbox rows) and read by, overall and per agency."""
    found = brief_rows(db, ref=ref.strip().upper())
    if not found:
        return Reach(0, 0, ())
    return Reach(found[0].sent, found[0].read, found[0].by_agency)


@dataclass(frozen=True, slots=True)
class BriefRow:
    """One learning brief and how far it went: whether it is a case study of good practice (its
    referral's `good_practice` fact), the agencies it was for (none: everyone), its status, and
    (agency, sent to, read by) for each agency it reached."""

    ref: str
    case_study: bool
    agencies: tuple[str, ...]
    status: str
    created_at: dt.datetime
    approved_at: dt.datetime | None
    by_agency: tuple[tuple[str, int, int], ...]

    @property
    def sent(self) -> int:
        """How many practitioners it was delivered to."""
        return sum(sent for _, sent, _ in self.by_agency)

    @property
    def read(self) -> int:
        """How many of them pressed Read it."""
        return sum(read for _, _, read in self.by_agency)


# A brief's year: approved, else begun. Its reach by agency, from the delivered outbox rows and
# the reads (an agency may appear in only one: someone who moved agency in between).
BRIEF_YEAR = "CAST(substr(coalesce(b.approved_at, b.created_at), 1, 4) AS INTEGER)"
_BRIEFS_SQL = """
WITH chosen AS (
    SELECT b.ref, b.status, b.agencies, b.created_at, b.approved_at, r.year, r.seq,
        coalesce(json_extract(r.facts, '$.good_practice'), 0) AS case_study
    FROM briefs b CROSS JOIN referrals r USING (ref)  -- the briefs first, each's referral by key
    WHERE {where}
), sent AS (
    SELECT o.ref, json_extract(o.payload, '$.agency') AS agency, count(*) AS n
    FROM chosen c CROSS JOIN outbox o ON o.ref = c.ref  -- the chosen briefs' rows, by key
    WHERE o.kind = ? AND o.status = ?
    GROUP BY o.ref, agency
), reads AS (
    SELECT d.ref, d.agency, count(*) AS n FROM chosen c CROSS JOIN brief_reads d ON d.ref = c.ref
    GROUP BY d.ref, d.agency
), reached AS (
    SELECT ref, agency FROM sent UNION SELECT ref, agency FROM reads
)
SELECT c.ref, c.status, c.agencies, c.created_at, c.approved_at, c.case_study, a.agency,
    coalesce(s.n, 0) AS sent, coalesce(d.n, 0) AS read
FROM chosen c LEFT JOIN reached a ON a.ref = c.ref
    LEFT JOIN sent s ON s.ref = a.ref AND s.agency = a.agency
    LEFT JOIN reads d ON d.ref = a.ref AND d.agency = a.agency
ORDER BY c.year, c.seq, a.agency COLLATE NOCASE
"""


def brief_rows(db: Database, year: int | None = None, ref: str | None = None) -> list[BriefRow]:
    """Every learning brief (of one year, or the one of `ref`, when given) in reference order,
    with its reach by agency, in one query: the annual update, the exports and `/reach` alike."""
    found: dict[str, tuple[dict[str, Any], list[tuple[str, int, int]]]] = {}
    # One brief by its key (so `/reach` reads only that brief's rows), or a year's, or all.
    chosen: tuple[object, ...] = ()
    where = "1"
    if ref is not None:
        where, chosen = "b.ref = ?", (ref,)
    elif year is not None:
        where, chosen = f"{BRIEF_YEAR} = ?", (year,)
    if ref is not None and year is not None:
        where, chosen = f"b.ref = ? AND {BRIEF_YEAR} = ?", (ref, year)
    params = (*chosen, OutboxKind.BRIEF, SENT)
    for row in db.query(_BRIEFS_SQL.format(where=where), params):
        _, reach = found.setdefault(row["ref"], (row, []))
        if row["agency"] is not None:
            reach.append((str(row["agency"]), int(row["sent"]), int(row["read"])))
    return [
        BriefRow(
            ref=row["ref"],
            case_study=bool(row["case_study"]),
            agencies=tuple(from_json(row["agencies"])),
            status=row["status"],
            created_at=from_iso(row["created_at"]),
            approved_at=from_iso_or_none(row["approved_at"]),
            by_agency=tuple(reach),
        )
        for row, reach in found.values()
    ]
