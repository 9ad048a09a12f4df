"""Migration 8: every referral records its profile (2013 unless the caller says), and its
statutory clocks are stored with it; closing one records the event and starts the next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from filed import file
from sqlite_utils import Database
from storage_helpers import NOW, Filer, sample_result

from storage.clocks import ClockNotOpen, close_clock
from storage.db import open_db
from storage.events import events_for
from storage.referrals import Clock, get_referral

FILED_ON = dt.date(2026, 3, 2)
NOTIFY = Clock("notification", "Panel notification", FILED_ON, dt.date(2026, 3, 9))


def file_wt2023(db: Database) -> str:
    referral = file(
        db,
        {"seriously_harmed": True},
        NOW,
        result=sample_result("severe"),
        profile="wt2023",
        clocks=[NOTIFY],
        referrer=5001,
        agencies=["Health"],
        description="synthetic",
        board_chat_id=None,
        chair_ids=(),
    )
    return referral.ref


def test_a_referral_records_the_2013_profile_by_default(db: Database, file_one: Filer) -> None:
    referral = file_one()
    assert referral.profile == "2013" and referral.clocks == ()
    row = next(db.query("SELECT profile, clocks FROM referrals WHERE ref = ?", (referral.ref,)))
    assert row == {"profile": "2013", "clocks": "[]"}


def test_a_referral_records_the_callers_profile_and_clocks(db: Database) -> None:
    ref = file_wt2023(db)
    referral = get_referral(db, ref)
    assert referral is not None
    assert referral.profile == "wt2023"
    assert referral.clocks == (NOTIFY,)
    assert referral.clock("notification") == NOTIFY and referral.clock("rapid_review") is None
    assert NOTIFY.overdue_on(dt.date(2026, 3, 10)) and not NOTIFY.overdue_on(dt.date(2026, 3, 9))


def test_closing_a_clock_records_the_event_and_starts_the_next(db: Database) -> None:
    ref = file_wt2023(db)
    later = NOW + dt.timedelta(days=1)
    rapid = Clock("rapid_review", "Rapid review", dt.date(2026, 3, 3), dt.date(2026, 3, 24))
    referral = close_clock(
        db,
        ref,
        "notification",
        outcome="notified",
        actor=42,
        action="notified",
        detail="Panel notified",
        now=later,
        then_start=[rapid],
    )
    closed = referral.clock("notification")
    assert closed is not None and closed.closed_at == later and closed.outcome == "notified"
    assert not closed.overdue_on(dt.date(2030, 1, 1))
    assert referral.clock("rapid_review") == rapid
    assert [(e.action, e.detail, e.actor) for e in events_for(db, ref)][-1] == (
        "notified",
        "Panel notified",
        "42",
    )
    with pytest.raises(ClockNotOpen):
        close_clock(
            db,
            ref,
            "notification",
            outcome="notified",
            actor=42,
            action="notified",
            detail="",
            now=later,
        )
    with pytest.raises(ClockNotOpen):
        close_clock(db, ref, "nothing", outcome="x", actor=42, action="x", detail="", now=later)


def test_migration_8_gives_old_referrals_the_2013_profile(tmp_path: Path) -> None:
    db = open_db(tmp_path / "triage.db")
    try:
        columns = {c.name: c for c in db["referrals"].columns}
        assert columns["profile"].notnull and columns["profile"].default_value == "'2013'"
        assert columns["clocks"].default_value == "'[]'"
    finally:
        db.conn.close()
