"""A learning event in storage (SPEC §9, §8): nobody invited twice, answers only before the
start, the questions claimed once, feedback kept apart from who gave it; `/forget` removes an
unanswered invitation and keeps an answered one under a pseudonym; the retention schedule erases
the place and the feedback's words and gives every invitee a pseudonym, the counts kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from filed import SEVERE, file, planned
from sqlite_utils import Database

from reports.exports import REFERRAL_COLUMNS, referral_rows
from services import learning_events as event_service
from services.learning_events import Answer, When, WhenRefused, parse_when
from storage import event_feedback, learning_events, referrals, retention, rights, themes
from storage.db import open_db
from storage.themes import Toggled

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time, as the board's zone would be


def _event(db: Database) -> str:
    ref = file(db, SEVERE, NOW).ref
    planned(db, ref, NOW)
    when = When(NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=1, hours=2))
    event_service.schedule_event(db, ref, when, "Library", 3001, "Olu", NOW)
    learning_events.invite(db, ref, {11: "Health", 12: "Police", 13: "Police"}, NOW)
    return ref


def test_the_time_is_read_in_the_boards_zone_and_checked() -> None:
    when = parse_when("2026-03-03 14:00", NOW, LONDON)
    assert isinstance(when, When)
    assert when.starts_at == dt.datetime(2026, 3, 3, 13, 0, tzinfo=dt.UTC)
    assert when.ends_at - when.starts_at == dt.timedelta(hours=2)
    given = parse_when("2026-03-03 14:00-14:45", NOW, LONDON)
    assert isinstance(given, When) and given.ends_at.minute == 45
    assert isinstance(parse_when("2026-03-02 10:30", NOW, LONDON), When)  # later today: 09:30 UTC
    assert parse_when("2026-03-02 09:59", NOW, LONDON) == WhenRefused.PAST  # 08:59 UTC
    assert parse_when("2026-03-03 14:00-13:00", NOW, LONDON) == WhenRefused.END_FIRST
    assert parse_when("2026-02-30 14:00", NOW, LONDON) == WhenRefused.FORM
    assert parse_when("tomorrow 14:00", NOW, LONDON) == WhenRefused.FORM


def test_answers_questions_and_feedback_apart_from_the_person(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    ref = _event(db)
    assert learning_events.invite(db, ref, {11: "Health"}, NOW) == []  # never twice
    assert event_service.answer_invitation(db, ref, 11, 1, "coming", NOW) == Answer.RECORDED
    assert event_service.answer_invitation(db, ref, 99, 1, "coming", NOW) == Answer.NOT_INVITED
    assert event_service.answer_invitation(db, ref, 12, 2, "coming", NOW) == Answer.STALE
    started = NOW + dt.timedelta(days=1, minutes=1)
    assert event_service.answer_invitation(db, ref, 12, 1, "coming", started) == Answer.STARTED
    total, by_agency = learning_events.counts(db, ref)
    assert (total.invited, total.coming, total.unanswered) == (3, 1, 2)
    assert by_agency["Police"].unanswered == 2

    ended = NOW + dt.timedelta(days=1, hours=3)
    assert event_service.queue_questions(db, ended, "learned") == [ref]
    assert event_service.queue_questions(db, ended, "learned") == []  # once
    again = When(ended + dt.timedelta(days=1), ended + dt.timedelta(days=1, hours=1))
    with pytest.raises(event_service.NoEvent, match="held"):
        event_service.schedule_event(db, ref, again, "Hall", 3001, None, ended)
    assert event_feedback.session(db, ref, 11) is not None
    assert event_feedback.finish_feedback(db, ref, 11, "done", "Listen", "Ask the child", 4)
    assert not event_feedback.finish_feedback(db, ref, 11, "done", "Again", "Again", 1)
    summary = event_feedback.feedback_summary(db, ref)
    assert (summary.feedback, summary.safety_mean, summary.differently) == (
        1,
        4.0,
        ("Ask the child",),
    )
    assert "user_id" not in db.table("event_feedback").columns_dict


def test_forget_removes_an_unanswered_invitation_and_keeps_an_answered_one(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    ref = _event(db)
    event_service.answer_invitation(db, ref, 11, 1, "coming", NOW)
    assert [i.ref for i in rights.held_about(db, 12).invitations] == [ref]
    forgotten = rights.forget(db, 12, NOW)
    assert forgotten.invitations == 1
    assert learning_events.invitation(db, ref, 12) is None
    rights.forget(db, 11, NOW)
    total, _ = learning_events.counts(db, ref)
    assert (total.invited, total.coming) == (2, 1)  # the answer still counts, unnamed
    assert learning_events.invitation(db, ref, 11) is None


def test_retention_erases_the_words_and_the_attendance_keeps_the_counts(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    ref = _event(db)
    event_service.answer_invitation(db, ref, 11, 1, "coming", NOW)
    ended = NOW + dt.timedelta(days=1, hours=3)
    event_service.queue_questions(db, ended, "learned")
    event_feedback.finish_feedback(db, ref, 11, "done", "Quibblewick learned", "Zorbleton", 5)
    themes.toggle(db, ref, "neglect", 3001, "Olu", NOW)
    for status in ("in_review", "report_received", "published", "closed"):
        referrals.set_status(db, ref, status, 3001, "", NOW)
    later = dt.date(2033, 3, 3)
    done = retention.purge(
        db, today=later, declined_months=12, closed_years=6, now=NOW + dt.timedelta(days=2600)
    )
    erased = done.erasures[0].erased
    assert erased["event feedback"] == 2 and erased["event invitation"] == 3
    assert erased["learning event place"] == 1
    summary = event_feedback.feedback_summary(db, ref)
    assert summary.counts.invited == 3 and summary.counts.coming == 1 and summary.safety == (5,)
    assert all(i.user_id <= retention.PSEUDONYMS for i in learning_events.invitations(db, ref))
    assert rights.held_about(db, 11).invitations == []
    data = (tmp_path / "t.db").read_bytes() + (tmp_path / "t.db-wal").read_bytes()
    assert b"Quibblewick" not in data and b"Zorbleton" not in data
    assert themes.themes_of(db, ref) == ["neglect"]


def test_themes_at_most_three_and_the_export_carries_them(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    ref = _event(db)
    for theme in ("neglect", "babies", "domestic abuse"):
        assert themes.toggle(db, ref, theme, 3001, None, NOW) == Toggled.ADDED
    assert themes.toggle(db, ref, "exploitation", 3001, None, NOW) == Toggled.FULL
    assert themes.toggle(db, ref, "babies", 3001, None, NOW) == Toggled.REMOVED
    assert themes.counts_by_year(db, 2026) == {"neglect": 1, "domestic abuse": 1}
    found = referrals.list_referrals(db)
    rows = list(referral_rows(found, themes=themes.themes_by_ref(db)))
    assert rows[0][REFERRAL_COLUMNS.index("themes")] == "neglect; domestic abuse"
