"""Awaited inputs one per person per purpose, over the local Bot API server: an agency lead who
also filed a referral owes the board an answer and evidence on an action at once; neither
prompt drops the other, a text that could answer both is held (redacted) and the lead asked
which, with buttons only they can press, stale once used; and each answer lands where chosen."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from filed import SEVERE, file, planned
from flows import database
from harness import BOARD, PRACTITIONER, STRANGER, Person, Running
from sqlite_utils import Database

from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from storage import actions, inputs, practitioners, referrals
from storage.inputs import InputKind
from storage.migrations import MIGRATIONS, migrate

QUESTION = "Was the GP informed before discharge?"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _lead_with_question_and_action(
    api: LocalBotAPI, pat: Person, board: Person, settings: Settings, press: tuple[str, str, str]
) -> tuple[str, str, Msg]:
    """Pat, a lead of Police, filed `asked` (the board asks about it) and owns an action of the
    planned review `reviewed`; they press `press[0]` on it (the bot asks for `press[1]`) and type
    `press[2]`, which could answer both. Returns both references and the bot's question."""
    with database(settings) as db:
        code = practitioners.create_invite(db, "Police", "test", _now(), lead=True)
    await pat.say(f"/start {code}", expect="lead of Police")
    asked = file(settings.db_path, SEVERE, _now(), agency="Police").ref
    reviewed = file(settings.db_path, SEVERE, _now()).ref
    planned(settings.db_path, reviewed, _now())
    since = api.mark()
    await board.say(f"/ask {asked} {QUESTION}", expect="answer will come back")
    await api.wait_for_message(PRACTITIONER, "GP informed", since=since)

    def awaited() -> bool:
        with database(settings) as db:
            return inputs.awaited(db, PRACTITIONER) is not None  # the question, alone yet

    await api.wait_for(lambda: awaited() or None, what="the awaited answer")
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    await board.say(f"/action {reviewed} Police {due} Audit strategy meetings", "added")
    sent = await api.wait_for_message(PRACTITIONER, "New action", since=since)
    since = api.mark()
    await pat.press_on(sent.message_id, press[0])
    await api.wait_for_message(PRACTITIONER, press[1], since=since)
    return asked, reviewed, await pat.say(press[2], expect="Which is it")


async def test_an_answer_to_the_board_survives_a_lead_giving_evidence_meanwhile(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, pat: Person
) -> None:
    typed = "Audit done; copy sent to audit.lead@example.org"
    asked, reviewed, which = await _lead_with_question_and_action(
        api, pat, board, settings, ("Done", "evidence", typed)
    )
    assert "[REDACTED]" in which.reads and "example.org" not in which.reads
    assert which.button_texts == [
        f"Answer to the board's question on {asked}",
        f"Evidence for {reviewed}/A1",
    ]
    used = [b.callback_data for b in which.buttons]
    mine = [m for m in api.messages(PRACTITIONER) if m.sender_id == PRACTITIONER]
    assert not any("Audit done" in m.reads for m in mine), "the typed text left the chat"
    again = await pat.say("Yes, by letter.", expect="choose what your previous message")
    assert "Nothing was kept" in again.reads
    with database(settings) as db:  # nothing acted on before the choice
        action = actions.find_action(db, f"{reviewed}/A1")
        assert action is not None and action.status == "open"

    since = api.mark()
    assert await pat.press_on(which.message_id, f"Evidence for {reviewed}/A1") == ""
    seen = await api.wait_for_message(BOARD, "done, says lead of Police", since=since)
    assert "Evidence: Audit done; copy sent to [REDACTED]" in seen.reads
    taken = api.message(PRACTITIONER, which.message_id)
    assert taken is not None and taken.button_texts == [] and "Taken as: Evidence" in taken.reads
    for data in used:  # the choice is made: both buttons are stale now
        stale = await pat.alert(which.message_id, data)
        assert stale.show_alert and "no longer open" in stale.reads

    # The board's question still waits: the next text answers it, as it did before any action.
    relayed = await pat.say("Yes, the GP was told by letter.", expect="Thank you")
    assert asked in relayed.reads
    answer = await api.wait_for_message(BOARD, "the practitioner answered", since=since)
    assert "GP was told by letter" in answer.reads
    with database(settings) as db:
        assert referrals.require_referral(db, asked).status == "awaiting_chair"
        action = actions.find_action(db, f"{reviewed}/A1")
        assert action is not None and action.status == "done"
        assert inputs.awaiting(db, PRACTITIONER) == []


async def test_the_choice_is_the_persons_own_and_acts_on_what_was_typed(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, pat: Person
) -> None:
    typed = "Yes, the GP was told on discharge."
    asked, reviewed, which = await _lead_with_question_and_action(
        api, pat, board, settings, ("Can't meet the date", "the reason", typed)
    )
    assert which.button_texts[1] == f"Why {reviewed}/A1 can't meet its date"
    [data] = [b.callback_data for b in which.buttons if "board's question" in b.text]

    stranger = Person(api, STRANGER)
    said = await stranger.say("/start")
    forged = await stranger.alert(said.message_id, data)
    assert forged.show_alert and "no longer open" in forged.reads
    in_group = await Person(api, PRACTITIONER, BOARD).alert(board.last().message_id, data)
    assert in_group.show_alert

    since = api.mark()
    await pat.press_on(which.message_id, f"Answer to the board's question on {asked}")
    answer = await api.wait_for_message(BOARD, "the practitioner answered", since=since)
    assert "GP was told on discharge" in answer.reads
    # The lead's reason is still awaited: their next text is it (one purpose left).
    await pat.say("Team restructure; by the end of next month", expect="cannot be met")
    with database(settings) as db:
        assert referrals.require_referral(db, asked).status == "awaiting_chair"
        action = actions.find_action(db, f"{reviewed}/A1")
        assert action is not None
        assert [e.action for e in actions.history(db, action)] == ["action", "action_late"]


def test_awaited_inputs_survive_the_migration_to_purposes(tmp_path: Path) -> None:
    """A database of the step before keeps its awaited inputs, each under its purpose."""
    db = Database(sqlite3.connect(tmp_path / "old.db", isolation_level=None))
    step = next(m.version for m in MIGRATIONS if "per purpose" in m.description)
    for migration in MIGRATIONS[: step - 1]:
        for statement in migration.statements:
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {step - 1}")
    at = "2026-03-02T10:00:00.000000Z"
    old = db.table("awaited_inputs")
    old.insert({"user_id": 7, "kind": "action_evidence", "data": '{"seq": 2}', "created_at": at})
    old.insert({"user_id": 8, "kind": "decline_reason", "data": "{}", "created_at": at})
    migrate(db)
    kept = {(a.user_id, a.kind, a.purpose) for u in (7, 8) for a in inputs.awaiting(db, u)}
    db.close()
    assert kept == {
        (7, InputKind.ACTION_EVIDENCE, "action:/A2"),
        (8, InputKind.DECLINE_REASON, "chair"),
    }
