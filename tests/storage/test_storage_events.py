"""The event log is append-only: the API has no way to change it, and raw SQL cannot either."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlite_utils import Database
from storage_helpers import NOW, REFERRER, Filer

from storage import events
from storage.events import append_event, events_by, events_for


def test_events_are_appended_in_order(db: Database, file_one: Filer) -> None:
    referral = file_one()
    append_event(db, referral.ref, 7001, "note", "first", NOW)
    append_event(db, referral.ref, "system", "reminder", "second", NOW)
    log = events_for(db, referral.ref)
    assert [(e.action, e.actor, e.detail) for e in log] == [
        ("filed", str(REFERRER), "grade severe, matrix 2026.1"),
        ("note", "7001", "first"),
        ("reminder", "system", "second"),
    ]
    assert all(e.at == NOW for e in log)
    assert [e.id for e in log] == sorted(e.id for e in log)


def test_an_event_may_have_no_referral(db: Database) -> None:
    event = append_event(db, None, 42, "refused_command", "/queue by a non-officer", NOW)
    assert event.ref is None
    assert events_by(db, 42) == [event]
    assert events_by(db, 42, "other") == []


def test_an_event_must_name_an_existing_referral(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        append_event(db, "LIR-2026-9999", 1, "note", "nowhere", NOW)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET action = 'rewritten'",
        "UPDATE events SET actor = 'someone else' WHERE action = 'filed'",
        "UPDATE events SET actor = 'forgotten-1f', action = 'rewritten'",
        "UPDATE events SET actor = 'forgotten-1f', at = '2020-01-01T00:00:00.000000+00:00'",
        "DELETE FROM events",
        "DELETE FROM events WHERE action = 'filed'",
    ],
)
def test_raw_sql_cannot_change_or_delete_events(db: Database, file_one: Filer, sql: str) -> None:
    referral = file_one()
    before = events_for(db, referral.ref)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.conn.execute(sql)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(sql)
    assert events_for(db, referral.ref) == before


def test_the_api_offers_no_way_to_change_an_event() -> None:
    public = {name for name in dir(events) if not name.startswith("_")}
    assert not {name for name in public if "update" in name or "delete" in name}
    assert {"append_event", "events_for"} <= public


def test_a_look_is_logged_once_a_person_a_referral_a_day_found_by_index(
    db: Database, file_one: Filer
) -> None:
    first, other = file_one(user_id=1).ref, file_one(user_id=2).ref
    late = NOW.replace(hour=23, minute=59)
    assert events.record_view(db, first, 3001, "/case", NOW) is not None
    assert events.record_view(db, first, 3001, "dashboard", late) is None  # the same UTC day
    assert events.record_view(db, first, 3002, "/case", late) is not None  # another person
    assert events.record_view(db, other, 3001, "/case", late) is not None  # another referral
    assert events.record_view(db, first, 3001, "/case", late + dt.timedelta(minutes=2)) is not None
    looks = [e for e in events_for(db, first) if e.action == events.VIEWED]
    assert [e.actor for e in looks] == ["3001", "3002", "3001"]
    traced: list[str] = []
    db.conn.set_trace_callback(traced.append)
    events.record_view(db, first, 3001, "/case", late)
    db.conn.set_trace_callback(None)
    (probe,) = [sql for sql in traced if sql.startswith("SELECT")]
    plan = " ".join(r[-1] for r in db.execute(f"EXPLAIN QUERY PLAN {probe}"))
    assert "events_views" in plan, plan
