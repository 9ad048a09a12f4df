"""The database file: migrations from empty and again, WAL and foreign keys, transactions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from storage_helpers import NOW

from storage import migrations
from storage.db import fetch, get_or_none, open_db, transaction
from storage.drafts import load_draft, save_draft
from storage.migrations import LATEST, MigrationError, current_version, migrate
from storage.timestamps import from_iso, to_iso

TABLES = {
    "practitioners",
    "invites",
    "drafts",
    "referrals",
    "ref_counters",
    "events",
    "outbox",
    "plans",
    "pending_questions",
    "reminders_sent",
}


def test_open_db_creates_folder_and_migrates_from_empty(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "deeper" / "triage.db"
    db = open_db(path)
    assert path.is_file()
    assert set(db.table_names()) >= TABLES
    assert current_version(db) == LATEST
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert set(db.table("events").triggers_dict) == {
        "events_append_only_update",
        "events_append_only_delete",
    }
    db.conn.close()


def test_migrating_again_is_a_no_op_and_keeps_data(db: Database, db_path: Path) -> None:
    save_draft(db, 11, "immediate", {"privacy": "ok"}, False, NOW)
    schema = db.execute("SELECT group_concat(sql, ';') FROM sqlite_master").fetchone()[0]
    assert migrate(db) == LATEST
    db.conn.close()
    again = open_db(db_path)
    assert again.execute("SELECT group_concat(sql, ';') FROM sqlite_master").fetchone()[0] == schema
    draft = load_draft(again, 11, NOW, ttl_hours=72)
    assert draft is not None and draft.answers == {"privacy": "ok"}
    again.conn.close()


def test_a_database_from_a_newer_program_is_refused(db: Database) -> None:
    db.conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(MigrationError, match="newer"):
        migrate(db)


def test_a_failing_migration_leaves_nothing_behind(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = migrations.Migration(
        LATEST + 1, "broken", ("CREATE TABLE half_done (x INTEGER)", "NOT VALID SQL")
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST", LATEST + 1)
    with pytest.raises(sqlite3.OperationalError):
        open_db(db_path)
    plain = sqlite3.connect(db_path)
    assert plain.execute("PRAGMA user_version").fetchone()[0] == LATEST
    names = {row[0] for row in plain.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names
    plain.close()


def test_transaction_commits(db: Database) -> None:
    with transaction(db):
        db.conn.execute("INSERT INTO ref_counters (year, last) VALUES (2030, 4)")
    assert db.execute("SELECT last FROM ref_counters WHERE year = 2030").fetchone()[0] == 4


def test_transaction_rolls_back_our_sql_and_sqlite_utils_writes(db: Database) -> None:
    with pytest.raises(RuntimeError), transaction(db):
        db.conn.execute("INSERT INTO ref_counters (year, last) VALUES (2030, 4)")
        db.table("ref_counters").insert({"year": 2031, "last": 1})
        raise RuntimeError("boom")
    assert db.table("ref_counters").count == 0
    assert not db.conn.in_transaction


def test_sqlite_utils_writes_inside_a_transaction_commit_with_it(db: Database) -> None:
    with transaction(db):
        db.table("ref_counters").insert({"year": 2031, "last": 1})
        db.table("ref_counters").upsert({"year": 2031, "last": 2}, pk="year")
    assert db.execute("SELECT last FROM ref_counters WHERE year = 2031").fetchone()[0] == 2


def test_nested_transaction_is_a_savepoint(db: Database) -> None:
    with transaction(db):
        db.conn.execute("INSERT INTO ref_counters (year, last) VALUES (2030, 1)")
        with pytest.raises(ValueError), transaction(db):
            db.conn.execute("INSERT INTO ref_counters (year, last) VALUES (2031, 1)")
            raise ValueError("inner only")
    years = [row[0] for row in db.conn.execute("SELECT year FROM ref_counters")]
    assert years == [2030]


def test_a_second_connection_waits_for_the_writer(db: Database, db_path: Path) -> None:
    other = open_db(db_path)
    with transaction(db):
        db.conn.execute("INSERT INTO ref_counters (year, last) VALUES (2030, 1)")
        # A reader is not blocked by the open write transaction (WAL) and sees the old state.
        assert other.table("ref_counters").count == 0
    assert other.table("ref_counters").count == 1
    other.conn.close()


def test_timestamps_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        to_iso(dt.datetime(2026, 1, 1, 12, 0))
    local = dt.datetime(2026, 6, 1, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert to_iso(local) == "2026-06-01T12:00:00.000000+00:00"
    assert from_iso(to_iso(local)) == local


def test_fetch_is_one_statement_giving_rows_as_dicts(db: Database) -> None:
    save_draft(db, 11, "immediate", {"privacy": "ok"}, False, NOW)
    save_draft(db, 12, "kind", {}, True, NOW)
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    rows = fetch(db, "SELECT user_id, state FROM drafts WHERE urgent = ? ORDER BY user_id", (0,))
    changed = fetch(db, "UPDATE drafts SET state = 'died' WHERE user_id = ? RETURNING state", [12])
    none = fetch(db, "SELECT * FROM drafts WHERE user_id = ?", (99,))
    db.conn.set_trace_callback(None)
    assert rows == [{"user_id": 11, "state": "immediate"}]
    assert changed == [{"state": "died"}] and none == []
    assert len(seen) == 3, seen  # no savepoint around them, no schema read
    draft = load_draft(db, 12, NOW, ttl_hours=72)
    assert draft is not None and draft.state == "died"  # the write with RETURNING took effect


def test_a_look_up_by_key_is_one_statement_and_reads_what_table_get_reads(db: Database) -> None:
    save_draft(db, 11, "immediate", {"privacy": "ok"}, False, NOW)
    db.table("digests_sent").insert({"kind": "overdue", "day": "2026-03-02", "sent_at": "x"})
    get_or_none(db.table("drafts"), 11)  # the keys of the tables looked up, read once
    get_or_none(db.table("digests_sent"), ("x", "y"))
    drafts, digests = db.table("drafts"), db.table("digests_sent")  # (each a look for a view)
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    draft = get_or_none(drafts, 11)
    compound = get_or_none(digests, ("overdue", "2026-03-02"))
    missing = get_or_none(drafts, 99)
    db.conn.set_trace_callback(None)
    assert len(seen) == 3, seen  # one SELECT each, no schema read
    assert draft == db.table("drafts").get(11)
    assert compound == db.table("digests_sent").get(("overdue", "2026-03-02")) is not None
    assert missing is None
    assert get_or_none(db.table("drafts"), (11, 12)) is None  # a key of the wrong shape: no row
