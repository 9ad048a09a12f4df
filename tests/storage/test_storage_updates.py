"""The webhook's record of updates handled: an id is remembered for Telegram's retry window,
then pruned, so the table holds about a day's updates however long the bot runs."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from storage.updates import WINDOW, record_handled, was_handled

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_an_id_is_remembered_through_the_window_then_pruned(db: Database) -> None:
    record_handled(db, 500, START)
    record_handled(db, 501, START + WINDOW - dt.timedelta(minutes=1))
    assert was_handled(db, 500) and was_handled(db, 501)
    assert not was_handled(db, 502)
    record_handled(db, 502, START + WINDOW + dt.timedelta(seconds=1))
    assert not was_handled(db, 500)  # older than the window: pruned by the next record
    assert was_handled(db, 501) and was_handled(db, 502)


def test_a_window_covers_telegrams_day_of_retries() -> None:
    assert dt.timedelta(hours=24) < WINDOW <= dt.timedelta(days=2)


def test_the_table_holds_one_windows_updates_however_many_came(db: Database) -> None:
    for n in range(200):  # one an hour for 200 hours
        record_handled(db, 1000 + n, START + dt.timedelta(hours=n))
    assert db.table("handled_updates").count <= WINDOW // dt.timedelta(hours=1) + 1
