"""SIGKILL at each point of filing, then a restart: nothing lost, nothing filed twice.

The bot runs as `python -m bot run` in a subprocess; each kill is placed without timing
guesses: before the commit by holding the write lock while the bot files, after it by
reading the committed referral from the database while Telegram refuses every send, and
mid-dispatch by reading the row's send claim while the server holds that very request.
"""

from __future__ import annotations

import pytest
from botproc import (
    BOARD,
    CHAIR,
    PRACTITIONER,
    BotProcess,
    Person,
    delivered,
    faults_taken,
    outbox_rows,
    referral_refs,
    register,
    settle,
    wait_delivered,
    wait_held_answered,
    wait_until,
    walk_to_summary,
    write_lock,
)

from localapi import ThreadedLocalBotAPI
from templates import render

SUBMIT = "Submit to the board"
NOTE = "may repeat an earlier message"
assert NOTE in render("bot/resent.j2")


def each_delivered_once(api: ThreadedLocalBotAPI, ref: str) -> None:
    """The board notice, the chair's card and the receipt each arrive exactly once."""
    for chat in (BOARD, CHAIR, PRACTITIONER):
        wait_delivered(api, chat, ref)
    settle()
    counts = {chat: len(delivered(api, chat, ref)) for chat in (BOARD, CHAIR, PRACTITIONER)}
    assert counts == {BOARD: 1, CHAIR: 1, PRACTITIONER: 1}


def test_killed_before_the_commit_the_submit_is_handled_after_the_restart(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person
) -> None:
    """The bot is killed while filing waits for the write lock another connection holds, so
    the kill lands before the commit. The press was not yet confirmed to Telegram, so the
    restarted bot handles it again and the practitioner hears back without doing anything:
    today "something went wrong, please try again" (the replayed press's callback query can
    no longer be answered, and the handler stops there), after which one more press files
    it; or, once the handler tolerates that, the submission itself. One referral, each
    notification sent once."""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    since = api.mark()
    with write_lock(bot.db_path):
        api.press_button(PRACTITIONER, PRACTITIONER, SUBMIT)
        api.wait_for_call("answerCallbackQuery", since=since)  # the bot is filing now
        bot.kill()
    assert referral_refs(bot.db_path) == []

    bot.start()
    told = api.wait_for_message(PRACTITIONER, since=since, timeout=10)
    if "LIR-" not in told.reads:
        assert "please try again" in told.reads
        told = pat.press(SUBMIT, expect="LIR-", edited=True)
    [ref] = referral_refs(bot.db_path)
    assert ref in told.reads
    each_delivered_once(api, ref)


def test_killed_after_the_commit_every_notification_goes_once_after_the_restart(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person
) -> None:
    """Telegram refuses every notification (500) so none can go before the kill; the kill
    lands as soon as the referral is committed. After the restart the three notifications
    go once each, and a replay of the Submit press files nothing twice."""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    for chat in (BOARD, CHAIR, PRACTITIONER):
        api.fail_for("sendMessage", 60, 500, chat_id=chat)
    pat.press(SUBMIT)
    wait_until(lambda: referral_refs(bot.db_path), 10, "the referral to be committed")
    bot.kill()
    [ref] = referral_refs(bot.db_path)
    assert delivered(api, BOARD, ref) == delivered(api, CHAIR, ref) == []
    assert delivered(api, PRACTITIONER, ref) == []

    api.clear_faults()
    bot.start()
    each_delivered_once(api, ref)
    assert referral_refs(bot.db_path) == [ref]
    assert [r.status for r in outbox_rows(bot.db_path, ref)] == ["sent"] * 3


@pytest.mark.parametrize("reached_telegram", [True, False], ids=["delivered", "not-delivered"])
def test_killed_mid_send_only_the_message_in_flight_can_repeat_and_it_says_so(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person, reached_telegram: bool
) -> None:
    """The server holds the board notice's request for a second; the bot is killed while that
    request is in the server's hands (and the row claimed for it). Telegram offers no way to
    ask whether a message arrived, so the restarted bot sends it again, marked as a possible
    repeat: when the first send had arrived the board sees it twice (the one duplicate no
    Telegram bot can rule out), otherwise once. Nothing else is sent twice, nothing is lost."""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    api.delay("sendMessage", 1.0, chat_id=BOARD, status=None if reached_telegram else 502)
    pat.press(SUBMIT)
    wait_until(lambda: referral_refs(bot.db_path), 10, "the referral to be committed")
    [ref] = referral_refs(bot.db_path)
    wait_until(lambda: faults_taken(api), 10, "the board notice's request to reach the server")
    bot.kill()
    board_row = next(r for r in outbox_rows(bot.db_path, ref) if r.chat_id == BOARD)
    assert board_row.status == "pending" and board_row.claimed_at is not None

    wait_held_answered(api)  # the held notice is in the chat (or refused) before the restart
    bot.start()
    expected = 2 if reached_telegram else 1
    board = wait_delivered(api, BOARD, ref, count=expected)
    wait_delivered(api, CHAIR, ref)
    wait_delivered(api, PRACTITIONER, ref)
    settle()
    board = delivered(api, BOARD, ref)
    assert len(board) == expected
    assert NOTE in board[-1] and all(NOTE not in text for text in board[:-1])
    assert len(delivered(api, CHAIR, ref)) == len(delivered(api, PRACTITIONER, ref)) == 1
    rows = outbox_rows(bot.db_path, ref)
    assert [r.status for r in rows] == ["sent"] * 3
    assert [r.interrupted for r in rows] == [1, 0, 0]
    assert referral_refs(bot.db_path) == [ref]
