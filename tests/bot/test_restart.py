"""The bot stopped mid-conversation and started again over the same database: nothing is lost.

The practitioner's draft lives in SQLite; the question message they were looking at keeps its
buttons across the restart and a press on it is answered by the new process.
"""

from __future__ import annotations

import datetime as dt

from filed import SEVERE, file
from flows import database, register, submit
from harness import BOARD, Person, Running
from synthetic import GOOD_PRACTICE_PATH

from bot.settings import Settings
from localapi import LocalBotAPI
from storage import drafts, outbox, referrals
from storage.outbox import OutboxKind


async def test_the_practitioner_carries_on_at_the_same_question_after_a_restart(
    api: LocalBotAPI, settings: Settings, pat: Person
) -> None:
    first = Running(settings)
    await first.start()
    try:
        await register(pat, settings)
        await pat.answer("I understand", "immediate risk")
        await pat.answer("No", "good practice")
        await pat.answer("A concern", "abuse or neglect")
        before = await pat.answer("Suspected", "died")
    finally:
        await first.stop()

    # While the bot is down the practitioner presses No on the question they can see.
    since = api.mark()
    api.press_button(pat.user_id, pat.chat_id, "No", message_id=before.message_id)

    second = Running(settings)
    await second.start()
    try:
        nxt = await pat.question("seriously harmed", since)
        assert nxt.button_texts == ["Yes", "No"]
        assert nxt.message_id == before.message_id  # the same message, edited in place
        assert "✓ Child died: No" in nxt.reads
        with database(settings) as db:
            draft = drafts.load_draft(db, pat.user_id, dt.datetime.now(dt.UTC), 72)
            assert draft is not None and draft.state == "harmed"
            assert dict(draft.answers) == {
                "privacy": "ok",
                "immediate": "no",
                "kind": "concern",
                "abuse": "suspected",
                "died": "no",
            }

        # /back reaches the answers given before the restart.
        back = await pat.say("/back", expect="Has the child died")
        assert back.button_texts == ["Yes", "No"]
        await pat.answer("No", "seriously harmed")
        for label, phrase in [
            ("No", "injury"),
            ("Minor injuries or bruises", "permanent disability"),
            ("No", "sexual abuse"),
            ("No", "domestic homicide"),
            ("No", "self-harm"),
            ("No", "charged with neglect"),
            ("No", "missing education"),
            ("No", "child protection plan"),
            ("Done", "worked together"),
            ("No concerns", "standards"),
            ("Minor non-compliance", "agencies"),
        ]:
            await pat.answer(label, phrase)
        await pat.press("Police")
        await pat.answer("Done", "describe")
        await pat.say("Bruising noticed at school; seen by the school nurse.", "case reference")
        summary = await pat.answer("Skip", "submit")
        assert "Abuse or neglect: Suspected" in summary.reads
        ref = await submit(pat)
        with database(settings) as db:
            referral = referrals.require_referral(db, ref)
            assert referral.facts["abuse_or_neglect"] == "suspected"
            assert referral.agencies == ("Police",)
    finally:
        await second.stop()


async def test_a_restart_between_summary_and_submit_files_once(
    api: LocalBotAPI, settings: Settings, pat: Person
) -> None:
    first = Running(settings)
    await first.start()
    try:
        await register(pat, settings)
        for label, phrase in GOOD_PRACTICE_PATH:
            await pat.answer(label, phrase)
        await pat.press("Health")
        await pat.answer("Done", "describe")
        await pat.say("Joint visit by health and school worked well.", "case reference")
        summary = await pat.answer("Skip", "submit")
    finally:
        await first.stop()

    # Two presses of Submit while the bot is down (an impatient thumb).
    for _ in range(2):
        api.press_button(
            pat.user_id, pat.chat_id, "Submit to the board", message_id=summary.message_id
        )
    second = Running(settings)
    await second.start()
    try:
        await api.wait_for_message(pat.chat_id, "received", since=0)
        await pat.say("/help", expect="How this works")
        with database(settings) as db:
            filed = referrals.referrals_for(db, pat.user_id)
            assert len(filed) == 1 and filed[0].grade == "best_practice"
    finally:
        await second.stop()


async def test_a_stop_does_not_wait_for_the_paced_group_queue_and_the_rest_go_after_a_start(
    api: LocalBotAPI, settings: Settings
) -> None:
    """More board notices than Telegram lets a bot send a group in a minute (20): a stop
    finishes the notice in hand and leaves the rest queued (not marked as cut short), rather
    than keep the service manager waiting three seconds a notice; the next start sends each of
    them once, none flagged as a possible repeat."""
    now = dt.datetime.now(dt.UTC)
    refs = [file(settings.db_path, SEVERE, now).ref for _ in range(24)]
    first = Running(settings)
    await first.start()
    try:
        await api.wait_for(lambda: len(_notices(api)) >= 20, 20, what="the group's first 20")
    finally:
        await first.stop()
    with database(settings) as db:
        left = [
            row
            for ref in refs
            for row in outbox.rows_for(db, ref, OutboxKind.BOARD_NOTICE)
            if row.status == outbox.PENDING
        ]
    assert left and all(row.claimed_at is None and row.interrupted == 0 for row in left)

    second = Running(settings)
    await second.start()
    try:
        await api.wait_for(lambda: len(_notices(api)) >= 24, 30, what="every board notice")
    finally:
        await second.stop()
    notices = _notices(api)
    assert sorted(ref for ref in refs for text in notices if ref in text) == sorted(refs)
    assert not any("may repeat" in text for text in notices)


def _notices(api: LocalBotAPI) -> list[str]:
    return [m.reads for m in api.bot_messages(BOARD) if "LIR-" in m.reads]
