"""The referral lifecycle, the chair's decision, escalation, notes and the queue."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlite_utils import Database
from storage_helpers import NOW, Filer

from storage.events import events_for
from storage.lifecycle import OPEN, STATUSES, TRANSITIONS, IllegalTransition
from storage.outbox import PRIORITY_URGENT, OutboxItem, rows_for
from storage.referrals import (
    UnknownReferral,
    add_note,
    count_by_grade,
    count_by_status,
    count_open,
    escalate_grade,
    list_open,
    record_decision,
    set_status,
)

# The path from filing to each status, along legal moves.
PATHS: dict[str, list[str]] = {
    "awaiting_chair": [],
    "info_requested": ["info_requested"],
    "approved": ["approved"],
    "declined": ["declined"],
    "review_planned": ["approved", "review_planned"],
    "in_review": ["approved", "review_planned", "in_review"],
    "report_received": ["approved", "review_planned", "in_review", "report_received"],
    "published": ["approved", "review_planned", "in_review", "report_received", "published"],
    "closed": [
        "approved",
        "review_planned",
        "in_review",
        "report_received",
        "published",
        "closed",
    ],
}

LEGAL = [(a, b) for a, moves in TRANSITIONS.items() for b in moves]
ILLEGAL = [(a, b) for a in STATUSES for b in STATUSES if b not in TRANSITIONS[a]]


def _reach(db: Database, ref: str, status: str) -> None:
    for step in PATHS[status]:
        set_status(db, ref, step, "officer", "", NOW)


def test_the_lifecycle_is_the_one_of_the_spec() -> None:
    assert TRANSITIONS["awaiting_chair"] == ("approved", "declined", "info_requested")
    assert set(TRANSITIONS["info_requested"]) == {"awaiting_chair", "approved", "declined"}
    chain = ["approved", "review_planned", "in_review", "report_received", "published", "closed"]
    assert all(TRANSITIONS[a] == (b,) for a, b in itertools.pairwise(chain))
    assert TRANSITIONS["declined"] == () and TRANSITIONS["closed"] == ()
    assert set(PATHS) == set(STATUSES)


@pytest.mark.parametrize(("current", "wanted"), LEGAL)
def test_legal_moves(db: Database, file_one: Filer, current: str, wanted: str) -> None:
    ref = file_one().ref
    _reach(db, ref, current)
    later = NOW + dt.timedelta(hours=1)
    moved = set_status(db, ref, wanted, 7001, "because", later)
    assert moved.status == wanted and moved.updated_at == later
    last = events_for(db, ref)[-1]
    assert (last.action, last.actor, last.detail) == (
        "status",
        "7001",
        f"{current} -> {wanted}: because",
    )


@pytest.mark.parametrize(("current", "wanted"), ILLEGAL)
def test_illegal_moves_are_refused_and_change_nothing(
    db: Database, file_one: Filer, current: str, wanted: str
) -> None:
    ref = file_one().ref
    _reach(db, ref, current)
    events_before = len(events_for(db, ref))
    with pytest.raises(IllegalTransition) as caught:
        set_status(db, ref, wanted, "officer", "", NOW)
    message = str(caught.value)
    assert ref in message and current in message and wanted in message
    allowed = TRANSITIONS[current]
    assert "allowed: " + (", ".join(allowed) if allowed else f"none ({current} is final)") in (
        message
    )
    assert db.execute("SELECT status FROM referrals WHERE ref = ?", (ref,)).fetchone()[0] == current
    assert len(events_for(db, ref)) == events_before


def test_an_unknown_status_is_refused(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    with pytest.raises(IllegalTransition, match="allowed: approved, declined, info_requested"):
        set_status(db, ref, "finished", "officer", "", NOW)


def test_an_unknown_referral_is_reported(db: Database) -> None:
    with pytest.raises(UnknownReferral, match="LIR-2026-0404"):
        set_status(db, "LIR-2026-0404", "approved", 1, "", NOW)


def test_the_chair_approves_once_and_a_late_press_learns_who_decided(
    db: Database, file_one: Filer
) -> None:
    ref = file_one(urgent=True).ref
    at = NOW + dt.timedelta(hours=2)
    notify = [OutboxItem("decision_practitioner", 5001), OutboxItem("decision_board", -1001234)]
    outcome = record_decision(db, ref, 7001, "approved", "", None, at, outbox=notify)
    assert outcome.recorded
    decided = outcome.referral
    assert (decided.status, decided.decided_by, decided.decided_at) == ("approved", 7001, at)
    assert decided.decision == "approved" and decided.grade == "severe"
    queued = rows_for(db, ref)[-2:]
    assert [(r.kind, r.chat_id, r.priority) for r in queued] == [
        ("decision_practitioner", 5001, PRIORITY_URGENT),
        ("decision_board", -1001234, PRIORITY_URGENT),
    ]
    late = record_decision(
        db, ref, 7002, "declined", "no", None, at + dt.timedelta(minutes=1), outbox=notify
    )
    assert not late.recorded
    assert (late.referral.decided_by, late.referral.decided_at) == (7001, at)
    assert late.referral.status == "approved"
    assert db.table("outbox").count_where("ref = ?", (ref,)) == 4 + 2
    assert [e.action for e in events_for(db, ref)] == ["filed", "decision"]


def test_escalation_keeps_the_matrix_grade(db: Database, file_one: Filer) -> None:
    ref = file_one(grade="moderate").ref
    outcome = record_decision(
        db, ref, 7001, "escalated", "repeated pattern", "severe", NOW, outbox=[]
    )
    assert outcome.recorded
    assert (outcome.referral.grade, outcome.referral.original_grade) == ("severe", "moderate")
    assert outcome.referral.decision_reason == "repeated pattern"
    assert outcome.referral.status == "approved"
    assert events_for(db, ref)[-1].detail == (
        "escalated: awaiting_chair -> approved; grade moderate -> severe; reason: repeated pattern"
    )


def test_no_review_needs_a_reason_and_is_declined(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    with pytest.raises(ValueError, match="reason"):
        record_decision(db, ref, 7001, "declined", "  ", None, NOW)
    with pytest.raises(ValueError, match="new grade"):
        record_decision(db, ref, 7001, "escalated", "why", None, NOW)
    with pytest.raises(ValueError, match="unknown decision"):
        record_decision(db, ref, 7001, "maybe", "why", None, NOW)
    outcome = record_decision(db, ref, 7001, "declined", "single-agency matter", None, NOW)
    assert outcome.referral.status == "declined"
    assert outcome.referral.decision_reason == "single-agency matter"


def test_a_decision_can_follow_a_request_for_information(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    set_status(db, ref, "info_requested", 7001, "asked", NOW)
    assert record_decision(db, ref, 7002, "approved", "", None, NOW).recorded


def test_escalate_grade_later_needs_a_reason(db: Database, file_one: Filer) -> None:
    ref = file_one(grade="low").ref
    with pytest.raises(ValueError, match="reason"):
        escalate_grade(db, ref, 9001, "moderate", "", NOW)
    raised = escalate_grade(db, ref, 9001, "moderate", "new information", NOW)
    assert (raised.grade, raised.original_grade) == ("moderate", "low")
    assert events_for(db, ref)[-1].detail == "low -> moderate: new information"


def test_notes_go_to_the_event_log(db: Database, file_one: Filer) -> None:
    ref = file_one().ref
    note = add_note(db, ref, 9001, "  spoke to the designated lead  ", NOW)
    assert (note.action, note.detail, note.actor) == (
        "note",
        "spoke to the designated lead",
        "9001",
    )
    with pytest.raises(ValueError):
        add_note(db, ref, 9001, " ", NOW)
    with pytest.raises(UnknownReferral):
        add_note(db, "LIR-1999-0001", 9001, "x", NOW)


def test_the_queue_is_open_referrals_urgent_first_then_oldest(
    db: Database, file_one: Filer
) -> None:
    hour = dt.timedelta(hours=1)
    oldest = file_one(user_id=1, now=NOW).ref
    closed = file_one(user_id=2, now=NOW + hour).ref
    middle = file_one(user_id=3, now=NOW + 2 * hour).ref
    urgent_late = file_one(user_id=4, now=NOW + 3 * hour, urgent=True).ref
    urgent_early = file_one(user_id=5, now=NOW + 2 * hour, urgent=True).ref
    set_status(db, closed, "declined", 7001, "no", NOW + 4 * hour)
    queue = [r.ref for r in list_open(db)]
    assert queue == [urgent_early, urgent_late, oldest, middle]
    assert [r.ref for r in list_open(db, limit=2, offset=1)] == [urgent_late, oldest]
    assert count_open(db) == 4
    assert set(OPEN) >= {r.status for r in list_open(db)}


def test_counts_by_status_and_grade(db: Database, file_one: Filer) -> None:
    refs = [file_one(user_id=i, grade=g).ref for i, g in enumerate(["low", "low", "severe"])]
    set_status(db, refs[0], "approved", 7001, "", NOW)
    assert count_by_status(db) == {"approved": 1, "awaiting_chair": 2}
    assert count_by_grade(db) == {"low": 2, "severe": 1}
    assert count_by_grade(db, year=2025) == {}
