"""The queue read a page at a time from a referral's place: the same order as the whole list,
across the urgent and the rest, from a decided referral's place too, on the index of the open
referrals alone (whose condition is the lifecycle's open statuses, word for word); and the
dashboard's chart counted by month and grade on an index."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlite_utils import Database
from storage_helpers import NOW, Filer

from storage import queue
from storage.lifecycle import OPEN
from storage.referrals import list_open, set_status
from storage.reports import count_by_month_and_grade


def _refs(found: list[queue.Referral]) -> list[str]:
    return [r.ref for r in found]


def test_pages_from_a_place_are_the_queue_in_order(db: Database, file_one: Filer) -> None:
    hour = dt.timedelta(hours=1)
    filed = [file_one(user_id=n, now=NOW + n * hour, urgent=n in (2, 5)).ref for n in range(1, 8)]
    closed = filed[3]
    set_status(db, closed, "declined", 7001, "no", NOW + 9 * hour)
    whole = _refs(list_open(db))
    assert whole[:2] == [filed[1], filed[4]]  # urgent first
    assert _refs(queue.after(db, None, 3)) == whole[:3]
    assert _refs(queue.before(db, None, 3)) == whole[-3:]
    for n, ref in enumerate(whole):
        key = queue.key_of(db, ref)
        assert key is not None and key == queue.place(list_open(db)[n])
        assert _refs(queue.after(db, key, 2)) == whole[n + 1 : n + 3]
        assert _refs(queue.before(db, key, 2)) == whole[max(0, n - 2) : n]
    place = queue.key_of(db, closed)  # decided: its place in the order still stands
    assert place is not None
    assert _refs(queue.after(db, place, 9)) == [filed[5], filed[6]]
    assert _refs(queue.before(db, place, 9)) == [filed[1], filed[4], filed[0], filed[2]]
    assert queue.key_of(db, "LIR-2099-0001") is None


def test_a_page_is_read_from_the_index_of_the_open_referrals(db: Database) -> None:
    (sql,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'referrals_open_queue'"
    ).fetchone()
    assert sql.endswith(f"WHERE {queue.OPEN_WHERE}")  # the lifecycle's open statuses, as written
    assert all(f"'{status}'" in queue.OPEN_WHERE for status in OPEN)
    key = queue.QueueKey(0, NOW.isoformat(), 3)
    for later in (True, False):
        traced: list[str] = []
        db.conn.set_trace_callback(traced.append)
        (queue.after if later else queue.before)(db, key, 8)
        db.conn.set_trace_callback(None)
        selects = [sql for sql in traced if sql.startswith("SELECT")]
        assert len(selects) == (1 if later else 2)  # the rest, then the urgent before them
        for statement in selects:
            plan = " ".join(r[-1] for r in db.execute(f"EXPLAIN QUERY PLAN {statement}"))
            assert "referrals_open_queue" in plan and "TEMP B-TREE" not in plan, plan


def test_the_chart_counts_a_year_by_the_callers_months_and_grade(
    db: Database, file_one: Filer
) -> None:
    london = zoneinfo.ZoneInfo("Europe/London")
    filed = [
        (dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC), "low"),
        (dt.datetime(2026, 3, 31, 22, 59, tzinfo=dt.UTC), "low"),  # 23:59 in London: March
        (dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), "severe"),  # 00:30 on 1 April there
        (dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC), "low"),
    ]
    for n, (moment, grade) in enumerate(filed):
        file_one(user_id=n, now=moment, grade=grade)
    starts = [dt.datetime(2026, month, 1, tzinfo=london) for month in range(1, 13)]
    counts = count_by_month_and_grade(db, 2026, starts)
    assert counts == {(1, "low"): 1, (3, "low"): 1, (4, "severe"): 1, (12, "low"): 1}
    assert count_by_month_and_grade(db, 2025, starts) == {}
    sql = "SELECT grade FROM referrals WHERE year = ? AND created_at < ?"
    plan = " ".join(r[-1] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", [2026, "2026-02"]))
    assert "COVERING INDEX referrals_by_year" in plan
