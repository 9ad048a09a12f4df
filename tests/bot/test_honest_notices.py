"""Honest notices (SPEC §4), over the local Bot API: the urgent board notice says what happened
and names the configured child protection procedures (`CP_PROCEDURES`) as every other text on
the urgent path does; the board notice is edited whenever the status changes; people are named,
never shown as ids.
"""

from __future__ import annotations

import datetime as dt

from flows import cards, database, first_message, register, submit, walk
from harness import BOARD, CHAIR, OFFICER, Bots, Person, Running
from officers_support import SEVERE, decide, file
from synthetic import GOOD_PRACTICE_PATH

from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from storage import referrals

PROCEDURES = "Pan-Thames Child Protection Procedures"


async def shows(api: LocalBotAPI, chat_id: int, message_id: int, *parts: str) -> Msg:
    """Wait until the message (edited in place) contains every one of `parts`."""

    def edited() -> Msg | None:
        message = api.message(chat_id, message_id)
        text = message.reads if message is not None else ""
        return message if message is not None and all(p in text for p in parts) else None

    return await api.wait_for(edited, 8.0, what=f"{parts} on message {message_id}")


async def test_urgent_notice_says_what_happened_and_names_the_configured_procedures(
    api: LocalBotAPI, bots: Bots, pat: Person
) -> None:
    settings = bots.settings(CP_PROCEDURES=PROCEDURES)
    await bots.start(settings)
    await register(pat, settings)
    await pat.answer("I understand", "immediate risk")
    since = api.mark()
    await pat.answer("Yes", "good practice")
    urgent = await api.wait_for_message(pat.chat_id, "URGENT", since=since)
    await walk(pat, GOOD_PRACTICE_PATH[2:])
    await pat.press("Health")
    await pat.answer("Done", "describe")
    await pat.say("Quick joint response by school and police.", expect="case reference")
    summary = await pat.answer("Skip", "submit")
    ref = await submit(pat)
    receipt = await first_message(api, pat.chat_id, ref, "received")
    notice = await first_message(api, BOARD, "New referral", ref)

    first_line = notice.reads.splitlines()[0]
    assert first_line == (
        "URGENT — the practitioner answered that a child is at immediate risk now and was told "
        f"to act under the {PROCEDURES}."
    )
    assert "escalated" not in notice.reads
    for told in (urgent, summary, receipt, notice):
        assert PROCEDURES in told.reads, told.text
        assert "London" not in told.reads


async def test_the_board_notice_follows_the_decision_and_names_the_chair(
    api: LocalBotAPI, running: Running, settings: Settings, chair: Person
) -> None:
    referral = file(settings.db_path, SEVERE, dt.datetime.now(dt.UTC))
    notice, card = await cards(api, referral.ref)
    assert "Status: awaiting the chair." in notice.reads

    await chair.press_on(card.message_id, "Approve")
    edited = await shows(api, BOARD, notice.message_id, "Status: approved.")
    text = edited.reads
    assert "Review approved by Chris" in text
    assert "awaiting the chair" not in text and str(CHAIR) not in text


async def test_status_moves_edit_the_notice_and_case_names_people_not_ids(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    now = dt.datetime.now(dt.UTC)
    referral = file(settings.db_path, SEVERE, now - dt.timedelta(days=2))
    notice = await first_message(api, BOARD, "New referral", referral.ref)
    decide(settings.db_path, referral.ref, now - dt.timedelta(days=1))
    with database(settings) as db:
        referrals.set_status(db, referral.ref, "review_planned", "cli", "planned", now)

    moved = await board.say(f"/status {referral.ref} in-review", expect="in review")
    assert referral.ref in moved.reads
    await shows(api, BOARD, notice.message_id, "Status: in review.")

    record = await board.say(f"/case {referral.ref}", expect="Event log")
    text = record.reads
    assert "Olu (officer) · status: review planned → in review" in text
    assert "awaiting the chair → approved" in text
    for person in (CHAIR, OFFICER):
        assert str(person) not in text  # named or by role, never by Telegram id
    assert "_" not in text.split("Event log")[1]  # no stored value (awaiting_chair) shown raw
