"""Read-only queries for the board's figures: `/stats`, the annual report, the CSV export and the
dashboard's chart (a year's referrals by month and grade, `count_by_month_and_grade`).

The annual report's referrals are read in one grouped query a year (`report_groups`): SQL
counts the referrals alike in every value the figures use, so the Python work grows with the
different combinations, not with the referrals, beside the days each decided one took (to the
microsecond; `/stats`'s median reads them to the millisecond, `decision_days`). No description
or practitioner id is read here.
The year's review actions are read grouped the same way (`action_groups`), and the year's
reviews, for "Reviews of the year", by `decided_of_year` (only their rows, not the year's).

Learning briefs with their reach are read by `storage.briefs.brief_rows` (one read per year);
here, how many different practitioners a year's briefs reached (`brief_people`). A brief's year
is the year it was approved (when it was queued to its recipients), or, for one not approved,
the year it was begun; its deliveries and reads count under that year even when they came later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.briefs import APPROVED, BRIEF_YEAR
from storage.db import fetch, from_json, one_of, to_json
from storage.outbox import SENT, OutboxKind
from storage.referral_record import Referral, from_row
from storage.timestamps import to_iso

# Microseconds from filing to the chair's decision, from the stored fixed-width UTC text (whole
# seconds, then the microseconds): exact, where julianday() rounds each time to the millisecond.
# (unixepoch(), SQLite 3.38: the integer seconds strftime('%s') gives, without the text between.)
_MICROSECONDS = (
    "(unixepoch(substr(r.decided_at, 1, 19)) - unixepoch(substr(r.created_at, 1, 19))) * 1000000"
    " + CAST(substr(r.decided_at, 21, 6) AS INTEGER)"
    " - CAST(substr(r.created_at, 21, 6) AS INTEGER)"
)
_PLAN_ANSWERS = ("methodology", "family", "staff")
# One year's referrals, read by the (year, seq) index: a year is a small part of the history,
# which the planner is told, as statistics gathered while the board had one year would make it
# scan the whole table for any year (the year before the first then costing a full read).
_OF_YEAR = "likelihood(r.year = ?, 0.1)"


@dataclass(frozen=True, slots=True)
class ReportGroup:
    """Referrals of a year alike in everything the figures count, and how many there are.

    `facts` holds only the facts asked for that a referral has (with a value other than null);
    `plan` the answers of a finished review plan (methodology, family, staff) or None; `days`
    the days (with fractions) each decided one took from filing to decision, as
    `timedelta.total_seconds() / 86400` counts them.
    """

    count: int
    grade: str
    escalated: bool  # its grade is no longer the one the matrix gave at filing
    urgent: bool
    referrer_agency: str
    status: str
    decision: str | None
    agencies: tuple[str, ...]
    flags: Mapping[str, bool]
    facts: Mapping[str, Any]
    plan: Mapping[str, Any] | None
    days: tuple[float, ...]


def _paths(names: Sequence[str]) -> str:
    """The JSON paths of `names` for one json_extract, which answers with a JSON array of their
    values (null for one missing) when given two or more."""
    if len(names) < 2 or not all(name.isidentifier() for name in names):
        raise ValueError(f"two or more plain names, not {names!r}")
    return ", ".join(f"'$.{name}'" for name in names)


def _answers(values: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(_PLAN_ANSWERS, values, strict=True))


def _days(microseconds: str | None) -> tuple[float, ...]:
    """Days from the listed microseconds (None: none decided), divided as `timedelta` does."""
    if microseconds is None:
        return ()
    return tuple(us / 1_000_000 / 86_400 for us in map(int, microseconds.split(",")))


def report_groups(db: Database, year: int, facts: Sequence[str]) -> list[ReportGroup]:
    """The referrals of `year` grouped by what the figures count (the `facts` named, of those the
    practitioner answered; a finished plan's answers) with the days each took to decide: one
    read of the year, one row a group."""
    query = f"""SELECT count(*), r.grade, r.grade <> r.original_grade, r.urgent,
            r.referrer_agency, r.status, r.decision, r.agencies, r.flags,
            json_extract(r.facts, {_paths(facts)}),
            CASE WHEN p.state = 'done' THEN json_extract(p.answers, {_paths(_PLAN_ANSWERS)}) END,
            group_concat({_MICROSECONDS})
        FROM referrals r LEFT JOIN plans p ON p.ref = r.ref
        WHERE {_OF_YEAR}
        GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"""
    parsed: dict[str, Any] = {}

    def load(text: str) -> Any:
        if text not in parsed:
            parsed[text] = from_json(text)
        return parsed[text]

    groups = []
    for row in db.execute(query, (year,)).fetchall():
        values = from_json(row[9])
        groups.append(
            ReportGroup(
                count=row[0],
                grade=row[1],
                escalated=bool(row[2]),
                urgent=bool(row[3]),
                referrer_agency=row[4],
                status=row[5],
                decision=row[6],
                agencies=tuple(load(row[7])),
                flags=load(row[8]),
                facts={k: v for k, v in zip(facts, values, strict=False) if v is not None},
                plan=None if row[10] is None else _answers(from_json(row[10])),
                days=_days(row[11]),
            )
        )
    return groups


def decided_of_year(
    db: Database, year: int, decisions: Sequence[str], other_than: str
) -> list[Referral]:
    """The referrals of `year` decided with one of `decisions` at a grade other than `other_than`,
    in reference order (the year's reviews, `reports.review_stages.year_reviews`): one read of
    the year by its index, only those rows read as referrals."""
    sql = (
        f"SELECT r.* FROM referrals r WHERE {_OF_YEAR} AND {one_of('r.decision')}"
        " AND r.grade IS NOT ? ORDER BY r.seq"
    )
    return [from_row(row) for row in fetch(db, sql, (year, to_json(list(decisions)), other_than))]


def _where(year: int | None) -> tuple[str, tuple[Any, ...]]:
    return ("WHERE year = ?", (year,)) if year is not None else ("", ())


def decision_days(db: Database, year: int | None = None) -> list[float]:
    """Days from filing to decision of every decided referral (of one year), shortest first, to
    the millisecond (`/stats`'s median)."""
    where, params = _where(year)
    condition = f"{where} AND" if where else "WHERE"
    rows = db.query(
        "SELECT (julianday(decided_at) - julianday(created_at)) AS days FROM referrals"
        f" {condition} decided_at IS NOT NULL ORDER BY days",
        params,
    )
    return [float(row["days"]) for row in rows]


@dataclass(frozen=True, slots=True)
class ActionGroup:
    """Actions of a year alike in what the figures count: agency, status, due date and the
    (UTC) day each was closed; and how many there are."""

    count: int
    agency: str
    status: str
    due: dt.date
    closed_on: dt.date | None


def action_groups(db: Database, year: int) -> list[ActionGroup]:
    """The actions recorded in `year`, grouped (one row a group, not an action)."""
    cursor = db.execute(
        "SELECT count(*), agency, status, due, substr(closed_at, 1, 10) FROM actions"
        " WHERE substr(recorded_at, 1, 4) = ? GROUP BY 2, 3, 4, 5",
        (f"{year:04d}",),
    )
    return [
        ActionGroup(
            count=n,
            agency=agency,
            status=status,
            due=dt.date.fromisoformat(due),
            closed_on=None if closed is None else dt.date.fromisoformat(closed),
        )
        for n, agency, status, due, closed in cursor.fetchall()
    ]


def brief_people(db: Database, year: int) -> int:
    """How many different practitioners the approved briefs of `year` were delivered to."""
    cursor = db.execute(
        "SELECT count(DISTINCT o.chat_id) FROM briefs b CROSS JOIN outbox o USING (ref)"
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
