"""The event log is append-only: the API has no way to change it, and raw SQL cannot either."""

from __future__ import annotations

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
