"""Only the chair decides: presses by anyone else, second presses and forged buttons change nothing.

Each transcript files a real referral over HTTP, then presses the decision card's buttons (or
their callback data, as a forger would send it) and checks the answer shown, the cards, the
referral and its event log.
"""

from __future__ import annotations

import datetime as dt

from flows import cards, database, file_catastrophic, file_moderate, regrade_behind
from harness import BOARD, CHAIR, OFFICER, SECOND_CHAIR, STRANGER, Bots, Person, Running, settle

from bot.delivery import keyboards
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import drafts, events, inputs, referrals

DECISION_BUTTONS = ["Approve", "Escalate grade", "Ask for information", "No review"]


def approve_data(card_buttons: list[str | None]) -> str:
    """The callback data of the card's Approve button."""
    data = card_buttons[0]
    assert data is not None and data.endswith(":approve"), data
    return data


async def test_a_stranger_and_an_officer_pressing_the_chairs_button_are_refused_and_logged(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, stranger: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    notice, card = await cards(api, ref)
    approve = approve_data([b.callback_data for b in card.buttons])

    # A stranger copies the Approve button's data into a press in their own chat.
    own = await stranger.say("/help", expect="How this works")
    answer = await stranger.alert(own.message_id, approve)
    assert answer.show_alert
    assert "Only the independent chair" in answer.reads

    # An officer presses it on the board notice in the group.
    officer = Person(api, OFFICER, BOARD)
    answer = await officer.alert(notice.message_id, approve)
    assert answer.show_alert and "Only the independent chair" in answer.reads

    await settle(api)
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.status == "awaiting_chair" and referral.decided_by is None
        refused = [e for e in events.events_for(db, ref) if e.action == "refused"]
        assert [(e.actor, e.detail) for e in refused] == [
            (str(STRANGER), "non-chair pressed approve"),
            (str(OFFICER), "non-chair pressed approve"),
        ]
    still = api.message(CHAIR, card.message_id)
    assert still is not None and still.button_texts == DECISION_BUTTONS
    assert not [m for m in api.bot_messages(pat.chat_id) if "approved" in m.reads]


async def test_a_second_press_after_the_decision_is_told_who_decided_and_when(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    _, card = await cards(api, ref)
    approve = approve_data([b.callback_data for b in card.buttons])
    assert "Approved" in await chair.press_on(card.message_id, "Approve")

    again = await chair.alert(card.message_id, approve)
    assert again.show_alert
    assert f"{ref} was already decided: Review approved by you on " in again.reads
    assert "UTC" in again.reads
    await settle(api)
    with database(settings) as db:
        assert [e.action for e in events.events_for(db, ref)] == ["filed", "decision"]
    told = [m for m in api.bot_messages(pat.chat_id) if "Review approved" in m.reads]
    assert len(told) == 1
    # The chair's name came with the press and is kept with the event: Telegram is never
    # asked for it (no getChat per decision or per card refresh).
    assert api.calls("getChat") == []


async def test_with_two_chairs_the_late_one_is_told_and_both_cards_lose_their_buttons(
    api: LocalBotAPI, bots: Bots, pat: Person, chair: Person
) -> None:
    settings = bots.settings(CHAIR_USER_IDS=f"{CHAIR},{SECOND_CHAIR}")
    await bots.start(settings)
    second = Person(api, SECOND_CHAIR)
    ref = await file_catastrophic(pat, settings)
    _, card = await cards(api, ref, CHAIR)
    _, second_card = await cards(api, ref, SECOND_CHAIR)
    assert second_card.button_texts == DECISION_BUTTONS

    assert "Approved" in await chair.press_on(card.message_id, "Approve")
    late = await second.alert(
        second_card.message_id, approve_data([b.callback_data for b in second_card.buttons])
    )
    assert late.show_alert
    assert f"{ref} was already decided: Review approved by Chris on " in late.reads

    for chair_id, message_id in ((CHAIR, card.message_id), (SECOND_CHAIR, second_card.message_id)):
        shown = api.message(chair_id, message_id)
        assert shown is not None and shown.buttons == []
        assert "Review approved by Chris" in shown.reads
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.decided_by == CHAIR
        assert [e.action for e in events.events_for(db, ref)] == ["filed", "decision"]


async def test_forged_callback_data_is_refused_and_changes_nothing(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    _, card = await cards(api, ref)
    own = await pat.say("/help", expect="How this works")

    forged = [
        (chair, card.message_id, "garbage", "not valid"),
        (chair, card.message_id, "", "not valid"),
        (chair, card.message_id, "c:LIR-2099-9999:approve", "not valid"),
        (chair, card.message_id, f"c:{ref}:delete", "not valid"),
        (chair, card.message_id, f"c:{ref}:approve:x:y", "not valid"),
        (chair, card.message_id, f"c:{ref}:grade:low", "not above"),
        (chair, card.message_id, f"c:{ref}:grade:catastrophic", "not above"),
        (chair, card.message_id, f"c:{ref}:grade:nonsense", "not above"),
        (pat, own.message_id, "q:deadbeef:immediate:yes", "check that has ended"),
        (pat, own.message_id, "q:zz:immediate:yes", "not valid"),
        (pat, own.message_id, "p:" + "x" * 70, "not valid"),
    ]
    for person, message_id, data, expected in forged:
        answer = await person.alert(message_id, data)
        assert answer.show_alert, data
        assert expected in answer.reads, (data, answer.text)

    await settle(api)
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.status == "awaiting_chair" and referral.grade == "catastrophic"
        assert [e.action for e in events.events_for(db, ref)] == ["filed"]
    still = api.message(CHAIR, card.message_id)
    assert still is not None and still.button_texts == DECISION_BUTTONS


async def test_forged_answers_in_a_live_check_are_refused_and_change_nothing(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    question = await pat.say("/start", expect="no names")
    real = question.buttons[0].callback_data
    assert real is not None and real.startswith("q:")
    _, draft, _, _ = real.split(":")

    for data, expected in [
        (f"q:{draft}:privacy:maybe", "not one of the answers"),
        (f"q:{draft}:immediate:yes", "earlier question"),
        ("q:00000000:privacy:ok", "check that has ended"),
    ]:
        answer = await pat.alert(question.message_id, data)
        assert answer.show_alert and expected in answer.reads, (data, answer.text)

    await settle(api)
    with database(settings) as db:
        stored = drafts.load_draft(db, pat.user_id, dt.datetime.now(dt.UTC), 72)
        assert stored is not None and stored.state == "privacy" and dict(stored.answers) == {}
    shown = api.message(pat.chat_id, question.message_id)
    assert shown is not None and shown.button_texts == ["I understand"]


async def test_a_chair_cannot_escalate_to_a_grade_that_is_not_higher(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_moderate(pat, settings)
    _, card = await cards(api, ref)
    for grade in ("moderate", "low", "best_practice"):
        answer = await chair.alert(card.message_id, f"c:{ref}:grade:{grade}")
        assert answer.show_alert and "not above" in answer.reads
    await settle(api)
    with database(settings) as db:
        assert referrals.require_referral(db, ref).grade == "moderate"
        assert inputs.awaited(db, CHAIR) is None


async def test_buttons_carried_into_another_chat_are_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    notice, card = await cards(api, ref)
    question = await pat.say("/start", expect="no names")
    real = question.buttons[0].callback_data
    assert real is not None

    # The practitioner's own answer, pressed on the board notice in the group.
    in_group = Person(api, pat.user_id, BOARD)
    answer = await in_group.alert(notice.message_id, real)
    assert answer.show_alert and answer.text == "That button is not valid."
    # The chair's Escalate, pressed on the board notice in the group.
    in_group = Person(api, CHAIR, BOARD)
    answer = await in_group.alert(notice.message_id, f"c:{ref}:escalate")
    assert answer.show_alert and answer.text == "That button is not valid."

    await settle(api)
    with database(settings) as db:
        draft = drafts.load_draft(db, pat.user_id, dt.datetime.now(dt.UTC), 72)
        assert draft is not None and draft.state == "privacy"
        assert referrals.require_referral(db, ref).status == "awaiting_chair"
    shown = api.message(pat.chat_id, question.message_id)
    assert shown is not None and shown.button_texts == ["I understand"]
    assert api.calls("editMessageReplyMarkup", chat_id=BOARD) == []
    still = api.message(CHAIR, card.message_id)
    assert still is not None and still.button_texts == DECISION_BUTTONS


async def test_group_buttons_forged_in_a_private_chat_are_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    """A queue page or a plan answer counts only on a message in the board group: the same
    data pressed by an officer in their private chat does nothing."""
    ref = await file_catastrophic(pat, settings)
    officer = Person(api, OFFICER, OFFICER)
    own = await officer.say("/start", expect="no names")
    for data in ("g:0", f"p:{ref}:methodology:scie"):
        answer = await officer.alert(own.message_id, data)
        assert answer.show_alert and answer.text == "That button is not valid."
    await settle(api)
    shown = api.message(OFFICER, own.message_id)
    assert shown is not None and shown.button_texts == ["I understand"]
    assert api.calls("editMessageText", chat_id=OFFICER) == []


async def test_a_chair_who_blocked_the_bot_does_not_stop_the_other_deciding(
    api: LocalBotAPI, bots: Bots, pat: Person, chair: Person
) -> None:
    settings = bots.settings(CHAIR_USER_IDS=f"{CHAIR},{SECOND_CHAIR}")
    await bots.start(settings)
    ref = await file_catastrophic(pat, settings)
    _, card = await cards(api, ref, CHAIR)
    await cards(api, ref, SECOND_CHAIR)
    api.block_bot(SECOND_CHAIR)
    api.fail(
        "editMessageText",
        403,
        description="Forbidden: bot was blocked by the user",
        chat_id=SECOND_CHAIR,
    )
    answer = await chair.press_on(card.message_id, "Approve")
    assert answer == "Approved."
    await api.wait_for_message(pat.chat_id, "Review approved", since=0)
    decided = api.message(CHAIR, card.message_id)
    assert decided is not None and decided.buttons == []
    assert not [t for t in chair.texts() if "Sorry" in t]


async def test_a_press_on_a_card_shown_before_the_referral_changed_is_refused(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    """The referral is regraded while the chair's card still shows the grade before: Approve on
    that card is refused with an alert, decides nothing, and the card is shown as it now is;
    so is a button of before cards named their version, and a reason typed after a press made
    before a change. Approve on the card as it now is decides (the control)."""
    ref = await file_moderate(pat, settings)
    _, card = await cards(api, ref)
    assert "Grade: Moderate" in card.reads
    regrade_behind(settings, ref, "significant")

    refused = await chair.press_on(card.message_id, "Approve")
    assert "has changed since this card was shown" in refused and "nothing was decided" in refused
    shown = await api.wait_for(
        lambda: (
            (m := api.message(CHAIR, card.message_id)) and "Grade: Significant" in m.reads and m
        ),
        8.0,
        what="the card as the referral now is",
    )
    assert shown.button_texts == DECISION_BUTTONS
    legacy = await chair.alert(card.message_id, keyboards.chair_data(ref, "approve"))
    assert legacy.show_alert and "has changed since this card was shown" in legacy.reads

    since = api.mark()
    await chair.press_on(card.message_id, "No review")
    await api.wait_for_message(CHAIR, "Why", since=since)
    regrade_behind(settings, ref, "severe")
    told = await chair.say("No learning for the partnership here.", expect="has changed")
    assert "nothing was decided" in told.reads
    await settle(api)
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.is_undecided and referral.grade == "severe"
        assert [e.action for e in events.events_for(db, ref)] == ["filed", "regraded", "regraded"]
        assert inputs.awaited(db, CHAIR) is None

    current = await api.wait_for(
        lambda: (m := api.message(CHAIR, card.message_id)) and "Grade: Severe" in m.reads and m,
        8.0,
        what="the card as the referral now is",
    )
    assert current.buttons[0].callback_data == f"c:{ref}:3:approve"
    assert "Approved" in await chair.press_on(card.message_id, "Approve")
    with database(settings) as db:
        decided = referrals.require_referral(db, ref)
        assert decided.status == "approved" and decided.grade == "severe"


def test_the_longest_decision_buttons_fit_in_telegrams_64_bytes() -> None:
    longest_ref = "LIR-2026-" + "9" * 8  # beyond any board's year of referrals
    version = 10**9 - 1  # the most digits a version parses with
    for data in (
        keyboards.chair_data(longest_ref, "grade", "best_practice", version),
        keyboards.brief_data(longest_ref, version, "back"),
    ):
        assert len(data.encode()) <= keyboards.MAX_CALLBACK_BYTES, data
    parsed = keyboards.parse_chair(keyboards.chair_data(longest_ref, "grade", "severe", version))
    assert parsed == keyboards.ChairData(longest_ref, "grade", "severe", version)
    brief = keyboards.parse_brief(keyboards.brief_data(longest_ref, version, "ok"))
    assert brief == keyboards.BriefData(longest_ref, "ok", version)
