"""People's rights in storage: what is held about one user, and forgetting a practitioner so
that their Telegram id is in no table and no byte of the file, while their referrals stay."""

from __future__ import annotations

import datetime as dt
import sqlite3
import struct
from pathlib import Path

import pytest
from privacy_support import CHAIR, OFFICER, declined_case, file_bytes, file_case
from sqlite_utils import Database

from storage import briefs, inputs, joint, outbox
from storage.actions import add_action, change_action
from storage.drafts import save_draft
from storage.events import append_event, events_by
from storage.outbox import OutboxKind
from storage.practitioners import create_invite, get_practitioner, redeem_invite
from storage.referrals import referrals_for, require_referral
from storage.rights import forget, held_about, is_pseudonym, pseudonym_label

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
PAT = 987_654_321_987  # a made-up id whose bytes are found nowhere else
PARTNER = 876_543_219_876  # a made-up partner lead's id, found nowhere else either


def _everywhere(db: Database, value: int) -> list[tuple[str, str]]:
    """(table, column) of every cell equal to `value` or its text, or whose text contains it."""
    hits = []
    for table in db.table_names():
        for row in db.table(table).rows:
            for column, cell in row.items():
                if cell == value or (isinstance(cell, str) and str(value) in cell):
                    hits.append((table, column))
    return sorted(set(hits))


def _registered_with_everything(db: Database) -> tuple[str, str]:
    code = create_invite(db, "Health", "cli", NOW)
    redeem_invite(db, code, PAT, NOW)
    first = declined_case(db, NOW, user_id=PAT)
    second = file_case(db, NOW, "Hollowmere second referral", user_id=PAT).ref
    save_draft(db, PAT, "describe", {"describe": "unfinished"}, False, NOW)
    inputs.expect(db, PAT, "info_answer", second, {}, NOW)
    return first, second


def test_what_is_held_about_a_practitioner(db: Database) -> None:
    first, second = _registered_with_everything(db)
    held = held_about(db, PAT)
    assert held.registration is not None and held.registration.agency == "Health"
    assert [r.ref for r in held.referrals] == [first, second]
    assert held.draft_saved == NOW and held.awaiting == "info_answer"
    assert [q.ref for q in held.questions] == [first]
    assert {e.action for e in held.events} >= {"registered", "filed", "answer"}
    assert len(held.invites_used) == 1 and held.messages == 3  # two receipts, a question
    assert held.anything
    assert not held_about(db, 1234).anything


def test_forgetting_unties_the_id_from_every_table_and_byte(db: Database, db_path: Path) -> None:
    first, second = _registered_with_everything(db)
    outbox.enqueue(db, second, "question", PAT, {}, 0, NOW)  # a notice still to go
    assert _everywhere(db, PAT)

    done = forget(db, PAT, NOW)

    assert _everywhere(db, PAT) == []
    data = file_bytes(db_path)
    assert str(PAT).encode() not in data
    assert struct.pack(">q", PAT)[2:] not in data  # the 48-bit integer as SQLite stores it
    assert done.registered and done.draft and done.referrals == 2
    assert get_practitioner(db, PAT) is None and inputs.awaited(db, PAT) is None
    first_now = require_referral(db, first)
    assert is_pseudonym(first_now.referrer_id)
    assert pseudonym_label(first_now.referrer_id) == done.pseudonym
    assert [r.ref for r in referrals_for(db, first_now.referrer_id)] == [first, second]
    assert first_now.description.startswith("Quillfeather")  # the board's record stays
    assert {e.action for e in events_by(db, done.pseudonym)} >= {"filed", "answer", "forgotten"}
    (record,) = events_by(db, done.pseudonym, "forgotten")
    assert record.ref is None and str(PAT) not in record.detail
    pending = [r for r in outbox.rows_for(db, second) if r.kind == "question"]
    assert pending[0].status == "failed" and pending[0].last_error == outbox.FORGOTTEN_ERROR


def test_nothing_is_ever_queued_to_a_pseudonym(db: Database) -> None:
    ref = file_case(db, NOW, "Dunmarrow case", user_id=PAT).ref
    assert not is_pseudonym(require_referral(db, ref).referrer_id)
    forget(db, PAT, NOW)
    pseudonym = require_referral(db, ref).referrer_id
    row_id = outbox.enqueue(db, ref, "decision", pseudonym, {}, 0, NOW)
    due = outbox.due(db, NOW + dt.timedelta(hours=1))
    assert due and not [r for r in due if r.id == row_id or is_pseudonym(r.chat_id)]
    (row,) = [r for r in outbox.rows_for(db, ref) if r.id == row_id]
    assert row.status == "failed"


def test_the_log_lets_only_a_forgotten_persons_id_become_a_pseudonym(db: Database) -> None:
    code = create_invite(db, "Health", "cli", NOW)
    redeem_invite(db, code, PAT, NOW)
    append_event(db, None, CHAIR, "note", "x", NOW)
    for sql, params in [
        ("UPDATE events SET actor = 'forgotten-1a' WHERE actor = ?", (str(PAT),)),  # registered
        ("UPDATE events SET actor = 'someone' WHERE actor = ?", (str(CHAIR),)),
        ("UPDATE events SET actor = 'forgotten-1a', action = 'x' WHERE actor = ?", (str(CHAIR),)),
    ]:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.conn.execute(sql, params)
    assert len(events_by(db, PAT)) == 1


def test_someone_forgotten_twice_gets_nothing_new(db: Database) -> None:
    file_case(db, NOW, "Larkspindle case", user_id=PAT)
    first = forget(db, PAT, NOW)
    second = forget(db, PAT, NOW)
    assert first.referrals == 1 and (second.referrals, second.registered) == (0, False)
    with pytest.raises(ValueError, match="already forgotten"):
        forget(db, -(2**53) - 5, NOW)


def _two_briefs_one_read(db: Database) -> tuple[str, str]:
    """Two approved briefs sent to PAT (registered with Health, briefs then turned off), the
    second read; another Health practitioner also read the second."""
    code = create_invite(db, "Health", "cli", NOW)
    redeem_invite(db, code, PAT, NOW)
    redeem_invite(db, create_invite(db, "Health", "cli", NOW), 4040, NOW)
    refs = []
    for n, words in enumerate(("Brindlecombe", "Ashpettle")):
        ref = file_case(db, NOW, f"{words} case", user_id=1000 + n).ref
        briefs.start_brief(db, ref, "what_happened", (), OFFICER, NOW)
        texts = {k: f"{words} {k}" for k in briefs.SECTIONS}
        briefs.save_sections(db, ref, "done", texts, True, NOW)
        assert briefs.approve(db, ref, CHAIR, NOW) == 2
        for row in outbox.rows_for(db, ref, OutboxKind.BRIEF):
            outbox.mark_sent(db, row.id, 50 + n, NOW + dt.timedelta(minutes=n))
        refs.append(ref)
    later = NOW + dt.timedelta(hours=1)
    assert briefs.record_read(db, refs[1], PAT, "Health", later)
    assert briefs.record_read(db, refs[1], 4040, "Health", later)
    assert briefs.set_briefs_off(db, PAT, True)
    return refs[0], refs[1]


def test_the_briefs_received_read_and_the_opt_out_are_held(db: Database) -> None:
    first, second = _two_briefs_one_read(db)
    held = held_about(db, PAT)
    assert [(b.ref, b.status, b.read_at) for b in held.briefs] == [
        (first, "sent", None),
        (second, "sent", NOW + dt.timedelta(hours=1)),
    ]
    assert held.briefs[1].sent_at == NOW + dt.timedelta(minutes=1)
    assert [b.ref for b in held.briefs_read] == [second]
    assert held.briefs_off is True and held.anything
    assert held_about(db, 4040).briefs_off is False
    assert held_about(db, 1234).briefs_off is None


def test_forgetting_keeps_a_briefs_reads_as_counts_under_the_pseudonym(
    db: Database, db_path: Path
) -> None:
    first, second = _two_briefs_one_read(db)
    done = forget(db, PAT, NOW)
    assert _everywhere(db, PAT) == [] and str(PAT).encode() not in file_bytes(db_path)
    assert done.briefs_read == 1 and not held_about(db, PAT).anything
    assert briefs.reach(db, second).read == 2  # the read still counts, by agency
    assert briefs.reach(db, second).by_agency == (("Health", 2, 2),)
    assert briefs.reach(db, first).sent == 2  # the delivery records stay
    reads = list(db.query("SELECT user_id FROM brief_reads WHERE ref = ?", (second,)))
    assert sorted(is_pseudonym(int(r["user_id"])) for r in reads) == [False, True]


def test_a_partners_presses_are_held_and_forgetting_unnames_them(
    db: Database, db_path: Path
) -> None:
    one = file_case(db, NOW, "Copperwhistle case").ref
    two = file_case(db, NOW, "Gallowmere case").ref
    joint.record_press(db, one, "police", PARTNER, "approved", "", NOW, name="Petra")
    later = NOW + dt.timedelta(minutes=5)
    joint.record_press(db, two, "police", PARTNER, "declined", "no multi-agency concern", later)
    held = held_about(db, PARTNER)
    assert [(p.ref, p.partner, p.outcome) for p in held.presses] == [
        (one, "police", "approved"),
        (two, "police", "declined"),
    ]
    assert held.presses[1].reason == "no multi-agency concern" and held.anything
    assert {e.action for e in held.events} == {"partner_pressed"}

    done = forget(db, PARTNER, NOW)
    assert done.presses == 2 and _everywhere(db, PARTNER) == []
    assert "Petra" not in str(list(db.table("partner_presses").rows))
    assert {p.outcome for p in joint.presses(db, two).values()} == {"declined"}  # kept


def test_an_agency_leads_action_updates_are_held_as_their_events(db: Database) -> None:
    code = create_invite(db, "Health", "cli", NOW, lead=True)
    redeem_invite(db, code, PAT, NOW)
    ref = file_case(db, NOW, "Hazelbrook case").ref
    action = add_action(db, ref, "Health", dt.date(2026, 4, 1), "audit the files", OFFICER, NOW)
    change_action(db, ref, action.seq, "started", PAT, "", NOW)
    change_action(db, ref, action.seq, "done", PAT, "audit finished", NOW)
    held = held_about(db, PAT)
    assert [(u.action, u.change, u.at) for u in held.action_updates] == [
        (action.id, "started", NOW),
        (action.id, "done", NOW),
    ]
    forget(db, PAT, NOW)
    assert _everywhere(db, PAT) == []
