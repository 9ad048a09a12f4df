"""One account cannot stall the bot: a stranger's flood of refused board commands and forged
decision presses is dropped or answered quietly, the officers and practitioners are served
at once, the log keeps one refusal a day, and `/case` of the attacked referral stays short."""

from __future__ import annotations

import time

from flows import database, file_catastrophic
from harness import BOARD, OFFICER, PRACTITIONER, STRANGER, Person, Running, settle

from bot.flood import BURST, FloodGuard
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import events, refusals


async def test_a_flood_from_one_account_does_not_stall_anyone_else(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, stranger: Person
) -> None:
    ref = await file_catastrophic(pat, settings)
    own = await stranger.say("/start", expect="no names")
    await settle(api)
    sent_to_group = len(api.calls("sendMessage", chat_id=BOARD))

    for _ in range(60):
        api.send_text(STRANGER, "/queue", BOARD)
    for _ in range(300):
        api.press(STRANGER, STRANGER, own.message_id, f"c:{ref}:approve")

    officer = Person(api, OFFICER, BOARD)
    started = time.monotonic()
    queue = await officer.say("/queue", expect=ref)
    assert time.monotonic() - started < 2.0
    started = time.monotonic()
    await pat.say("/start", expect="no names")
    assert time.monotonic() - started < 2.0

    await settle(api)
    refused_replies = len(api.calls("sendMessage", chat_id=BOARD)) - sent_to_group - 1
    assert refused_replies <= 1, "the stranger is told once, then quietly refused"
    assert ref in queue.reads
    with database(settings) as db:
        logged = [e for e in events.events_by(db, STRANGER) if e.action == "refused"]
        assert len(logged) <= 2  # one a day for the commands, one for the referral
        assert (
            refusals.refusals_for(db, ref) == []
            or sum(r.count for r in refusals.refusals_for(db, ref)) < BURST
        )
        assert events.events_for(db, ref)[-1].action != "approved"

    since = api.mark()
    api.send_text(OFFICER, f"/case {ref}", BOARD)
    await officer.question(ref, since)
    await settle(api)
    case_messages = [m for m in api.bot_messages(BOARD) if m.seq > since]
    assert 1 <= len(case_messages) <= 3


async def test_a_whole_check_pressed_as_fast_as_can_be_is_never_held_back(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    """Registering, answering every question and filing, with no pause at all, stays within
    the burst: the guard never speaks to someone doing their work."""
    ref = await file_catastrophic(pat, settings)
    await pat.say("/start", expect="no names")
    assert ref.startswith("LIR-") and pat.user_id == PRACTITIONER
    assert not any("faster than I can take them" in t for t in pat.texts())


def test_the_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    guard = FloodGuard(burst=3, rate=1.0, clock=lambda: now[0])
    assert [guard.allow(1) for _ in range(4)] == [True, True, True, False]
    assert guard.allow(2)  # someone else has a bucket of their own
    now[0] = 1.0
    assert guard.allow(1) and not guard.allow(1)
    assert guard.first_refusal(1) and not guard.first_refusal(1)
    now[0] = 61.0
    assert guard.first_refusal(1)
