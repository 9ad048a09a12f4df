"""Read-only queries for the board's figures: `/stats`, the annual report and the CSV export.

Rows for the report are read with only the columns the figures need and streamed from the
cursor (so a caller can show progress over a large year); no description or practitioner id is
read here. Times come back as timezone-aware UTC datetimes.

Learning briefs come with their reach in one read per year (`brief_rows`): each brief with its
deliveries (outbox rows of kind `brief` sent) and reads by agency. A brief's year is the year it
was approved (when it was queued to its recipients), or, for one not approved, the year it was
begun; its deliveries and reads count under that year even when they came later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.briefs import APPROVED
from storage.db import fetch_all, fetch_value, from_json
from storage.outbox import SENT, OutboxKind
from storage.timestamps import from_iso, from_iso_or_none

_REPORT_COLUMNS = (
    "ref, year, created_at, referrer_agency, grade, original_grade, agencies, facts, flags,"
    " urgent, status, decision, decided_at"
)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One referral as the figures see it: no description, no practitioner beyond agency."""

    ref: str
    year: int
    created_at: dt.datetime
    referrer_agency: str
    grade: str
    original_grade: str
    agencies: tuple[str, ...]
    facts: Mapping[str, Any]
    flags: Mapping[str, bool]
    urgent: bool
    status: str
    decision: str | None
    decided_at: dt.datetime | None

    @property
    def days_to_decision(self) -> float | None:
        """Days (with fractions) from filing to the chair's decision, None while undecided."""
        if self.decided_at is None:
            return None
        return (self.decided_at - self.created_at).total_seconds() / 86400


def _where(year: int | None) -> tuple[str, tuple[Any, ...]]:
    return ("WHERE year = ?", (year,)) if year is not None else ("", ())


def iter_report_rows(db: Database, year: int | None = None) -> Iterator[ReportRow]:
    """Every referral (of one year, when given) in reference order, streamed."""
    where, params = _where(year)
    cursor = db.conn.execute(
        f"SELECT {_REPORT_COLUMNS} FROM referrals {where} ORDER BY year, seq", params
    )
    try:
        for row in cursor:
            yield ReportRow(
                ref=row[0],
                year=row[1],
                created_at=from_iso(row[2]),
                referrer_agency=row[3],
                grade=row[4],
                original_grade=row[5],
                agencies=tuple(from_json(row[6])),
                facts=from_json(row[7]),
                flags=from_json(row[8]),
                urgent=bool(row[9]),
                status=row[10],
                decision=row[11],
                decided_at=from_iso_or_none(row[12]),
            )
    finally:
        cursor.close()


def decision_days(db: Database, year: int | None = None) -> list[float]:
    """Days from filing to decision of every decided referral (of one year), shortest first."""
    where, params = _where(year)
    condition = f"{where} AND" if where else "WHERE"
    rows = fetch_all(
        db,
        "SELECT (julianday(decided_at) - julianday(created_at)) AS days FROM referrals"
        f" {condition} decided_at IS NOT NULL ORDER BY days",
        params,
    )
    return [float(row["days"]) for row in rows]


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
_BRIEF_YEAR = "CAST(substr(coalesce(b.approved_at, b.created_at), 1, 4) AS INTEGER)"
_BRIEFS_SQL = f"""
WITH chosen AS (
    SELECT b.ref, b.status, b.agencies, b.created_at, b.approved_at, r.year, r.seq,
        coalesce(json_extract(r.facts, '$.good_practice'), 0) AS case_study
    FROM briefs b JOIN referrals r USING (ref) WHERE ? IS NULL OR {_BRIEF_YEAR} = ?
), sent AS (
    SELECT o.ref, json_extract(o.payload, '$.agency') AS agency, count(*) AS n
    FROM outbox o JOIN chosen c USING (ref) WHERE o.kind = ? AND o.status = ?
    GROUP BY o.ref, agency
), reads AS (
    SELECT d.ref, d.agency, count(*) AS n FROM brief_reads d JOIN chosen c USING (ref)
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


def brief_rows(db: Database, year: int | None = None) -> list[BriefRow]:
    """Every learning brief (of one year, when given) in reference order, with its reach by
    agency, in one query."""
    found: dict[str, tuple[dict[str, Any], list[tuple[str, int, int]]]] = {}
    for row in fetch_all(db, _BRIEFS_SQL, (year, year, OutboxKind.BRIEF, SENT)):
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


def brief_people(db: Database, year: int) -> int:
    """How many different practitioners the approved briefs of `year` were delivered to."""
    return int(
        fetch_value(
            db,
            "SELECT count(DISTINCT o.chat_id) FROM outbox o JOIN briefs b USING (ref)"
            f" WHERE o.kind = ? AND o.status = ? AND b.status = ? AND {_BRIEF_YEAR} = ?",
            (OutboxKind.BRIEF, SENT, APPROVED, year),
        )
        or 0
    )
