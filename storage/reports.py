"""Read-only queries for the board's figures: `/stats`, the annual report, the CSV export and the
dashboard's chart (a year's referrals by month and grade, `count_by_month_and_grade`).

Rows for the report are read with only the columns the figures need and streamed from the
cursor (so a caller can show progress over a large year); no description or practitioner id is
read here. Times come back as timezone-aware UTC datetimes.

Learning briefs with their reach are read by `storage.briefs.brief_rows` (one read per year);
here, how many different practitioners a year's briefs reached (`brief_people`). A brief's year
is the year it was approved (when it was queued to its recipients), or, for one not approved,
the year it was begun; its deliveries and reads count under that year even when they came later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.briefs import APPROVED, BRIEF_YEAR
from storage.db import from_json
from storage.outbox import SENT, OutboxKind
from storage.timestamps import from_iso, from_iso_or_none, to_iso

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
    cursor = db.execute(
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
    rows = db.query(
        "SELECT (julianday(decided_at) - julianday(created_at)) AS days FROM referrals"
        f" {condition} decided_at IS NOT NULL ORDER BY days",
        params,
    )
    return [float(row["days"]) for row in rows]


def brief_people(db: Database, year: int) -> int:
    """How many different practitioners the approved briefs of `year` were delivered to."""
    cursor = db.execute(
        "SELECT count(DISTINCT o.chat_id) FROM outbox o JOIN briefs b USING (ref)"
        f" WHERE o.kind = ? AND o.status = ? AND b.status = ? AND {BRIEF_YEAR} = ?",
        (OutboxKind.BRIEF, SENT, APPROVED, year),
    )
    return int(cursor.fetchone()[0] or 0)


def count_by_month_and_grade(
    db: Database, year: int, starts: Sequence[dt.datetime]
) -> dict[tuple[int, str], int]:
    """How many referrals of `year` were filed in each month (1 to 12: `starts` are the moments
    its twelve months begin, as the caller's calendar has them) with each current grade:
    counted in SQL on the index of a year's filing moments and grades, no referral read."""
    if len(starts) != 12:
        raise ValueError("twelve months begin in a year")
    cases = " ".join(f"WHEN created_at < ? THEN {month}" for month in range(1, 12))
    sql = (
        f"SELECT CASE {cases} ELSE 12 END AS month, grade, count(*) AS n FROM referrals"
        " WHERE year = ? GROUP BY month, grade"
    )
    params = [*(to_iso(start) for start in starts[1:]), year]
    return {(int(r[0]), str(r[1])): int(r[2]) for r in db.execute(sql, params)}
