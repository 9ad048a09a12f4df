"""What the reviews' stages read (`reports.review_stages.stages`, `review_rows`, `year_reviews`):
the same stages and rows as reading each review on its own, in a fixed number of statements
however many reviews there are, and a year's reviews alone read as referrals. Real SQLite files,
synthetic data only."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from filed import GOOD_PRACTICE, LOW, SEVERE, decide, file
from reviewed import OFFICER, agency_review, reviewed
from sqlite_utils import Database

from bot.delivery.workdays import working_days_between
from reports.review_stages import review_rows, stage_of, stages, year_reviews
from storage import actions, agency_reviews, plans, referrals, terms
from storage.db import open_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 4, 20)
COUNT = functools.partial(working_days_between, holidays=(dt.date(2026, 4, 3),))
UNTIL = ("approved", "planned", "sent", "agreed")


def _board(path: Path, reviews: int) -> None:
    """`reviews` reviews of 2026 at every stage (some with agency reviews in, actions overdue
    or not), beside referrals that are no review and a review of 2025."""
    for n in range(reviews):
        review = reviewed(path, SEVERE, NOW, until=UNTIL[n % len(UNTIL)])
        db = open_db(path)
        with closing(db.conn):
            if n % 4 == 3:  # agreed: Health's agency review in, and Police's every other
                agency_review(db, review.ref, "Health", NOW, lead=5001)
            if n % 8 == 7:
                agency_review(db, review.ref, "Police", NOW, lead=5002)
            if n % 3 == 0:
                due = dt.date(2026, 4, 1) if n % 2 == 0 else dt.date(2026, 5, 1)
                actions.add_action(db, review.ref, "Health", due, "Train staff", OFFICER, NOW)
    file(path, LOW, NOW)  # undecided
    declined = file(path, LOW, NOW)
    decide(path, declined.ref, NOW, "declined", "Single-agency learning")
    case_study = file(path, GOOD_PRACTICE, NOW)
    decide(path, case_study.ref, NOW)  # a case study: no review
    reviewed(path, SEVERE, dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC))  # of last year


@contextmanager
def _opened(tmp_path: Path, reviews: int) -> Iterator[Database]:
    path = tmp_path / f"board-{reviews}.db"
    _board(path, reviews)
    db = open_db(path)
    with closing(db.conn):
        yield db


def _statements(db: Database, read: functools.partial[object]) -> list[str]:
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        read()
    finally:
        db.conn.set_trace_callback(None)
    return seen


def test_the_batched_reads_give_what_reading_each_review_on_its_own_gives(
    tmp_path: Path,
) -> None:
    with _opened(tmp_path, 12) as db:
        everything = referrals.list_referrals(db)
        found = stages(db, everything, TODAY, COUNT)
        rows = review_rows(db, everything, TODAY, COUNT)

        one_by_one = [
            stage_of(
                r,
                plans.get_plan(db, r.ref),
                terms.get_terms(db, r.ref),
                agency_reviews.for_refs(db, [r.ref])[r.ref],
                TODAY,
                COUNT,
            )
            for r in everything
            if r.decision == "approved" and r.grade != "best_practice"
        ]
        assert found == one_by_one and len(found) == 13
        assert {s.stage.value for s in found} == {"plan", "terms", "agency_reviews", "overview"}
        assert [row.stage for row in rows] == found
        overdue = [
            sum(1 for a in actions.actions_for(db, s.ref) if a.overdue(TODAY)) for s in found
        ]
        assert [row.overdue_actions for row in rows] == overdue and 0 < sum(overdue) < len(found)
        assert any(s.submitted for s in found)


def test_a_years_reviews_are_those_review_rows_keeps_of_every_referral_of_the_year(
    tmp_path: Path,
) -> None:
    with _opened(tmp_path, 5) as db:
        of_year = referrals.list_referrals(db, 2026)
        reviews = year_reviews(db, 2026)
        assert len(of_year) == 8 and [r.ref for r in reviews] == [r.ref for r in of_year[:5]]
        assert review_rows(db, reviews, TODAY, COUNT) == review_rows(db, of_year, TODAY, COUNT)
        assert [r.year for r in year_reviews(db, 2025)] == [2025]


def test_the_reads_cost_the_same_statements_for_3_reviews_as_for_30(tmp_path: Path) -> None:
    counted = []
    for reviews in (3, 30):
        with _opened(tmp_path, reviews) as db:
            read = functools.partial(
                lambda d: review_rows(d, year_reviews(d, 2026), TODAY, COUNT), db
            )
            assert len(read()) == reviews
            counted.append(len(_statements(db, read)))
    assert counted[0] == counted[1] and counted[0] <= 6
