"""Telegram failing in the middle of a practitioner's answer: nothing is lost or half done.

A press saves the answer and edits the check's message into the next question; after typed
text or the urgent notice the bot marks the question answered and sends the next one. When
Telegram fails on the way, the answer is undone and the question keeps (or gets back) its
buttons, so pressing again (or typing again) simply works.
"""

from __future__ import annotations

import datetime as dt

from flows import database, register, walk
from harness import Person, Running, settle
from synthetic import GOOD_PRACTICE_PATH

from bot.settings import Settings
from localapi import LocalBotAPI
from storage import drafts


def draft_state(settings: Settings, user_id: int) -> tuple[str, dict[str, object]]:
    """(state, answers) of the user's draft."""
    with database(settings) as db:
        draft = drafts.load_draft(db, user_id, dt.datetime.now(dt.UTC), 72)
        assert draft is not None
        return draft.state, dict(draft.answers)


async def test_when_the_next_question_cannot_be_shown_the_answer_can_be_given_again(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    question = await pat.answer("I understand", "immediate risk")
    api.fail("editMessageText", 500, times=1, chat_id=pat.chat_id)
    sorry = await pat.press("No", expect="Sorry")
    assert "try again" in sorry.reads
    assert draft_state(settings, pat.user_id) == ("immediate", {"privacy": "ok"})
    shown = api.message(pat.chat_id, question.message_id)
    assert shown is not None and shown.button_texts == ["Yes", "No"]
    assert "immediate risk" in shown.reads and "Immediate risk:" not in shown.reads

    again = await pat.answer("No", "good practice")
    assert again.button_texts == ["A concern", "Good practice"]
    assert draft_state(settings, pat.user_id)[0] == "kind"


async def test_a_lost_urgent_notice_is_shown_when_the_answer_is_given_again(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await pat.answer("I understand", "immediate risk")
    api.fail("sendMessage", 500, times=1, chat_id=pat.chat_id)
    await pat.press("Yes", expect="Sorry")
    assert draft_state(settings, pat.user_id) == ("immediate", {"privacy": "ok"})
    since = api.mark()
    await pat.answer("Yes", "good practice")
    urgent = await api.wait_for_message(pat.chat_id, "URGENT", since=since)
    assert "MASH duty desk" in urgent.reads


async def test_a_typed_description_that_cannot_be_confirmed_is_not_half_kept(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await walk(pat, GOOD_PRACTICE_PATH)
    await pat.press("Health")
    await pat.answer("Done", "describe")
    api.fail("sendMessage", 500, times=1, chat_id=pat.chat_id)
    await pat.say("Joint working was quick.", expect="Sorry")
    assert draft_state(settings, pat.user_id)[0] == "describe"
    assert "describe" not in draft_state(settings, pat.user_id)[1]
    await pat.say("Joint working was quick.", expect="case reference")
    assert draft_state(settings, pat.user_id)[1]["describe"] == "Joint working was quick."


async def test_when_even_the_question_cannot_be_restored_the_next_message_shows_it(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    question = await pat.answer("I understand", "immediate risk")
    # The urgent notice (a new message) fails late; meanwhile edits start failing too.
    api.delay("sendMessage", 0.3, times=1, status=500, chat_id=pat.chat_id)
    since = api.mark()
    api.press_button(pat.user_id, pat.chat_id, "Yes")
    await api.wait_for_call("editMessageText", chat_id=pat.chat_id, since=since, ok=True)
    api.fail("editMessageText", 500, times=1, chat_id=pat.chat_id)
    await api.wait_for_message(pat.chat_id, "Sorry", since=since)
    stranded = api.message(pat.chat_id, question.message_id)
    assert stranded is not None and stranded.buttons == []  # the screen shows no question
    assert draft_state(settings, pat.user_id) == ("immediate", {"privacy": "ok"})

    shown = await pat.say("hello?", expect="immediate risk")
    assert shown.button_texts == ["Yes", "No"] and shown.message_id != question.message_id
    await pat.answer("No", "good practice")


async def test_a_tick_that_cannot_be_drawn_is_not_kept(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await walk(pat, GOOD_PRACTICE_PATH)
    api.fail("editMessageText", 500, times=1, chat_id=pat.chat_id)
    await pat.press("Police", expect="Sorry")
    assert "agencies" not in draft_state(settings, pat.user_id)[1]
    await settle(api)
    message_id, _ = api.find_button(pat.chat_id, "Police")
    agencies = api.message(pat.chat_id, message_id)
    assert agencies is not None and "✓ Police" not in agencies.button_texts
    await pat.press("Police")
    await pat.answer("Done", "describe")
    assert draft_state(settings, pat.user_id)[1]["agencies"] == ["Police"]
