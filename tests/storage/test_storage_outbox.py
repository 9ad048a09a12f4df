"""The outbox: due rows urgent first, back-off, send-once, failure."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database
from storage_helpers import NOW, Filer

from storage.outbox import (
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    due,
    enqueue,
    get_row,
    mark_failed,
    mark_retry,
    mark_sent,
    pending_count,
)


def test_due_is_urgent_first_then_in_order_written(db: Database, file_one: Filer) -> None:
    normal = file_one(user_id=1)
    urgent = file_one(user_id=2, urgent=True)
    rows = due(db, NOW, limit=100)
    assert [r.ref for r in rows] == [urgent.ref] * 4 + [normal.ref] * 4
    assert [r.kind for r in rows[:4]] == ["board_notice", "chair_card", "chair_card", "receipt"]
    assert [r.id for r in rows[4:]] == sorted(r.id for r in rows[4:])
    assert len(due(db, NOW, limit=3)) == 3


def test_rows_without_a_referral_and_with_a_payload(db: Database) -> None:
    row_id = enqueue(db, None, "invite_link", 42, {"code": "ABCD2345"}, PRIORITY_NORMAL, NOW)
    row = get_row(db, row_id)
    assert row is not None
    assert (row.ref, row.kind, row.chat_id, row.payload) == (
        None,
        "invite_link",
        42,
        {"code": "ABCD2345"},
    )


def test_a_row_is_marked_sent_once(db: Database) -> None:
    row_id = enqueue(db, None, "notice", 42, {}, PRIORITY_URGENT, NOW)
    sent_at = NOW + dt.timedelta(seconds=2)
    assert mark_sent(db, row_id, 555, sent_at) is True
    assert mark_sent(db, row_id, 556, sent_at) is False
    row = get_row(db, row_id)
    assert row is not None
    assert (row.status, row.sent_message_id, row.sent_at) == ("sent", 555, sent_at)
    assert due(db, sent_at, 10) == []
    assert pending_count(db) == 0


def test_retry_waits_until_its_time(db: Database) -> None:
    row_id = enqueue(db, None, "notice", 42, {}, PRIORITY_NORMAL, NOW)
    retry_at = NOW + dt.timedelta(seconds=30)
    assert mark_retry(db, row_id, "429 retry after", retry_at) == 1
    assert due(db, NOW + dt.timedelta(seconds=29), 10) == []
    [row] = due(db, retry_at, 10)
    assert (row.attempts, row.last_error) == (1, "429 retry after")
    assert mark_retry(db, row_id, "TimedOut", retry_at) == 2
    assert pending_count(db) == 1


def test_a_failed_row_is_not_sent_again(db: Database) -> None:
    row_id = enqueue(db, None, "notice", 42, {}, PRIORITY_NORMAL, NOW)
    assert mark_failed(db, row_id, "Forbidden", NOW) is True
    assert mark_failed(db, row_id, "Forbidden", NOW) is False
    assert mark_sent(db, row_id, 1, NOW) is False
    assert mark_retry(db, row_id, "x", NOW) == 0
    row = get_row(db, row_id)
    assert row is not None and (row.status, row.last_error) == ("failed", "Forbidden")
    assert due(db, NOW + dt.timedelta(days=1), 10) == []


def test_pending_count_includes_rows_due_later(db: Database) -> None:
    first = enqueue(db, None, "a", 1, {}, PRIORITY_NORMAL, NOW)
    enqueue(db, None, "b", 1, {}, PRIORITY_NORMAL, NOW)
    mark_retry(db, first, "x", NOW + dt.timedelta(hours=1))
    assert pending_count(db) == 2
    assert [r.kind for r in due(db, NOW, 10)] == ["b"]
