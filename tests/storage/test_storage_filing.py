"""Filing: references, the first event, the outbox rows, idempotence and concurrent filing."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from sqlite_utils import Database
from storage_helpers import BOARD_CHAT, CHAIRS, NOW, REFERRER, Filer, file_sample, sample_result

from storage.db import open_db
from storage.drafts import load_draft, save_draft
from storage.events import events_for
from storage.outbox import PRIORITY_NORMAL, PRIORITY_URGENT, rows_for
from storage.references import format_ref, is_reference
from storage.referrals import (
    Referral,
    file_referral,
    get_referral,
    list_referrals,
    referrals_for,
)


def test_filing_stores_the_referral_event_and_notifications(db: Database) -> None:
    draft = save_draft(db, REFERRER, "confirm", {"describe": "x"}, False, NOW)
    referral, created = file_referral(
        db,
        draft_id=draft.draft_id,
        referrer_id=REFERRER,
        referrer_agency="Police",
        facts={"child_died": True, "abuse_or_neglect": "known"},
        result=sample_result("catastrophic"),
        urgent=False,
        agencies=["Police", "Health"],
        description="Synthetic text, [REDACTED] removed.",
        case_reference="",
        board_chat_id=BOARD_CHAT,
        chair_ids=[7002, 7001, 7002],
        now=NOW,
    )
    assert created
    assert referral.ref == "LIR-2026-0001"
    assert (referral.year, referral.seq) == (2026, 1)
    assert referral.status == "awaiting_chair"
    assert referral.grade == referral.original_grade == "catastrophic"
    assert referral.flags["scr_required"] is True
    assert referral.matched[0]["id"] == "catastrophic_example"
    assert referral.result["methodology"] == ["Welsh model", "SCIE"]
    assert referral.facts == {"child_died": True, "abuse_or_neglect": "known"}
    assert referral.agencies == ("Police", "Health")
    assert referral.case_reference is None
    assert referral.matrix_version == "2026.1"
    assert referral.created_at == NOW and referral.decided_by is None
    assert get_referral(db, "lir-2026-0001") == referral
    assert [e.action for e in events_for(db, referral.ref)] == ["filed"]
    rows = rows_for(db, referral.ref)
    assert [(r.kind, r.chat_id) for r in rows] == [
        ("board_notice", BOARD_CHAT),
        ("chair_card", 7001),
        ("chair_card", 7002),
        ("receipt", REFERRER),
    ]
    assert all(r.status == "pending" and r.priority == PRIORITY_NORMAL for r in rows)
    assert all(r.payload == {} for r in rows)
    assert load_draft(db, REFERRER, NOW, ttl_hours=72) is None


def test_no_board_chat_means_no_board_notice(db: Database) -> None:
    referral = file_sample(db, board_chat_id=None)
    assert [r.kind for r in rows_for(db, referral.ref)] == ["chair_card", "chair_card", "receipt"]


def test_urgent_referrals_get_urgent_priority(db: Database, file_one: Filer) -> None:
    referral = file_one(urgent=True)
    assert referral.urgent
    assert {r.priority for r in rows_for(db, referral.ref)} == {PRIORITY_URGENT}


def test_the_urgent_flag_of_the_result_makes_the_referral_urgent(db: Database) -> None:
    draft = save_draft(db, REFERRER, "confirm", {}, False, NOW)
    referral, _ = file_referral(
        db,
        draft_id=draft.draft_id,
        referrer_id=REFERRER,
        referrer_agency="Health",
        facts={"immediate_risk": True},
        result=sample_result("none", urgent=True),
        urgent=False,
        agencies=[],
        description="",
        case_reference=None,
        board_chat_id=None,
        chair_ids=[],
        now=NOW,
    )
    assert referral.urgent and referral.grade == "none"


def test_filing_the_same_draft_twice_yields_one_referral(db: Database) -> None:
    draft = save_draft(db, REFERRER, "confirm", {}, False, NOW)

    def file_it(now: dt.datetime) -> tuple[Referral, bool]:
        return file_referral(
            db,
            draft_id=draft.draft_id,
            referrer_id=REFERRER,
            referrer_agency="Health",
            facts={},
            result=sample_result(),
            urgent=False,
            agencies=["Health"],
            description="d",
            case_reference=None,
            board_chat_id=BOARD_CHAT,
            chair_ids=CHAIRS,
            now=now,
        )

    first, created_first = file_it(NOW)
    second, created_second = file_it(NOW + dt.timedelta(minutes=5))
    assert (created_first, created_second) == (True, False)
    assert second == first
    assert db.table("referrals").count == 1
    assert db.table("outbox").count == 4
    assert db.table("events").count == 1
    assert db.execute("SELECT last FROM ref_counters WHERE year = 2026").fetchone()[0] == 1


def test_references_are_sequential_per_year(db: Database) -> None:
    refs = [file_sample(db, user_id=100 + i).ref for i in range(3)]
    new_year = dt.datetime(2027, 1, 1, 0, 0, 1, tzinfo=dt.UTC)
    refs += [file_sample(db, user_id=200 + i, now=new_year).ref for i in range(2)]
    assert refs == [
        "LIR-2026-0001",
        "LIR-2026-0002",
        "LIR-2026-0003",
        "LIR-2027-0001",
        "LIR-2027-0002",
    ]
    assert [r.ref for r in list_referrals(db, 2027)] == refs[3:]
    assert format_ref(2026, 12345) == "LIR-2026-12345"


def test_every_reference_made_is_recognised_and_nothing_else_is() -> None:
    for year, seq in ((2026, 1), (2026, 9999), (2031, 12345)):
        assert is_reference(format_ref(year, seq))
    assert is_reference("lir-2026-0001")  # typed in any case
    for text in ("LIR-26-0001", "LIR-2026-001", "LIR-2026-0001x", "XLIR-2026-0001", ""):
        assert not is_reference(text), text


def test_the_year_is_taken_in_utc(db: Database) -> None:
    # 00:30 on 1 January in UTC+2 is still the old year in UTC.
    local = dt.datetime(2027, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert file_sample(db, now=local).ref == "LIR-2026-0001"


def test_referrals_for_a_practitioner(db: Database) -> None:
    mine = [file_sample(db, user_id=1).ref, file_sample(db, user_id=1).ref]
    file_sample(db, user_id=2)
    assert [r.ref for r in referrals_for(db, 1)] == mine
    assert referrals_for(db, 3) == []


def test_concurrent_filing_from_two_threads_gives_distinct_sequential_refs(
    db: Database, db_path: Path
) -> None:
    per_thread = 25
    barrier = threading.Barrier(2)
    filed: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def worker(thread_no: int) -> None:
        conn = open_db(db_path)  # each thread its own connection
        try:
            barrier.wait()
            filed[thread_no] = [
                file_sample(conn, user_id=thread_no * 1000 + i).ref for i in range(per_thread)
            ]
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            conn.conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    every = filed[1] + filed[2]
    assert len(set(every)) == 2 * per_thread
    assert sorted(every) == [format_ref(2026, n) for n in range(1, 2 * per_thread + 1)]
    for refs in filed.values():  # each thread's own references increase
        assert refs == sorted(refs)
    assert db.table("events").count_where("action = 'filed'") == 50
    assert db.table("outbox").count == 50 * 4
    assert db.table("drafts").count == 0
