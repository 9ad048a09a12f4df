"""The chair's other buttons: Escalate grade, No review and Ask for information, end to end.

Each transcript files a referral over HTTP, works the chair's card, and checks what the chair,
the practitioner and the board group are told and what the referral and its log record.
"""

from __future__ import annotations

import datetime as dt

from flows import (
    cards,
    database,
    file_catastrophic,
    file_moderate,
    first_message,
    keyboard_becomes,
    walk,
)
from harness import BOARD, CHAIR, Person, Running, settle
from synthetic import GOOD_PRACTICE_PATH

from bot.settings import Settings
from localapi import LocalBotAPI
from storage import drafts, events, info_requests, inputs, referrals

FOUR = ["Approve", "Escalate grade", "Ask for information", "No review"]


async def test_escalate_offers_only_higher_grades_asks_why_and_raises_the_grade(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_moderate(pat, settings)
    _, card = await cards(api, ref)

    higher = ["Catastrophic", "Severe", "Significant", "← Back"]
    await chair.press_on(card.message_id, "Escalate grade")
    await keyboard_becomes(api, CHAIR, card.message_id, higher)
    await chair.press_on(card.message_id, "← Back")
    await keyboard_becomes(api, CHAIR, card.message_id, FOUR)

    await chair.press_on(card.message_id, "Escalate grade")
    await keyboard_becomes(api, CHAIR, card.message_id, higher)
    since = api.mark()
    await chair.press_on(card.message_id, "Severe")
    asked = await api.wait_for_message(CHAIR, "Why should", since=since)
    assert f"Why should {ref} be raised to Severe?" in asked.reads

    recorded = await chair.say("Two agencies missed the same warning signs.", expect="Recorded")
    assert f"Recorded: {ref} — Review approved at a higher grade." in recorded.reads

    told = await first_message(api, pat.chat_id, ref, "higher grade")
    assert "Grade: Severe (raised from Moderate)" in told.reads
    assert "Reason: Two agencies missed the same warning signs." in told.reads
    # the board notice now says the decision too: find the decision message itself
    group = await first_message(api, BOARD, f"{ref}: Review approved at a higher grade")
    assert "Grade: Severe (raised from Moderate)" in group.reads

    decided = api.message(CHAIR, card.message_id)
    assert decided is not None and decided.buttons == []
    assert "Review approved at a higher grade by Chris" in decided.reads
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert (referral.grade, referral.original_grade) == ("severe", "moderate")
        assert referral.status == "approved" and referral.decision == "escalated"
        assert referral.decision_reason == "Two agencies missed the same warning signs."
        decision = events.events_for(db, ref)[-1]
        assert decision.action == "decision" and "grade moderate -> severe" in decision.detail
        assert inputs.awaited(db, CHAIR) is None


async def test_no_review_asks_why_warns_of_a_statutory_flag_and_is_recorded(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)  # the child died: CDOP and SCR flags
    _, card = await cards(api, ref)

    since = api.mark()
    await chair.press_on(card.message_id, "No review")
    asked = await api.wait_for_message(CHAIR, "Why should", since=since)
    text = asked.reads
    assert f"Why should {ref} have no review?" in text
    assert "⚠ A statutory flag is set" in text and "Child Death Overview Panel" in text
    assert "will be reported" in text

    recorded = await chair.say("A single-agency review is already under way.", "Recorded")
    assert f"Recorded: {ref} — No review." in recorded.reads
    await settle(api)
    typed = [m for m in api.messages(CHAIR) if "already under way" in m.reads]
    assert all(m.from_bot for m in typed), "the chair's typed reason left the chat once kept"
    told = await first_message(api, pat.chat_id, ref, "No review")
    assert "Reason: A single-agency review is already under way." in told.reads
    assert "No board review will take place" in told.reads
    group = await first_message(api, BOARD, f"{ref}: No review")
    assert "statutory flag is set" in group.reads
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.status == "declined" and referral.decision == "declined"
        assert referral.decision_reason == "A single-agency review is already under way."
        assert referral.grade == "catastrophic"


async def test_a_reason_can_be_abandoned_with_cancel_and_nothing_is_recorded(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_moderate(pat, settings)
    _, card = await cards(api, ref)
    await chair.press_on(card.message_id, "Escalate grade")
    await keyboard_becomes(
        api, CHAIR, card.message_id, ["Catastrophic", "Severe", "Significant", "← Back"]
    )
    await chair.press_on(card.message_id, "Significant")
    await api.wait_for_message(CHAIR, "Why should")

    stopped = await chair.say("/cancel", expect="Stopped")
    assert f"Stopped: nothing was recorded for {ref}." in stopped.reads
    assert "Check cancelled" not in " ".join(chair.texts())
    await keyboard_becomes(api, CHAIR, card.message_id, FOUR)

    await chair.press_on(card.message_id, "Ask for information")
    await api.wait_for_message(CHAIR, "What would you like to ask")
    stopped = await chair.say("/cancel", expect="Stopped")
    assert "no question was sent" in stopped.reads
    # The next text is an ordinary message again, not a reason.
    await chair.say("Significant, because of the hospital visit.", expect="no check in progress")

    await settle(api)
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.status == "awaiting_chair" and referral.grade == "moderate"
        assert inputs.awaited(db, CHAIR) is None
        assert [e.action for e in events.events_for(db, ref)] == ["filed"]


async def test_escalating_the_highest_grade_is_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    _, card = await cards(api, ref)
    top = await chair.press_on(card.message_id, "Escalate grade")
    assert "already at the highest grade" in top
    await settle(api)
    shown = api.message(CHAIR, card.message_id)
    assert shown is not None and shown.button_texts == FOUR


async def test_ask_for_information_relays_the_question_and_the_reply_comes_back(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    _, card = await cards(api, ref)

    since = api.mark()
    await chair.press_on(card.message_id, "Ask for information")
    asked = await api.wait_for_message(CHAIR, "What would you like to ask", since=since)
    assert ref in asked.reads
    sent = await chair.say("Which agencies attended the last strategy meeting?", "has been sent")
    assert f"Your question about {ref} has been sent" in sent.reads

    relayed = await first_message(api, pat.chat_id, ref, "asks for more information")
    assert "Which agencies attended the last strategy meeting?" in relayed.reads
    with database(settings) as db:
        assert referrals.require_referral(db, ref).status == "info_requested"

    thanks = await pat.reply(relayed.message_id, "Health and police; education sent apologies.")
    assert f"passed to the board ({ref})" in thanks.reads
    answer = await first_message(api, CHAIR, ref, "the practitioner answered")
    assert "Health and police; education sent apologies." in answer.reads
    with database(settings) as db:
        assert referrals.require_referral(db, ref).status == "awaiting_chair"
        assert inputs.awaited(db, pat.user_id) is None

    assert "Approved" in await chair.press_on(card.message_id, "Approve")
    await first_message(api, pat.chat_id, ref, "Review approved")
    with database(settings) as db:
        actions = [e.action for e in events.events_for(db, ref)]
        assert actions == ["filed", "status", "question", "answer", "status", "decision"]


async def test_a_plain_message_answers_the_board_unless_a_check_is_waiting_for_text(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    _, card = await cards(api, ref)
    await chair.press_on(card.message_id, "Ask for information")
    await api.wait_for_message(CHAIR, "What would you like to ask")
    await chair.say("Was a strategy meeting held?", "has been sent")
    await first_message(api, pat.chat_id, ref, "asks for more information")

    # A new check at its description: plain text answers the check, not the board.
    await pat.say("/start", expect="no names")
    await walk(pat, GOOD_PRACTICE_PATH)
    await pat.press("Health")
    await pat.answer("Done", "describe")
    await pat.say("Good joint working between school and health.", expect="case reference")
    with database(settings) as db:
        assert info_requests.questions_for(db, ref)[0].answer is None
        draft = drafts.load_draft(db, pat.user_id, dt.datetime.now(dt.UTC), 72)
        assert draft is not None and draft.answers["describe"].startswith("Good joint working")

    # The check is at a button question now: a plain message goes to the board.
    await pat.answer("Skip", "submit")
    thanks = await pat.say("Yes, on the 3rd, with police and health.")
    assert f"passed to the board ({ref})" in thanks.reads
    answer = await first_message(api, CHAIR, ref, "the practitioner answered")
    assert "Yes, on the 3rd, with police and health." in answer.reads


async def test_with_two_open_questions_each_reply_reaches_its_own_referral(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    first = await file_moderate(pat, settings)
    second = await file_moderate(pat, settings)
    for ref, text in ((first, "Who took the child to hospital?"), (second, "Was school told?")):
        _, card = await cards(api, ref)
        await chair.press_on(card.message_id, "Ask for information")
        await api.wait_for_message(CHAIR, "What would you like to ask")
        await chair.say(text, expect="has been sent")
    asked_first = await first_message(api, pat.chat_id, first, "asks for more information")
    await first_message(api, pat.chat_id, second, "asks for more information")

    # Replying to the first question answers it, however the messages arrived.
    thanks = await pat.reply(asked_first.message_id, "A neighbour drove them.")
    assert f"({first})" in thanks.reads
    # A plain message then answers the one still open.
    thanks = await pat.say("Yes, the head teacher was told the next day.")
    assert f"({second})" in thanks.reads
    late = await pat.reply(asked_first.message_id, "Also the ambulance was not called.")
    assert "That question has already been answered." in late.reads
    with database(settings) as db:
        assert info_requests.questions_for(db, first)[0].answer == "A neighbour drove them."
        assert info_requests.questions_for(db, second)[0].answer.startswith("Yes, the head teacher")
        assert referrals.require_referral(db, first).status == "awaiting_chair"
        assert referrals.require_referral(db, second).status == "awaiting_chair"
        assert inputs.awaited(db, pat.user_id) is None


async def test_approving_while_a_reason_is_awaited_forgets_the_reason(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_moderate(pat, settings)
    _, card = await cards(api, ref)
    await chair.press_on(card.message_id, "No review")
    await api.wait_for_message(CHAIR, "Why should")
    assert "Approved" in await chair.press_on(card.message_id, "Approve")
    with database(settings) as db:
        assert inputs.awaited(db, CHAIR) is None
    later = await chair.say("Thanks all.")
    assert "already decided" not in later.reads
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.decision == "approved" and referral.decision_reason is None
