"""When a handler fails (here: the database refuses writes), the person is answered, not ignored."""

from __future__ import annotations

from flows import database, file_catastrophic, first_message
from harness import CHAIR, Person, Running

from bot.settings import Settings
from localapi import LocalBotAPI
from storage import referrals


async def test_a_press_that_cannot_be_saved_is_answered_and_the_check_goes_on(
    api: LocalBotAPI, running: Running, pat: Person
) -> None:
    await pat.say("/start", expect="no names")
    await pat.answer("I understand", "immediate risk")
    assert running.app is not None
    conn = running.app.bot_data.services.db.conn
    conn.execute("PRAGMA query_only = ON")  # every write now fails, as on a read-only disk
    update = api.press_button(pat.user_id, pat.chat_id, "No")
    await pat.answer_of(update)  # the button's spinner stops
    told = await api.wait_for_message(pat.chat_id, "could not be saved")
    assert "Nothing you had already answered was lost" in told.reads

    conn.execute("PRAGMA query_only = OFF")  # writable again: the same question still works
    await pat.answer("No", "good practice")


async def test_a_decision_that_cannot_be_saved_alerts_the_chair_and_can_be_made_again(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    card = await first_message(api, CHAIR, ref, "Decision needed")
    assert running.app is not None
    conn = running.app.bot_data.services.db.conn
    conn.execute("PRAGMA query_only = ON")
    update = api.press_button(CHAIR, CHAIR, "Approve", message_id=card.message_id)
    answer = await chair.answer_of(update)
    assert answer.show_alert and "could not be saved" in answer.reads
    with database(settings) as db:
        assert referrals.require_referral(db, ref).status == "awaiting_chair"

    conn.execute("PRAGMA query_only = OFF")
    assert "Approved" in await chair.press_on(card.message_id, "Approve")
    with database(settings) as db:
        assert referrals.require_referral(db, ref).status == "approved"


async def test_a_press_too_old_to_answer_is_still_handled(
    api: LocalBotAPI, running: Running, pat: Person
) -> None:
    await pat.say("/start", expect="no names")
    old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    api.fail("answerCallbackQuery", 400, times=1, description=old)
    await pat.answer("I understand", "immediate risk")
