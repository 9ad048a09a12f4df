"""The retention schedule: free text erased once due, from the file itself, with everything the
figures need kept; a dry run writes nothing; the migration moves the events' words aside."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from privacy_support import (
    CHAIR,
    CLOSED_TEXTS,
    DECLINED_TEXTS,
    closed_case,
    declined_case,
    file_bytes,
    file_case,
    found_in,
)
from sqlite_utils import Database

from dialogs.plan_questions import PLAN_QUESTIONS
from storage import agency_reviews
from storage.db import connect, transaction
from storage.events import events_for
from storage.info_requests import questions_for
from storage.migrations import LATEST, MIGRATIONS, current_version, migrate
from storage.plans import get_plan
from storage.referrals import count_by_grade, count_by_status, require_referral
from storage.retention import PLAN_FREE_TEXT, add_months, kept_part, marker, purge

DECLINED_AT = dt.datetime(2025, 1, 10, 14, 0, tzinfo=dt.UTC)
CLOSED_AT = dt.datetime(2025, 3, 31, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _purge(db: Database, today: dt.date, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return purge(
        db, today=today, declined_months=12, closed_years=6, now=NOW, actor="cli", dry_run=dry_run
    )


def test_a_declined_referral_keeps_its_text_until_due_then_loses_it_everywhere(
    db: Database, db_path: Path
) -> None:
    ref = declined_case(db, DECLINED_AT)
    before = require_referral(db, ref)
    figures = (count_by_status(db), count_by_grade(db))

    waiting = _purge(db, dt.date(2026, 1, 9))
    assert waiting.erasures == [] and waiting.waiting == 1
    assert found_in(file_bytes(db_path), DECLINED_TEXTS) == list(DECLINED_TEXTS)

    done = _purge(db, dt.date(2026, 1, 10))
    (erasure,) = done.erasures
    assert (erasure.ref, erasure.status, erasure.since, erasure.due) == (
        ref,
        "declined",
        dt.date(2025, 1, 10),
        dt.date(2026, 1, 10),
    )
    assert erasure.erased == {
        "description": 1,
        "case reference": 1,
        "decision reason": 1,
        "question": 1,
        "answer": 1,
        "event text": 4,  # the note, the question, the answer and the chair's reason
    }
    assert done.checkpointed
    assert found_in(file_bytes(db_path), DECLINED_TEXTS) == []

    gone = marker(dt.date(2026, 1, 10))
    assert gone == "erased under the retention schedule on 2026-01-10"
    after = require_referral(db, ref)
    assert (after.description, after.case_reference, after.decision_reason) == (gone,) * 3
    (question,) = questions_for(db, ref)
    assert (question.question, question.answer) == (gone, gone)
    kept = ("grade", "flags", "facts", "status", "decision", "decided_at", "created_at")
    assert all(getattr(after, name) == getattr(before, name) for name in kept)
    assert (count_by_status(db), count_by_grade(db)) == figures

    log = {e.action: e for e in events_for(db, ref)}
    assert log["filed"].detail == "grade severe, matrix 2026.1"
    assert log["note"].detail == gone
    assert log["decision"].detail == f"declined: awaiting_chair -> declined: {gone}"
    assert log["erased"].actor == "cli"
    assert log["erased"].detail.startswith("declined on 2025-01-10, kept 12 months; erased: ")

    assert _purge(db, dt.date(2027, 1, 1)).erasures == []  # erased once


def test_a_dry_run_says_what_would_go_and_writes_nothing(db: Database, db_path: Path) -> None:
    ref = declined_case(db, DECLINED_AT)
    dump = list(db.conn.iterdump())
    dry = _purge(db, dt.date(2026, 2, 1), dry_run=True)
    assert [e.ref for e in dry.erasures] == [ref] and dry.dry_run
    assert dry.totals["description"] == 1
    assert list(db.conn.iterdump()) == dump
    assert found_in(file_bytes(db_path), DECLINED_TEXTS) == list(DECLINED_TEXTS)


def test_a_closed_referral_keeps_its_text_six_years(db: Database, db_path: Path) -> None:
    ref = closed_case(db, CLOSED_AT)
    assert _purge(db, dt.date(2031, 3, 30)).erasures == []
    (erasure,) = _purge(db, dt.date(2031, 3, 31)).erasures
    assert erasure.ref == ref and erasure.since == dt.date(2025, 3, 31)
    assert erasure.erased["plan answer"] == 2  # the family's reason and the author
    assert found_in(file_bytes(db_path), CLOSED_TEXTS) == []

    gone = marker(dt.date(2031, 3, 31))
    plan = get_plan(db, ref)
    assert plan is not None
    assert plan.answers["author"] == plan.answers["family_reason"] == gone
    assert plan.answers["report_due"] == "2026-09-01" and plan.answers["family"] == "no"
    details = [(e.action, e.detail) for e in events_for(db, ref)]
    assert ("plan", "review plan started") in details
    assert ("plan", f"plan complete: {gone}") in details
    assert ("decision", f"family not involved: {gone}") in details
    assert ("status", f"review_planned -> in_review: {gone}") in details
    assert ("status", "published -> closed") in details
    assert ("grade", f"severe -> catastrophic: {gone}") in details
    assert require_referral(db, ref).grade == "catastrophic"


def test_open_and_recent_referrals_are_untouched(db: Database) -> None:
    open_ref = file_case(db, DECLINED_AT, "Ravelstone open case still awaiting the chair").ref
    recent = declined_case(db, dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    done = _purge(db, dt.date(2026, 6, 1))
    assert done.erasures == [] and done.waiting == 1
    assert require_referral(db, open_ref).description.startswith("Ravelstone")
    assert require_referral(db, recent).description == DECLINED_TEXTS["description"]


def test_months_are_calendar_months() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 14) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2025, 3, 31), 72) == dt.date(2031, 3, 31)


def test_only_the_programs_own_words_are_kept() -> None:
    assert kept_part("note", "declined -> approved: a note that looks like a move") == ""
    assert kept_part("status", "approved -> review_planned") == "approved -> review_planned"
    assert kept_part("status", "in_review -> report_received: x") == "in_review -> report_received"
    assert (
        kept_part(
            "decision", "escalated: awaiting_chair -> approved; grade low -> severe; reason: y"
        )
        == "escalated: awaiting_chair -> approved; grade low -> severe"
    )
    assert kept_part("answer", "anything at all") == ""
    assert kept_part("viewed", "/case") == "/case"


def test_the_plans_typed_answers_are_the_plan_dialogs_text_questions() -> None:
    assert set(PLAN_FREE_TEXT) == {q.id for q in PLAN_QUESTIONS if q.kind in ("text", "lines")}


def test_retention_periods_must_be_positive(db: Database) -> None:
    with pytest.raises(ValueError, match="positive"):
        purge(db, today=dt.date(2026, 1, 1), declined_months=0, closed_years=6, now=NOW)


def test_the_migration_moves_the_events_words_aside(tmp_path: Path) -> None:
    """A database at the schema before this change, with events, migrated: the words read the
    same, live in event_texts, and the log is still append-only."""
    db = Database(connect(tmp_path / "old.db"))
    for migration in MIGRATIONS:
        if migration.version >= 5:
            break
        with transaction(db):
            for statement in migration.statements:
                db.conn.execute(statement)
            db.conn.execute(f"PRAGMA user_version = {migration.version}")
    assert current_version(db) == 4
    db.conn.execute(
        "INSERT INTO referrals (ref, draft_id, year, seq, referrer_id, referrer_agency, facts,"
        " result, grade, original_grade, matched, flags, matrix_version, agencies, description,"
        " status, created_at, updated_at) VALUES ('LIR-2024-0001', 'd1', 2024, 1, 5001, 'Health',"
        " '{}', '{}', 'low', 'low', '[]', '{}', '2024.1', '[]', 'old', 'declined',"
        " '2024-01-01T00:00:00.000000+00:00', '2024-01-01T00:00:00.000000+00:00')"
    )
    old = [
        ("LIR-2024-0001", "5001", "filed", "grade low, matrix 2024.1"),
        ("LIR-2024-0001", str(CHAIR), "note", "Pemberwick note from before"),
        (None, "5001", "registered", "agency: Health"),
        ("LIR-2024-0001", "system", "reminder", ""),
    ]
    db.conn.executemany(
        "INSERT INTO events (ref, actor, at, action, detail)"
        " VALUES (?, ?, '2024-01-02T00:00:00.000000+00:00', ?, ?)",
        old,
    )
    assert migrate(db) == LATEST
    log = events_for(db, "LIR-2024-0001")
    assert [(e.actor, e.action, e.detail) for e in log] == [
        ("5001", "filed", "grade low, matrix 2024.1"),
        (str(CHAIR), "note", "Pemberwick note from before"),
        ("system", "reminder", ""),
    ]
    columns = [column.name for column in db.table("events").columns]
    assert "detail" not in columns
    assert db.table("event_texts").count == 3  # the empty one needs no row
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute("UPDATE events SET action = 'x'")
    db.conn.close()


def test_an_agency_reviews_text_goes_with_the_referrals_and_its_dates_stay(
    db: Database, db_path: Path
) -> None:
    ref = closed_case(db, CLOSED_AT)
    asked_at = CLOSED_AT - dt.timedelta(days=200)
    agency_reviews.ask(db, ref, ["Health", "Police"], dt.date(2024, 12, 1), asked_at)
    agency_reviews.start(db, ref, "Police", 5003, "Paul", "analysis", asked_at)
    answers = {"chronology": ["2024-06-02 Synthetic strategy meeting on Elmhurst case"]}
    agency_reviews.save_progress(db, ref, "Police", "analysis", answers, asked_at)
    chronology = [(dt.date(2024, 6, 1), "Synthetic home visit by the Larchfield team")]
    agency_reviews.submit(db, ref, "Health", chronology, [], dt.date(2024, 11, 1), asked_at)

    done = _purge(db, dt.date(2031, 3, 31))
    (erasure,) = done.erasures
    assert erasure.erased["agency review entry"] == 1
    assert erasure.erased["agency review answer"] == 1
    texts = {"entry": "Larchfield team", "answer": "Elmhurst case"}
    assert found_in(file_bytes(db_path), texts) == []
    (entry,) = agency_reviews.chronology(db, ref)
    assert entry.day == dt.date(2024, 6, 1) and entry.text == marker(dt.date(2031, 3, 31))
    police = agency_reviews.get(db, ref, "Police")
    assert police is not None and police.holder_name == "Paul" and police.due.year == 2024
