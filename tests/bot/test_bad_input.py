"""The bad input catalogue: what a practitioner (or anyone) can throw at the bot, and the answer
they see. For each: a clear message, nothing stored of it, nothing lost (the check carries on).

Kinds covered (at least one test each): every non-text message type the Bot API server can
inject, at a button question, at a text question and with no check; a caption carrying an
identifier; text over the description, case-reference and Telegram limits; empty, whitespace,
and invisible-only text; zero-width and right-to-left characters; HTML and Markdown injection;
commands mid-flow; unknown commands; edited messages; group messages from non-officers; the bot
added to an unknown group; `/start` with bad codes; garbage and replayed callback data; presses
on an old conversation's messages; a flood of 50 messages and of 50 presses.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from flows import database, register, walk
from harness import BOARD, OFFICER, STRANGER, Person, Running, settle
from synthetic import GOOD_PRACTICE_PATH

from bot.settings import Settings
from localapi import LocalBotAPI
from localapi.injection import MEDIA_KINDS
from storage import drafts, events, inputs, referrals

NOT_ACCEPTED = "I cannot accept photos, files, voice notes, stickers, locations, contacts or polls"
TO_DESCRIBE = GOOD_PRACTICE_PATH


def draft_of(settings: Settings, user_id: int) -> tuple[str, dict[str, object]] | None:
    """(state, answers) of the user's draft, or None."""
    with database(settings) as db:
        draft = drafts.load_draft(db, user_id, dt.datetime.now(dt.UTC), 72)
        return None if draft is None else (draft.state, dict(draft.answers))


async def to_describe(pat: Person, settings: Settings) -> None:
    """Register and answer a good-practice check up to the description (a text question)."""
    await register(pat, settings)
    await walk(pat, TO_DESCRIBE)
    await pat.press("Health")
    await pat.answer("Done", "describe")


async def to_reference(pat: Person, settings: Settings) -> None:
    """Up to the case reference (a text question with a Skip button)."""
    await to_describe(pat, settings)
    await pat.say("Joint working between school and health was quick.", expect="case reference")


def assert_all_calls_accepted(api: LocalBotAPI) -> None:
    """Telegram refused nothing the bot sent (no BadRequest from markup or length)."""
    refused = [(c.method, c.status, c.response) for c in api.calls() if c.status != 200]
    assert refused == []


# -- every non-text message ----------------------------------------------------------------


@pytest.mark.parametrize("kind", MEDIA_KINDS)
async def test_a_non_text_message_is_refused_at_a_button_and_at_a_text_question(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, kind: str
) -> None:
    none_yet = await pat.send_media(kind)
    assert NOT_ACCEPTED in none_yet.reads and "Send /start" in none_yet.reads

    await register(pat, settings)
    at_button = await pat.send_media(kind)
    assert NOT_ACCEPTED in at_button.reads
    assert "Please answer with the buttons on the question above." in at_button.reads
    assert draft_of(settings, pat.user_id) == ("privacy", {})
    await walk(pat, TO_DESCRIBE)
    await pat.press("Health")
    await pat.answer("Done", "describe")
    before = draft_of(settings, pat.user_id)

    at_text = await pat.send_media(kind)
    assert NOT_ACCEPTED in at_text.reads
    assert "Please type your answer as text." in at_text.reads
    assert draft_of(settings, pat.user_id) == before
    # Nothing lost: the description is still asked for and accepted.
    await pat.say("Good joint working.", expect="case reference")
    assert api.calls("getFile") == []  # nothing of it was even fetched
    assert_all_calls_accepted(api)


async def test_a_caption_is_not_read_or_kept(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, tmp_path: Path
) -> None:
    await to_reference(pat, settings)
    since = api.mark()
    api.send_media(pat.user_id, "photo", caption="Case notes NHS 943 476 5919, call 07700 900123")
    refused = await api.wait_for_message(pat.chat_id, since=since)
    assert "Please type your answer as text, or press Skip." in refused.reads
    await settle(api)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"943 476 5919" not in path.read_bytes()
    assert draft_of(settings, pat.user_id) is not None
    assert draft_of(settings, pat.user_id)[0] == "reference"  # type: ignore[index]


async def test_a_chair_sending_a_photo_for_a_reason_is_asked_to_type_it(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    from flows import cards, file_moderate

    ref = await file_moderate(pat, settings)
    _, card = await cards(api, ref)
    await chair.press_on(card.message_id, "No review")
    await api.wait_for_message(chair.chat_id, "Why should")
    refused = await chair.send_media("voice")
    assert "Please type your answer as text." in refused.reads
    recorded = await chair.say("Handled by a single-agency review.", expect="Recorded")
    assert "No review" in recorded.reads


# -- text that does not fit ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("x" * 2001, "That is 2001 characters long; the limit here is 2000."),
        ("y" * 4096, "That is 4096 characters long; the limit here is 2000."),
        ("   ", "There is no text in that message. Please type your answer."),
        ("\n\t \n", "There is no text in that message. Please type your answer."),
        ("\u200b\u200c\u200d\u2060", "There is no text in that message."),
        ("\u202e\u202d\u200f\u200e", "There is no text in that message."),
    ],
    ids=["over-2000", "telegram-max-4096", "spaces", "blank-lines", "zero-width-only", "bidi-only"],
)
async def test_a_description_that_does_not_fit_is_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, text: str, answer: str
) -> None:
    await to_describe(pat, settings)
    before = draft_of(settings, pat.user_id)
    refused = await pat.say(text)
    assert answer in refused.reads
    assert draft_of(settings, pat.user_id) == before
    await pat.say("Quick, shared assessment.", expect="case reference")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("R" * 61, "That is 61 characters long; the limit here is 60."),
        ("  ", "There is no text in that message. Please type your answer, or press Skip."),
    ],
    ids=["over-60", "blank"],
)
async def test_a_case_reference_that_does_not_fit_is_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, text: str, answer: str
) -> None:
    await to_reference(pat, settings)
    refused = await pat.say(text)
    assert answer in refused.reads
    summary = await pat.say("skip", expect="submit")
    assert "Case reference: not given" in summary.reads


async def test_text_at_a_button_question_points_to_the_buttons(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    told = await pat.say("Yes")
    assert "Please use the buttons on the question above." in told.reads
    assert draft_of(settings, pat.user_id) == ("privacy", {})


# -- invisible and direction characters, and markup ------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Seen\u200b by\u200d the\u2060 GP", "Seen by the GP"),
        ("\u202eevil\u202c text", "evil text"),
        ("\u200fRTL\u200e marks", "RTL marks"),
        ("\ufeffBOM first", "BOM first"),
        ("NHS 943\u200b476\u200b5919 hidden", "NHS [REDACTED] hidden"),
        ("<b>x</b>", "<b>x</b>"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("Fish &amp; chips & more", "Fish &amp; chips & more"),
        ("*bold* _italic_ `code` [link](http://example.org)", None),
        ("</blockquote><b>unclosed", "</blockquote><b>unclosed"),
    ],
    ids=[
        "zero-width",
        "rtl-override",
        "rtl-marks",
        "bom",
        "hidden-nhs-number",
        "html-bold",
        "html-script",
        "entities",
        "markdown",
        "html-unbalanced",
    ],
)
async def test_free_text_is_cleaned_and_shown_as_text(
    api: LocalBotAPI,
    running: Running,
    settings: Settings,
    pat: Person,
    typed: str,
    stored: str | None,
) -> None:
    stored = typed if stored is None else stored
    await to_describe(pat, settings)
    await pat.say(typed, expect="case reference")
    state = draft_of(settings, pat.user_id)
    assert state is not None and state[1]["describe"] == stored
    summary = await pat.answer("Skip", "submit")
    assert f"Description: {stored}" in summary.reads  # shown as typed, not as markup
    answered = next(m for m in api.bot_messages(pat.chat_id) if "describe" in m.reads)
    assert stored in answered.reads
    assert_all_calls_accepted(api)


async def test_markup_in_free_text_reaches_the_chair_and_board_as_text(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    from flows import cards, submit

    await register(pat, settings)
    await walk(pat, TO_DESCRIBE)
    await pat.press("Health")
    await pat.answer("Done", "describe")
    await pat.say("<i>Worked</i> well & <a href='x'>fast</a>", expect="case reference")
    await pat.say("<b>REF</b>&amp;1", expect="submit")
    ref = await submit(pat)
    _, card = await cards(api, ref)
    assert "<i>Worked</i> well & <a href='x'>fast</a>" in card.reads
    assert "Case reference: <b>REF</b>&amp;1" in card.reads
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.description == "<i>Worked</i> well & <a href='x'>fast</a>"
    assert_all_calls_accepted(api)


# -- commands ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/foo", "I do not know that command. Try /start, /back, /cancel, /help or /privacy."),
        ("/delete_everything", "I do not know that command."),
        ("/start_over", "I do not know that command."),
        ("/help_me please", "I do not know that command."),
        ("/queue", "/queue works only in the board officers' group."),
        ("/case LIR-2024-0001", "/case works only in the board officers' group."),
    ],
)
async def test_an_unknown_command_is_answered_and_the_check_carries_on(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, command: str, answer: str
) -> None:
    await register(pat, settings)
    await walk(pat, [("I understand", "immediate risk")])
    told = await pat.say(command)
    assert answer in told.reads
    assert draft_of(settings, pat.user_id) == ("immediate", {"privacy": "ok"})
    await walk(pat, [("No", "good practice")])


async def test_start_mid_check_begins_again_and_retires_the_old_question(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    old = await pat.answer("I understand", "immediate risk")
    since = api.mark()
    api.send_text(pat.user_id, "/start")
    await pat.question("no names", since, besides=old.message_id)
    retired = api.message(pat.chat_id, old.message_id)
    assert retired is not None and retired.buttons == []
    assert draft_of(settings, pat.user_id) == ("privacy", {})


@pytest.mark.parametrize(
    ("argument", "answer"),
    [
        ("<b>x</b>", "cannot be used"),
        ("A" * 300, "cannot be used"),
        ("'; DROP TABLE invites;--", "cannot be used"),
        ("\u200b", "cannot be used"),
    ],
    ids=["html", "very-long", "sql", "zero-width"],
)
async def test_start_with_a_malformed_code_is_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, argument: str, answer: str
) -> None:
    refused = await pat.say(f"/start {argument}", expect="invite code")
    assert answer in refused.reads
    await pat.question("no names", 0)
    assert_all_calls_accepted(api)


# -- edits -------------------------------------------------------------------------------------


async def test_an_edited_answer_is_not_read(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await to_describe(pat, settings)
    await pat.say("Good joint working.", expect="case reference")
    typed = pat.sent_last()
    told = await pat.edit(typed.message_id, "Changed to include NHS 943 476 5919")
    assert "I do not read edits" in told.reads
    state = draft_of(settings, pat.user_id)
    assert state is not None and state[1]["describe"] == "Good joint working."
    await pat.answer("Skip", "submit")


# -- groups --------------------------------------------------------------------------------------


async def test_the_bot_stays_quiet_at_plain_messages_in_groups(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    since = api.mark()
    api.send_text(STRANGER, "hello bot, can you help?", BOARD)
    api.send_text(OFFICER, "morning all", BOARD)
    api.send_media(STRANGER, "photo", BOARD)
    api.send_text(STRANGER, "anyone?", -4242)
    await settle(api)
    assert api.calls("sendMessage", chat_id=BOARD, since=since) == []
    assert api.calls("sendMessage", chat_id=-4242, since=since) == []


async def test_added_to_an_unknown_group_the_bot_says_so_and_leaves(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    since = api.mark()
    api.add_bot_to_group(-777, STRANGER, title="Family chat")
    told = await api.wait_for_message(-777, "only in the Safeguarding Children Board", since=since)
    assert "/start" in told.reads
    left = await api.wait_for_call("leaveChat", since=since)
    assert left.params["chat_id"] == -777

    since = api.mark()
    api.add_bot_to_group(BOARD, OFFICER)
    await settle(api)
    assert api.calls("leaveChat", since=since) == []
    assert api.calls("sendMessage", chat_id=BOARD, since=since) == []


# -- buttons -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    ["", "x", "q:", "c:", "q:1:2:3", "c:LIR-1:approve", "q:zzzzzzzz:privacy:ok", "é" * 32, "::::"],
)
async def test_garbage_callback_data_is_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, data: str
) -> None:
    question = await pat.say("/start", expect="no names")
    answer = await pat.alert(question.message_id, data)
    assert answer.show_alert and answer.text == "That button is not valid."
    assert draft_of(settings, pat.user_id) == ("privacy", {})
    shown = api.message(pat.chat_id, question.message_id)
    assert shown is not None and shown.button_texts == ["I understand"]


async def test_a_replayed_press_is_refused_and_changes_nothing(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await walk(pat, [("I understand", "immediate risk")])
    question, data = api.find_button(pat.chat_id, "Yes")
    first = await pat.alert(question, data)
    assert not first.show_alert
    await pat.question("good practice", 0)
    again = await pat.alert(question, data)  # the same press, replayed
    assert again.show_alert and "earlier question" in again.reads
    state = draft_of(settings, pat.user_id)
    assert state == ("kind", {"privacy": "ok", "immediate": "yes"})
    urgent = [t for t in pat.texts() if t.startswith("URGENT")]
    assert len(urgent) == 1  # the escalation contacts are shown once


async def test_a_press_on_an_old_conversation_is_refused_and_its_buttons_go(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    old = await pat.answer("I understand", "immediate risk")
    await pat.say("/cancel", expect="cancelled")
    old_data = old.buttons[0].callback_data
    assert old_data is not None
    await pat.say("/start", expect="no names")
    answer = await pat.alert(old.message_id, old_data)
    assert answer.show_alert and "check that has ended" in answer.reads
    assert draft_of(settings, pat.user_id) == ("privacy", {})
    await settle(api)
    retired = api.message(pat.chat_id, old.message_id)
    assert retired is not None and retired.buttons == []


# -- floods --------------------------------------------------------------------------------------


async def test_a_flood_of_100_messages_is_taken_up_to_the_burst_and_the_bot_keeps_up(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await to_describe(pat, settings)
    since = api.mark()
    for n in range(100):
        api.send_text(pat.user_id, f"Message number {n} about the case.")
    await settle(api, timeout=30.0)
    replies = [m for m in api.bot_messages(pat.chat_id) if m.seq > since]
    pointed = [m for m in replies if "Please use the buttons" in m.reads]
    slowed = [m for m in replies if "faster than I can take them" in m.reads]
    # The first answered the description, the second the reference, the next were pointed to
    # the buttons until the flood guard's burst ran out; the rest were dropped, said once.
    assert 0 < len(pointed) < 98 and len(slowed) == 1
    state = draft_of(settings, pat.user_id)
    assert state is not None and state[0] == "confirm"
    assert state[1]["describe"] == "Message number 0 about the case."
    assert state[1]["reference"] == "Message number 1 about the case."
    await asyncio.sleep(1.0)  # a moment later the bucket has refilled: they are heard again
    await pat.say("/help", expect="How this works")
    assert_all_calls_accepted(api)


async def test_50_texts_in_a_second_at_a_button_question_get_one_reminder(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    """A burst of texts at a button question is reminded of the buttons once (not once a text)
    until the person presses something; the check goes on from the same question."""
    await register(pat, settings)
    since = api.mark()
    for n in range(50):
        api.send_text(pat.user_id, f"Hello {n}")
    await settle(api, timeout=30.0)
    replies = [m for m in api.bot_messages(pat.chat_id) if m.seq > since]
    assert len(replies) <= 3, [m.reads for m in replies]
    assert sum("Please use the buttons" in m.reads for m in replies) == 1
    assert draft_of(settings, pat.user_id) == ("privacy", {})
    await asyncio.sleep(1.0)  # the flood guard's bucket refills
    await pat.press("I understand")
    state = draft_of(settings, pat.user_id)
    assert state is not None and state[0] != "privacy"  # the check went on from that question
    told = await pat.say("Hello again")  # after a press, a stray text is reminded again
    assert "Please use the buttons on the question above." in told.reads


async def test_30_submit_presses_at_once_file_one_referral(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await to_reference(pat, settings)
    summary = await pat.answer("Skip", "submit")
    _, data = api.find_button(pat.chat_id, "Submit to the board", message_id=summary.message_id)
    # 30 at once: within the flood guard's burst (beyond it they would be dropped unanswered)
    presses = [api.press(pat.user_id, pat.chat_id, summary.message_id, data) for _ in range(30)]
    answers = await asyncio.gather(*(pat.answer_of(p, 30.0) for p in presses))
    assert sum(1 for a in answers if not a.show_alert) == 1
    assert all("check that has ended" in a.reads for a in answers if a.show_alert)
    await settle(api)
    with database(settings) as db:
        assert len(referrals.referrals_for(db, pat.user_id)) == 1
        assert inputs.awaited(db, pat.user_id) is None
    await api.wait_for_message(pat.chat_id, "received", since=0)


# -- text typed to the board (not to the check) ----------------------------------------------

HIDDEN_NHS = "943\u200b476\u200b5919"  # an NHS number with zero-width spaces in it


async def test_typed_words_for_the_board_are_cleaned_limited_and_redacted(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    from flows import cards, file_moderate, first_message

    ref = await file_moderate(pat, settings)
    _, card = await cards(api, ref)
    await chair.press_on(card.message_id, "Ask for information")
    await api.wait_for_message(chair.chat_id, "What would you like to ask")
    await chair.say(f"Is NHS {HIDDEN_NHS} the\u202e right child?", expect="has been sent")
    asked = await first_message(api, pat.chat_id, ref, "asks for more information")
    assert "NHS [REDACTED] the right child?" in asked.reads

    too_long = await pat.reply(asked.message_id, "z" * 2001)
    assert "the limit is 2000" in too_long.reads
    blank = await pat.reply(asked.message_id, "\u200b \u200d")
    assert "has no text" in blank.reads
    thanks = await pat.reply(asked.message_id, f"No, NHS {HIDDEN_NHS} is a sibling.", "Thank")
    assert "NHS number" in " ".join(pat.texts()[-2:])  # told what was removed
    assert f"({ref})" in thanks.reads
    answer = await first_message(api, chair.chat_id, ref, "the practitioner answered")
    assert "No, NHS [REDACTED] is a sibling." in answer.reads

    await chair.press_on(card.message_id, "No review")
    await api.wait_for_message(chair.chat_id, "Why should")
    refused = await chair.say("r" * 1001)
    assert "the limit is 1000" in refused.reads
    blank = await chair.say("\u2060\u200b")
    assert "has no text" in blank.reads
    await chair.say(f"Sibling NHS {HIDDEN_NHS} is already known.", expect="Recorded")
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.decision_reason == "Sibling NHS [REDACTED] is already known."
        assert "5919" not in " ".join(e.detail for e in events.events_for(db, ref))


# -- the longest referral there can be -----------------------------------------------------

EVERYTHING = [
    ("I understand", "immediate risk"),
    ("Yes", "good practice"),
    ("A concern", "abuse or neglect"),
    ("Known", "died"),
    ("No", "seriously harmed"),
    ("Yes", "injury"),
    ("Admitted to hospital over 24 hours", "permanent disability"),
    ("Yes", "sexual abuse"),
    ("Yes", "domestic homicide"),
    ("Yes", "self-harm"),
    ("Yes", "charged with neglect"),
    ("Yes", "missing education"),
    ("Yes", "child protection plan"),
]


async def test_the_longest_referral_reaches_the_chair_and_its_decided_card_still_fits(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    from flows import cards, submit

    await register(pat, settings)
    await walk(pat, EVERYTHING)
    for label in ("Child protection plan", "Child in need", "Significant services"):
        await pat.press(label)
    await walk(pat, [("Done", "worked together"), ("Cause for concern", "standards")])
    await pat.answer("Professional or statutory", "agencies")
    for agency in ("Children's social care", "Health", "Police", "Education", "Voluntary sector"):
        await pat.press(agency)
    await pat.answer("Done", "describe")
    await pat.say(("A long & detailed account <of> events. " * 60)[:2000], "case reference")
    await pat.say("C" * 60, expect="submit")
    ref = await submit(pat)
    _, card = await cards(api, ref)
    assert card.reads.startswith("URGENT") and ref in card.reads
    await chair.press_on(card.message_id, "No review")
    await api.wait_for_message(chair.chat_id, "Why should")
    await chair.say("Reason " + "r" * 993, expect="Recorded")
    await settle(api)
    decided = api.message(chair.chat_id, card.message_id)
    assert decided is not None and decided.buttons == []
    text = decided.reads
    assert f"Decision needed: {ref}" in text and "No review by Chris" in text
    assert "Reason " + "r" * 993 in text
    assert len(text) <= 4096
    assert_all_calls_accepted(api)


# -- what the practitioner typed leaves the chat (SPEC §8) ---------------------------------------


async def test_a_typed_description_is_deleted_and_the_kept_text_shown_in_its_place(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await to_describe(pat, settings)
    typed = "Seen at home on 01/02/2015, carer on 07700 900123; school raised it."
    await pat.say(typed, expect="case reference")
    await settle(api)
    mine = [m for m in api.messages(pat.chat_id) if m.sender_id == pat.user_id]
    assert all("07700" not in m.reads for m in mine), "the typed message is gone"
    answered = [m for m in api.bot_messages(pat.chat_id) if "this is what is kept" in m.reads]
    assert len(answered) == 1
    assert "[REDACTED]" in answered[0].reads and "07700" not in answered[0].reads
    assert api.calls("deleteMessage", chat_id=pat.chat_id)


async def test_when_the_typed_message_cannot_be_deleted_they_are_asked_to(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await to_describe(pat, settings)
    api.fail("deleteMessage", status=400, description="Bad Request: message can't be deleted")
    await pat.say("Joint working between school and health was quick.", expect="case reference")
    await settle(api)
    assert any("Please delete it yourself" in t for t in pat.texts())
    draft = draft_of(settings, pat.user_id)
    assert draft is not None and draft[1]["describe"].startswith("Joint working")
