"""Individual agency reviews (SPEC §9, items 10, 11 and 13): one a review and agency.

A row of `agency_reviews` is made for each agency the plan named when the review's terms are
agreed (`ask`); `asked_at` is when its leads were first asked (empty while the agency has no
lead: a lead who registers later is asked then, `mark_asked`). It is due on the plan's
agency-reviews date (`due`). The lead who starts it holds it (`start`, a compare-and-set: one
holder an agency review); its questionnaire's state and answers are saved after every answer
(`save_progress`), already redacted by the caller. `submit` writes its chronology entries and
action points as rows of `agency_review_entries` (so one chronology reads every agency's
entries in date order, `chronology`) and marks it submitted, late when after its due date.
The texts are free text under the retention schedule (`storage.retention.FREE_TEXT`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import fetch, from_json, get_or_none, one_of, to_json, transaction
from storage.timestamps import from_iso, from_iso_or_none, to_iso

CHRONOLOGY, ACTION_POINT = "chronology", "action_point"  # the kinds of entry


@dataclass(frozen=True, slots=True)
class Entry:
    """One submitted entry: a chronology entry or an action point, with its date."""

    ref: str
    agency: str
    kind: str
    seq: int
    day: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class AgencyReview:
    """One agency's review of one case: asked, held, being written, submitted."""

    ref: str
    agency: str
    due: dt.date
    created_at: dt.datetime
    asked_at: dt.datetime | None
    holder_id: int | None
    holder_name: str | None
    started_at: dt.datetime | None
    state: str | None
    answers: Mapping[str, Any]
    updated_at: dt.datetime | None
    submitted_at: dt.datetime | None
    late: bool

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def overdue_on(self, today: dt.date) -> bool:
        """Not submitted and past its due date on `today` (calendar days; working days are
        the caller's reckoning)."""
        return self.submitted_at is None and today > self.due


def _review(row: dict[str, Any]) -> AgencyReview:
    return AgencyReview(
        ref=row["ref"],
        agency=row["agency"],
        due=dt.date.fromisoformat(row["due"]),
        created_at=from_iso(row["created_at"]),
        asked_at=from_iso_or_none(row["asked_at"]),
        holder_id=row["holder_id"],
        holder_name=row["holder_name"],
        started_at=from_iso_or_none(row["started_at"]),
        state=row["state"],
        answers=from_json(row["answers"]),
        updated_at=from_iso_or_none(row["updated_at"]),
        submitted_at=from_iso_or_none(row["submitted_at"]),
        late=bool(row["late"]),
    )


def get(db: Database, ref: str, agency: str) -> AgencyReview | None:
    """The agency review of `agency` for `ref`, or None when it was not asked for."""
    row = get_or_none(db.table("agency_reviews"), (ref, agency))
    return None if row is None else _review(row)


def for_review(db: Database, ref: str) -> list[AgencyReview]:
    """Every agency review of `ref`, by agency name."""
    rows = db.table("agency_reviews").rows_where("ref = ?", (ref,), order_by="agency")
    return [_review(r) for r in rows]


def for_refs(db: Database, refs: Sequence[str]) -> dict[str, list[AgencyReview]]:
    """The agency reviews of each of `refs` in one read (by reference, then agency)."""
    out: dict[str, list[AgencyReview]] = {ref: [] for ref in refs}
    if not refs:
        return out
    sql = f"SELECT * FROM agency_reviews WHERE {one_of('ref')} ORDER BY ref, agency"
    for row in fetch(db, sql, (to_json(list(refs)),)):
        out[row["ref"]].append(_review(row))
    return out


def open_reviews(db: Database) -> list[AgencyReview]:
    """Every agency review not yet submitted, due date first (for reminders and overdue)."""
    rows = db.table("agency_reviews").rows_where(
        "submitted_at IS NULL", order_by="due, ref, agency"
    )
    return [_review(r) for r in rows]


def open_of_agency(db: Database, agency: str) -> list[AgencyReview]:
    """The agency reviews of `agency` (any case) not yet submitted, oldest first (a lead who
    registers is asked each)."""
    rows = db.table("agency_reviews").rows_where(
        "agency = ? COLLATE NOCASE AND submitted_at IS NULL",
        (agency,),
        order_by="created_at, ref",
    )
    return [_review(r) for r in rows]


def held_by(db: Database, user_id: int) -> list[AgencyReview]:
    """The agency reviews `user_id` started and holds (or held, once submitted), oldest first
    (`/mydata`, a subject access request)."""
    rows = db.table("agency_reviews").rows_where(
        "holder_id = ?", (user_id,), order_by="started_at, ref, agency"
    )
    return [_review(r) for r in rows]


def not_asked_for(db: Database, agency: str) -> list[AgencyReview]:
    """The agency reviews of `agency` not yet asked of anyone (it had no lead), oldest first."""
    rows = db.table("agency_reviews").rows_where(
        "agency = ? AND asked_at IS NULL AND submitted_at IS NULL",
        (agency,),
        order_by="created_at, ref",
    )
    return [_review(r) for r in rows]


def ask(
    db: Database, ref: str, agencies: Iterable[str], due: dt.date, now: dt.datetime
) -> list[AgencyReview]:
    """Make the agency review of each of `agencies` for `ref` (not yet asked of a lead); an
    agency already asked keeps its row. Returns the rows of `agencies`. Joins the caller's
    transaction."""
    with transaction(db):
        for agency in agencies:
            if get(db, ref, agency) is None:
                row = {
                    "ref": ref,
                    "agency": agency,
                    "due": due.isoformat(),
                    "created_at": to_iso(now),
                }
                db.table("agency_reviews").insert(row)
        return [r for r in for_review(db, ref) if r.agency in set(agencies)]


def mark_asked(db: Database, ref: str, agency: str, now: dt.datetime) -> bool:
    """Record that the agency's leads were asked (the first time only); False when already."""
    with transaction(db):
        review = get(db, ref, agency)
        if review is None or review.asked_at is not None:
            return False
        db.table("agency_reviews").update((ref, agency), {"asked_at": to_iso(now)})
        return True


def start(
    db: Database,
    ref: str,
    agency: str,
    user_id: int,
    name: str | None,
    state: str,
    now: dt.datetime,
) -> AgencyReview | None:
    """`user_id` starts the agency review and holds it, unless another already does or it was
    submitted: then None (the caller names the holder). Starting it again by its holder
    returns it unchanged (resumes). Joins the caller's transaction."""
    with transaction(db):  # read and written under the write lock
        review = get(db, ref, agency)
        if review is None or review.submitted:
            return None
        if review.holder_id is not None:
            return review if review.holder_id == user_id else None
        values = {
            "holder_id": user_id,
            "holder_name": name,
            "started_at": to_iso(now),
            "state": state,
            "updated_at": to_iso(now),
        }
        db.table("agency_reviews").update((ref, agency), values)
        return get(db, ref, agency)


def save_progress(
    db: Database,
    ref: str,
    agency: str,
    state: str,
    answers: Mapping[str, Any],
    now: dt.datetime,
) -> AgencyReview:
    """Save the questionnaire's state and answers (redacted) of an agency review being
    written. Joins the caller's transaction."""
    with transaction(db):
        values = {"state": state, "answers": to_json(dict(answers)), "updated_at": to_iso(now)}
        db.table("agency_reviews").update((ref, agency), values)
        review = get(db, ref, agency)
    assert review is not None
    return review


def submit(
    db: Database,
    ref: str,
    agency: str,
    chronology: Sequence[tuple[dt.date, str]],
    action_points: Sequence[tuple[dt.date, str]],
    today: dt.date,
    now: dt.datetime,
) -> AgencyReview | None:
    """Submit the agency review: its entries and action points (redacted) become rows, it is
    marked submitted (late when `today` is past its due date). None, changing nothing, when it
    was already submitted. Joins the caller's transaction."""
    with transaction(db):
        review = get(db, ref, agency)
        if review is None or review.submitted:
            return None
        entries = db.table("agency_review_entries")
        for kind, items in ((CHRONOLOGY, chronology), (ACTION_POINT, action_points)):
            for seq, (day, text) in enumerate(items, 1):
                entries.insert(
                    {
                        "ref": ref,
                        "agency": agency,
                        "kind": kind,
                        "seq": seq,
                        "day": day.isoformat(),
                        "text": text,
                    }
                )
        values = {
            "submitted_at": to_iso(now),
            "late": int(today > review.due),
            "updated_at": to_iso(now),
        }
        db.table("agency_reviews").update((ref, agency), values)
        return get(db, ref, agency)


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(
        row["ref"],
        row["agency"],
        row["kind"],
        int(row["seq"]),
        dt.date.fromisoformat(row["day"]),
        row["text"],
    )


def entries_of(db: Database, ref: str, agency: str, kind: str) -> list[Entry]:
    """One agency's submitted entries of one kind, in the order given."""
    rows = db.table("agency_review_entries").rows_where(
        "ref = ? AND agency = ? AND kind = ?", (ref, agency, kind), order_by="seq"
    )
    return [_entry(r) for r in rows]


def chronology(db: Database, ref: str) -> list[Entry]:
    """The multi-agency chronology of `ref`: every submitted chronology entry, by date, then
    agency, then the order the agency gave."""
    rows = db.table("agency_review_entries").rows_where(
        "ref = ? AND kind = ?", (ref, CHRONOLOGY), order_by="day, agency, seq"
    )
    return [_entry(r) for r in rows]
