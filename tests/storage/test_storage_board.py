"""Board work: questions relayed to the practitioner, review plans, reminders once a day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database
from storage_helpers import NOW, REFERRER, Filer

from storage.db import transaction
from storage.events import events_for
from storage.info_requests import (
    QuestionError,
    answer_question,
    ask_question,
    open_question_for,
    questions_for,
    questions_to,
)
from storage.lifecycle import IllegalTransition
from storage.outbox import OutboxItem, rows_for
from storage.plans import get_plan, list_plans, save_plan
from storage.referrals import UnknownReferral, require_referral, set_status
from storage.reminders import reminder_sent, send_reminder_once

CHAIR = 7001


def _status(db: Database, ref: str) -> str:
    return require_referral(db, ref).status


def test_a_question_is_relayed_and_answered(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    asked = ask_question(db, ref, CHAIR, "Was the GP involved?", CHAIR, NOW)
    assert _status(db, ref) == "info_requested"
    assert open_question_for(db, REFERRER) == asked
    [to_practitioner] = rows_for(db, ref, "question")
    assert (to_practitioner.chat_id, to_practitioner.payload) == (
        REFERRER,
        {"question_id": asked.id},
    )
    later = NOW + dt.timedelta(hours=1)
    answered = answer_question(db, asked.id, REFERRER, " Yes, twice. ", later)
    assert (answered.answer, answered.answered_at) == ("Yes, twice.", later)
    assert open_question_for(db, REFERRER) is None
    [back] = rows_for(db, ref, "answer")
    assert back.chat_id == CHAIR
    assert _status(db, ref) == "awaiting_chair"
    actions = [e.action for e in events_for(db, ref)]
    assert actions == ["filed", "status", "question", "answer", "status"]
    assert questions_for(db, ref) == [answered]


def test_a_practitioners_questions_are_theirs_oldest_first(db: Database, file_one: Filer) -> None:
    first = file_one().ref
    other = file_one(user_id=REFERRER + 1).ref
    second = file_one().ref
    a = ask_question(db, second, CHAIR, "About the second?", CHAIR, NOW)
    ask_question(db, other, CHAIR, "Not theirs?", CHAIR, NOW)
    b = ask_question(db, first, CHAIR, "About the first?", CHAIR, NOW)
    c = ask_question(db, second, CHAIR, "Again the second?", CHAIR, NOW)

    assert [q.id for q in questions_to(db, REFERRER)] == [a.id, b.id, c.id]
    expected = sorted(questions_for(db, first) + questions_for(db, second), key=lambda q: q.id)
    assert questions_to(db, REFERRER) == expected
    assert questions_to(db, REFERRER + 2) == []


def test_answers_are_checked(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    asked = ask_question(db, ref, CHAIR, "Which school?", CHAIR, NOW)
    with pytest.raises(QuestionError, match="not asked of this user"):
        answer_question(db, asked.id, 999, "hijack", NOW)
    with pytest.raises(QuestionError, match="no question"):
        answer_question(db, asked.id + 100, REFERRER, "x", NOW)
    answer_question(db, asked.id, REFERRER, "Primary", NOW)
    with pytest.raises(QuestionError, match="already answered"):
        answer_question(db, asked.id, REFERRER, "again", NOW)
    with pytest.raises(ValueError):
        ask_question(db, ref, CHAIR, "  ", CHAIR, NOW)


def test_the_status_returns_only_when_every_question_is_answered(
    db: Database, file_one: Filer
) -> None:
    ref = file_one().ref
    first = ask_question(db, ref, CHAIR, "One?", CHAIR, NOW)
    second = ask_question(db, ref, CHAIR, "Two?", CHAIR, NOW)
    assert open_question_for(db, REFERRER) == first
    answer_question(db, first.id, REFERRER, "a", NOW)
    assert _status(db, ref) == "info_requested"
    answer_question(db, second.id, REFERRER, "b", NOW)
    assert _status(db, ref) == "awaiting_chair"


def test_an_officer_question_on_an_approved_referral_keeps_its_status(
    db: Database, file_one: Filer
) -> None:
    ref = file_one().ref
    set_status(db, ref, "approved", CHAIR, "", NOW)
    asked = ask_question(db, ref, 9001, "Any update?", -1001234, NOW)
    answer_question(db, asked.id, REFERRER, "None yet", NOW)
    assert _status(db, ref) == "approved"


def test_a_plan_is_saved_and_continued(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    assert get_plan(db, ref) is None
    first = save_plan(db, ref, "family", {"methodology": "scie"}, 9001, NOW)
    later = NOW + dt.timedelta(days=1)
    answers = {"methodology": "scie", "family": "no", "family_reason": "declined contact"}
    second = save_plan(db, ref, "staff", answers, 9002, later)
    assert (second.created_at, second.updated_at, second.updated_by) == (NOW, later, 9002)
    assert get_plan(db, ref.lower()) == second != first
    assert list_plans(db) == [second]
    with pytest.raises(UnknownReferral):
        save_plan(db, "LIR-2026-0999", "x", {}, None, NOW)


def test_finishing_a_plan_and_moving_the_status_share_a_transaction(
    db: Database, file_one: Filer
) -> None:
    ref = file_one().ref
    with pytest.raises(IllegalTransition), transaction(db):  # not approved: nothing is kept
        save_plan(db, ref, "done", {"author": "A. Reviewer"}, 9001, NOW)
        set_status(db, ref, "review_planned", 9001, "plan complete", NOW)
    assert get_plan(db, ref) is None
    set_status(db, ref, "approved", CHAIR, "", NOW)
    with transaction(db):
        save_plan(db, ref, "done", {"author": "A. Reviewer"}, 9001, NOW)
        set_status(db, ref, "review_planned", 9001, "plan complete", NOW)
    plan = get_plan(db, ref)
    assert plan is not None and plan.state == "done"
    assert _status(db, ref) == "review_planned"


def test_a_reminder_goes_out_once_a_day(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    items = [OutboxItem("reminder_chair", CHAIR), OutboxItem("reminder_board", -1001234)]
    day = dt.date(2026, 3, 9)
    assert send_reminder_once(db, ref, "awaiting_chair", day, items, NOW) is True
    assert send_reminder_once(db, ref, "awaiting_chair", day, items, NOW) is False
    assert reminder_sent(db, ref, "awaiting_chair", day)
    assert not reminder_sent(db, ref, "awaiting_chair", day + dt.timedelta(days=1))
    assert len(rows_for(db, ref, "reminder_chair")) == 1
    assert send_reminder_once(db, ref, "awaiting_chair", day + dt.timedelta(days=1), items, NOW)
    assert len(rows_for(db, ref, "reminder_chair")) == 2
    assert send_reminder_once(db, ref, "plan_deadline", day, items[1:], NOW)
