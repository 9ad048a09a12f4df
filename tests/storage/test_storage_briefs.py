"""Learning briefs in storage (SPEC §7): approval queues one row per recipient not opted out, in
one transaction and only once, below every referral notice; reads count once; the sections are
erased under the retention schedule; a long brief splits only between sections."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database
from storage_helpers import file_sample

from bot.delivery.brief_texts import brief_parts
from storage import briefs, outbox, practitioners, referrals
from storage.outbox import OutboxKind
from storage.retention import marker, purge

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
TEXTS = {k: f"Pemberwick {k}" for k in briefs.SECTIONS}


def _register(db: Database, user_id: int, agency: str) -> None:
    code = practitioners.create_invite(db, agency, "cli", NOW)
    practitioners.redeem_invite(db, code, user_id, NOW)


def _written(db: Database, ref: str, agencies: tuple[str, ...] = ()) -> None:
    briefs.start_brief(db, ref, "what_happened", agencies, 3001, NOW)
    briefs.save_sections(db, ref, "done", TEXTS, True, NOW)


def test_approval_queues_each_recipient_once_after_every_referral_notice(db: Database) -> None:
    for user_id, agency in ((7001, "Health"), (7002, "Police"), (7003, "Health")):
        _register(db, user_id, agency)
    assert briefs.set_briefs_off(db, 7003, True) and not briefs.set_briefs_off(db, 9999, True)
    ref = file_sample(db).ref
    _written(db, ref)
    assert briefs.get_brief(db, ref).status == briefs.AWAITING_CHAIR  # type: ignore[union-attr]
    assert briefs.approve(db, ref, 2001, NOW) == 2
    assert briefs.approve(db, ref, 2001, NOW) is None  # approved once: queued once
    rows = outbox.rows_for(db, ref, OutboxKind.BRIEF)
    assert sorted(r.chat_id for r in rows) == [7001, 7002]
    later = file_sample(db, user_id=4242, now=NOW + dt.timedelta(hours=1))  # filed afterwards
    due = outbox.due(db, NOW + dt.timedelta(hours=2), limit=100)
    kinds = [(r.ref, r.kind) for r in due]
    first_brief = kinds.index((ref, OutboxKind.BRIEF))
    assert all(k != OutboxKind.BRIEF for _, k in kinds[:first_brief])
    assert all(k == OutboxKind.BRIEF for _, k in kinds[first_brief:])
    assert (later.ref, OutboxKind.BOARD_NOTICE) in kinds[:first_brief]


def test_only_the_agencies_named_and_reads_count_once(db: Database) -> None:
    _register(db, 7001, "Health")
    _register(db, 7002, "Police")
    ref = file_sample(db).ref
    _written(db, ref, ("police",))
    assert briefs.approve(db, ref, 2001, NOW) == 1
    assert briefs.record_read(db, ref, 7002, "Police", NOW)
    assert not briefs.record_read(db, ref, 7002, "Police", NOW)
    for row in outbox.rows_for(db, ref, OutboxKind.BRIEF):
        outbox.mark_sent(db, row.id, 1, NOW)
    assert briefs.reach(db, ref) == briefs.Reach(1, 1, (("Police", 1, 1),))


def test_a_sent_back_brief_keeps_its_reason_and_its_text_is_erased_in_time(db: Database) -> None:
    ref = file_sample(db).ref
    _written(db, ref)
    assert briefs.send_back(db, ref, 2001, "Pemberwick reason", NOW)
    assert not briefs.send_back(db, ref, 2001, "again", NOW)
    referrals.record_decision(db, ref, 2001, "declined", "no learning", None, NOW)
    today = dt.date(2027, 6, 1)
    erased = purge(db, today=today, declined_months=12, closed_years=6, now=NOW).erasures[0]
    assert erased.erased["brief section"] == 4 and erased.erased["brief reason"] == 1
    brief = briefs.get_brief(db, ref)
    assert brief is not None and set(brief.sections.values()) == {marker(today)}
    assert brief.reason == marker(today)


def test_a_long_brief_splits_only_between_sections(db: Database) -> None:
    ref = file_sample(db).ref
    briefs.start_brief(db, ref, "what_happened", (), 3001, NOW)
    long = {k: f"{k} " + "word " * 150 for k in briefs.SECTIONS}
    briefs.save_sections(db, ref, "done", long, True, NOW)
    brief = briefs.get_brief(db, ref)
    assert brief is not None
    whole = brief_parts(brief, False)
    assert len(whole) == 1
    parts = brief_parts(brief, False, limit=1700)
    assert len(parts) > 1
    for key in briefs.SECTIONS:  # each section whole, in exactly one part
        assert sum(long[key].strip() in p for p in parts) == 1
