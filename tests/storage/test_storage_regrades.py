"""Regrading a stored referral (storage.regrades): one transaction and one event each; the status
and the chair's decision stay; nothing is queued."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database
from storage_helpers import CHAIRS, NOW, Filer

from storage.events import events_for
from storage.outbox import rows_for
from storage.referrals import Referral, UnknownReferral, get_referral, record_decision
from storage.regrades import REGRADED, Regrade, regrade_referral

LATER = NOW + dt.timedelta(days=30)
NEW_FLAGS = {
    "scr_required": False,
    "scr_unless_no_concerns": False,
    "cdop": True,
    "urgent": False,
    "notifiable": False,
}


def significant(referral: Referral) -> Regrade:
    """A synthetic regrade to significant on a newer matrix."""
    matched = [{"grade": "significant", "id": "sig_child_died", "text": "Death of a child"}]
    return Regrade(
        grade="significant",
        original_grade="significant",
        flags=NEW_FLAGS,
        matched=matched,
        result={"grade": "significant", "flags": NEW_FLAGS, "matched": matched},
        matrix_version="2099.1",
    )


def test_a_regrade_writes_the_new_values_and_an_event(db: Database, file_one: Filer) -> None:
    filed = file_one(grade="catastrophic")
    outbox_before = len(rows_for(db, filed.ref))
    done = regrade_referral(db, filed.ref, significant, "cli", LATER)
    assert done is not None and not done.decided
    assert done.before == filed
    after = get_referral(db, filed.ref)
    assert after == done.after
    assert (after.grade, after.original_grade) == ("significant", "significant")
    assert after.flags == NEW_FLAGS
    assert [m["id"] for m in after.matched] == ["sig_child_died"]
    assert after.result["grade"] == "significant"
    assert after.matrix_version == "2099.1"
    assert after.updated_at == LATER
    assert (after.status, after.decision) == ("awaiting_chair", None)
    event = events_for(db, filed.ref)[-1]
    assert event == done.event
    assert (event.action, event.actor, event.at) == (REGRADED, "cli", LATER)
    assert event.detail == (
        "matrix 2026.1 -> 2099.1; grade catastrophic -> significant; matrix grade catastrophic "
        "-> significant; flags scr_required -> cdop; matched catastrophic_example -> "
        "sig_child_died"
    )
    assert len(rows_for(db, filed.ref)) == outbox_before  # the board is told later, not here


def test_a_decided_referral_keeps_its_decision_and_status(db: Database, file_one: Filer) -> None:
    filed = file_one(grade="catastrophic")
    record_decision(db, filed.ref, CHAIRS[0], "approved", "", None, NOW)
    done = regrade_referral(db, filed.ref, significant, "cli", LATER)
    assert done is not None and done.decided
    after = done.after
    assert after.grade == "significant"
    assert (after.status, after.decision, after.decided_by) == ("approved", "approved", CHAIRS[0])
    assert after.decided_at == done.before.decided_at
    assert done.event.detail.endswith(
        "already decided (approved, status approved): the decision and status are kept"
    )


def test_nothing_to_change_writes_nothing(db: Database, file_one: Filer) -> None:
    filed = file_one()
    events = events_for(db, filed.ref)
    assert regrade_referral(db, filed.ref, lambda r: None, "cli", LATER) is None
    assert get_referral(db, filed.ref) == filed
    assert events_for(db, filed.ref) == events


def test_the_decision_sees_the_row_inside_the_transaction(db: Database, file_one: Filer) -> None:
    filed = file_one(grade="severe")
    seen: list[Referral] = []

    def decide(referral: Referral) -> Regrade | None:
        seen.append(referral)
        assert db.conn.in_transaction
        return None

    regrade_referral(db, filed.ref, decide, "cli", LATER)
    assert seen == [filed]


def test_a_failing_decision_rolls_back_that_referral_only(db: Database, file_one: Filer) -> None:
    first, second = file_one(user_id=1), file_one(user_id=2)

    def broken(referral: Referral) -> Regrade | None:
        raise ValueError("bad facts")

    with pytest.raises(ValueError, match="bad facts"):
        regrade_referral(db, first.ref, broken, "cli", LATER)
    assert not db.conn.in_transaction
    assert get_referral(db, first.ref) == first
    assert regrade_referral(db, second.ref, significant, "cli", LATER) is not None
    assert db.table("events").count_where("action = ?", (REGRADED,)) == 1


def test_an_unknown_reference(db: Database) -> None:
    with pytest.raises(UnknownReferral):
        regrade_referral(db, "LIR-2026-9999", significant, "cli", LATER)
