"""Telegram answering 429, 500 or not at all for a while: every notification still goes, once.

Outages here last two or three seconds and stand for outages of minutes: the dispatcher's
back-off is capped (`MAX_BACKOFF_SECONDS`, polling's at `MAX_RETRY_SECONDS`), so however long
the outage, delivery follows its end within that cap. The bot runs as a subprocess.
"""

from __future__ import annotations

import time

import pytest
from botproc import (
    BOARD,
    CHAIR,
    PRACTITIONER,
    BotProcess,
    Person,
    delivered,
    outbox_rows,
    referral_refs,
    register,
    settle,
    wait_delivered,
    walk_to_summary,
)

from bot.delivery.sender import MAX_BACKOFF_SECONDS, backoff
from bot.serving.polling import MAX_RETRY_SECONDS, retry_delay
from localapi import ThreadedLocalBotAPI

SUBMIT = "Submit to the board"
CHATS = (BOARD, CHAIR, PRACTITIONER)
PAT_USER = {"id": PRACTITIONER, "is_bot": False, "first_name": "Pat"}
POLL_ANSWER = {"poll_id": "1", "user": PAT_USER, "option_ids": [0], "option_persistent_ids": ["a"]}


def test_waits_after_any_number_of_failures_are_capped() -> None:
    """Hours of failures never make a retry wait longer than the cap after Telegram is back."""
    waits = [backoff(n).total_seconds() for n in range(1, 500)]
    assert waits[:5] == [1, 2, 4, 8, 16] and max(waits) == MAX_BACKOFF_SECONDS == 30
    polls = [retry_delay(n) for n in range(1, 500)]
    assert polls[0] == 1 and max(polls) == MAX_RETRY_SECONDS == 30


def start_outage(api: ThreadedLocalBotAPI, kind: str, seconds: float) -> None:
    """Make every sendMessage fail in the way `kind` names, for `seconds`."""
    if kind == "429":
        api.fail_for("sendMessage", seconds, 429, retry_after=1)
    elif kind == "500":
        api.fail_for("sendMessage", seconds, 500)
    else:  # no answer within the bot's 5 s read timeout; the request has no effect
        api.delay("sendMessage", 6.0, duration=seconds, status=504)


@pytest.mark.parametrize(
    ("kind", "outage", "slack"),
    [("429", 2.0, 4.0), ("500", 2.0, 4.0), ("timeout", 2.0, 10.0)],
)
def test_notifications_survive_a_telegram_outage(
    api: ThreadedLocalBotAPI,
    bot: BotProcess,
    pat: Person,
    kind: str,
    outage: float,
    slack: float,
) -> None:
    """While sendMessage fails (429 Too Many Requests, 500, or no answer until the bot times
    out), the practitioner submits and is told the reference at once (an edit, which still
    works); the board notice, the chair's card and the receipt go once each when Telegram is
    back, within `slack` seconds of the end of the outage (a timed-out try takes 5 s itself)."""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    start_outage(api, kind, outage)
    ends = time.monotonic() + outage
    told = pat.press(SUBMIT, expect="LIR-", edited=True)
    [ref] = referral_refs(bot.db_path)
    assert ref in told.reads
    for chat in CHATS:
        wait_delivered(api, chat, ref, timeout=outage + slack + 5)
    assert time.monotonic() - ends < slack
    failed = [c for c in api.calls("sendMessage") if not c.ok]
    assert failed, "the outage should have refused at least one send"
    settle(1.0)
    assert [len(delivered(api, chat, ref)) for chat in CHATS] == [1, 1, 1]
    assert [r.status for r in outbox_rows(bot.db_path, ref)] == ["sent"] * 3


def test_a_press_during_a_total_outage_is_handled_when_telegram_is_back(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person
) -> None:
    """Every method fails with 500 (getUpdates included). Once the bot's polling has met the
    outage, the practitioner presses Submit: the press waits at Telegram, polling retries
    with capped back-off, and when Telegram is back the press is handled, the practitioner
    told the reference, and each notification sent once.

    (An update already fetched when the outage begins is handled during it; its handler's
    first Telegram call then fails, and the person is told nothing until they try again.
    See the report: the practitioner's press handler should not stop when answering the
    button press fails.)"""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    api.fail_for("*", 2.5, 500)
    since = api.mark()
    # An update no handler answers ends the long poll in progress, so the next poll meets
    # the outage.
    api.inject_update("poll_answer", POLL_ANSWER)
    api.wait_for_call("getUpdates", since=since, ok=False)
    api.press_button(PRACTITIONER, PRACTITIONER, SUBMIT)
    told = api.wait_for_message(PRACTITIONER, "LIR-", since=since, timeout=10)
    [ref] = referral_refs(bot.db_path)
    assert ref in told.reads
    for chat in CHATS:
        wait_delivered(api, chat, ref)
    settle(1.0)
    assert [len(delivered(api, chat, ref)) for chat in CHATS] == [1, 1, 1]
    assert "polling failed" in bot.log()


def test_an_update_the_bot_cannot_read_is_skipped_and_the_next_handled(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person
) -> None:
    """An update this version of python-telegram-bot cannot read (here a poll answer missing
    a field newer Bot API versions require) does not stop polling: it is logged by id and
    skipped, and the practitioner's next message is answered."""
    bad = api.inject_update("poll_answer", {"poll_id": "1", "user": PAT_USER, "option_ids": [0]})
    register(pat, bot.db_path)
    assert f"update {bad['update_id']} could not be read" in bot.log()
    assert "Pat" not in bot.log()
