"""The board's use cases without Telegram (`services/`): each one transaction that records its
events and queues who is told, on a real database in a temporary folder. Synthetic only."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from filed import BOARD, CATASTROPHIC, CHAIR, LOW, PRACTITIONER, file, planned
from sqlite_utils import Database

from matrix.engine import load_matrix, profile_matrix
from services import actions, casework, decisions, grading, refusals
from storage import events, inputs, outbox, practitioners
from storage.db import open_db
from storage.inputs import InputKind
from storage.outbox import OutboxKind

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
PARTNERS = (3001, 3002, 3003)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The test's database file: `filed.file` files into it, `db` reads and writes it."""
    return tmp_path / "triage.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_db(db_path)
    with closing(database.conn):
        yield database


def _decided_chats(db: Database, ref: str) -> list[tuple[int, str]]:
    rows = outbox.rows_for(db, ref, OutboxKind.DECISION)
    return [(row.chat_id, str(row.payload["audience"])) for row in rows]


def test_a_decision_tells_the_practitioner_the_board_and_every_partner(
    db: Database, db_path: Path
) -> None:
    referral = file(db_path, LOW, NOW)
    outcome = decisions.decide(
        db,
        referral,
        PARTNERS[0],
        "approved",
        "",
        None,
        NOW,
        matrix=load_matrix(),
        board_chat_id=BOARD,
        partner_ids=PARTNERS,
        actor_name="Pat",
    )
    assert outcome.recorded and outcome.referral.status == "approved"
    assert _decided_chats(db, referral.ref) == [
        (PRACTITIONER, "practitioner"),
        *((partner, "board") for partner in PARTNERS),
        (BOARD, "board"),
    ]
    logged = [e for e in events.events_for(db, referral.ref) if e.action == "decision"]
    assert [e.actor_name for e in logged] == ["Pat"]


def test_a_decision_forgets_the_reason_its_decider_owed_for_that_referral_only(
    db: Database, db_path: Path
) -> None:
    first, second = file(db_path, LOW, NOW), file(db_path, LOW, NOW)
    inputs.expect(db, CHAIR, InputKind.DECLINE_REASON, first.ref, {}, NOW)
    decisions.decide(
        db, second, CHAIR, "approved", "", None, NOW, matrix=load_matrix(), board_chat_id=None
    )
    awaited = inputs.awaited(db, CHAIR)
    assert awaited is not None and awaited.ref == first.ref  # still owed: another referral
    decisions.decide(
        db, first, CHAIR, "approved", "", None, NOW, matrix=load_matrix(), board_chat_id=None
    )
    assert inputs.awaited(db, CHAIR) is None


def test_a_second_decision_changes_nothing_and_says_who_decided(
    db: Database, db_path: Path
) -> None:
    referral = file(db_path, LOW, NOW)
    matrix = load_matrix()
    decisions.decide(
        db, referral, CHAIR, "approved", "", None, NOW, matrix=matrix, board_chat_id=BOARD
    )
    late = decisions.decide(
        db, referral, CHAIR + 1, "declined", "no", None, NOW, matrix=matrix, board_chat_id=BOARD
    )
    assert not late.recorded and late.referral.decided_by == CHAIR
    assert len(_decided_chats(db, referral.ref)) == 2  # the first decision's only


def test_an_escalation_to_catastrophic_sets_its_statutory_flag(db: Database, db_path: Path) -> None:
    referral = file(db_path, LOW, NOW)
    assert not referral.flags.get("scr_required")
    outcome = decisions.decide(
        db,
        referral,
        CHAIR,
        "escalated",
        "more is known",
        "catastrophic",
        NOW,
        matrix=load_matrix(),
        board_chat_id=None,
    )
    assert outcome.referral.flags["scr_required"]
    assert _decided_chats(db, referral.ref)[0] == (PRACTITIONER, "practitioner")
    assert outcome.referral.grade == "catastrophic"


def test_a_referral_is_read_in_its_own_profile(db: Database, db_path: Path) -> None:
    referral = file(db_path, CATASTROPHIC, NOW)
    configured = load_matrix()
    assert grading.matrix_for(referral, configured) is configured
    other = dataclasses.replace(referral, profile="wt2023")
    assert grading.matrix_for(other, configured) is profile_matrix("wt2023")
    own = dataclasses.replace(referral, profile="our-board")  # a board's own file
    assert grading.matrix_for(own, configured) is configured


def test_an_action_goes_to_its_leads_and_only_their_agency_may_change_it(
    db: Database, db_path: Path
) -> None:
    referral = file(db_path, LOW, NOW)
    planned(db_path, referral.ref, NOW)
    lead = 4001
    code = practitioners.create_invite(db, "Police", "cli", NOW, lead=True)
    practitioners.redeem_invite(db, code, lead, NOW)
    added = actions.add_action(db, referral.ref, "Police", NOW.date(), "Train staff", 1, NOW)
    assert added.leads == 1
    assert [r.chat_id for r in outbox.rows_for(db, referral.ref, OutboxKind.ACTION_LEAD)] == [lead]
    assert actions.lead_of(db, lead, added.action)
    assert not actions.lead_of(db, PRACTITIONER, added.action)
    done = actions.change_action(db, added.action, "done", lead, "Trained", NOW, [BOARD])
    assert done is not None and done.status == "done"
    assert actions.change_action(db, added.action, "dropped", lead, "No", NOW, [BOARD]) is None
    told = outbox.rows_for(db, referral.ref, OutboxKind.ACTION_UPDATE)
    assert [row.chat_id for row in told] == [BOARD]  # the refused change told nobody


def test_the_terms_of_reference_issued_are_logged_with_one_look(
    db: Database, db_path: Path
) -> None:
    referral = file(db_path, LOW, NOW)
    casework.issue_tor(db, referral.ref, CHAIR, NOW)
    casework.issue_tor(db, referral.ref, CHAIR, NOW)
    logged = [(e.action, e.detail) for e in events.events_for(db, referral.ref)]
    assert logged.count(("tor", casework.TOR_ISSUED)) == 2
    assert logged.count(("viewed", "/tor")) == 1  # once a person a referral a day


def test_a_refused_command_is_answered_once_a_day(db: Database) -> None:
    assert refusals.refuse_command(db, 5001, "queue", NOW)
    assert not refusals.refuse_command(db, 5001, "case", NOW + dt.timedelta(minutes=1))
    assert refusals.refuse_command(db, 5001, "queue", NOW + dt.timedelta(days=1))
