"""Injected faults surface in python-telegram-bot as on Telegram, and a failed call changes
nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from localapi_helpers import ALICE, BOARD
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from localapi import LocalBotAPI


async def test_429_is_retry_after(
    api: LocalBotAPI, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.fail("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(BOARD, "notice")
    assert err.value.retry_after == dt.timedelta(seconds=3)
    call = api.calls("sendMessage")[0]
    assert call.status == 429
    assert call.response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    assert api.messages(BOARD) == []
    await bot.send_message(BOARD, "notice")  # the fault was for one call only
    assert [m.text for m in api.messages(BOARD)] == ["notice"]


async def test_500_is_network_error_and_has_no_effect(api: LocalBotAPI, bot: Bot) -> None:
    api.fail("sendMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError) as err:
            await bot.send_message(BOARD, "notice")
        assert type(err.value) is NetworkError
        assert "Internal Server Error" in err.value.message
    await bot.send_message(BOARD, "notice")
    assert [c.status for c in api.calls("sendMessage")] == [500, 500, 200]
    assert [m.message_id for m in api.messages(BOARD)] == [1]  # failed calls used no ids


async def test_fault_for_one_chat_only(api: LocalBotAPI, bot: Bot) -> None:
    api.fail("SENDMESSAGE", status=500, times=5, chat_id=BOARD)
    await bot.send_message(ALICE, "private is fine")
    with pytest.raises(NetworkError):
        await bot.send_message(BOARD, "board fails")
    assert api.messages(BOARD) == [] and len(api.messages(ALICE)) == 1


async def test_fail_for_a_duration(api: LocalBotAPI, bot: Bot) -> None:
    api.fail_for("sendMessage", 0.3, status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(BOARD, "a")
    with pytest.raises(NetworkError):
        await bot.send_message(BOARD, "b")
    await asyncio.sleep(0.35)
    await bot.send_message(BOARD, "c")
    assert [m.text for m in api.messages(BOARD)] == ["c"]


async def test_any_method_fault_and_clear(api: LocalBotAPI, bot: Bot) -> None:
    api.fail("*", status=503, times=10)
    with pytest.raises(NetworkError):
        await bot.get_me()
    api.clear_faults()
    assert (await bot.get_me()).username == "lir_triage_bot"


async def test_slow_answer_times_out_the_client_but_still_takes_effect(api: LocalBotAPI) -> None:
    api.delay("sendMessage", 0.5)
    request = HTTPXRequest(read_timeout=0.1)
    async with Bot(api.token, base_url=api.base_url, request=request) as client:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await client.send_message(ALICE, "slow")
        assert time.monotonic() - started < 0.45
        # As on Telegram, the request was received: the message appears when the answer would.
        msg = await api.wait_for_message(ALICE, "slow", timeout=2.0)
        assert msg.text == "slow"
        await client.send_message(ALICE, "fast")  # one call only was slowed


async def test_a_held_request_is_counted_until_answered_though_its_caller_left(
    api: LocalBotAPI,
) -> None:
    """`pending_faults` counts the faults no call has taken; `held_requests` the requests a
    delay holds: one the caller gave up on is still answered, and then no longer held."""
    api.delay("sendMessage", 0.5, chat_id=ALICE)
    assert api.pending_faults() == 1 and api.held_requests() == 0
    request = HTTPXRequest(read_timeout=0.1)
    async with Bot(api.token, base_url=api.base_url, request=request) as client:
        with pytest.raises(TimedOut):
            await client.send_message(ALICE, "held")
    assert api.pending_faults() == 0 and api.held_requests() == 1
    assert api.calls("sendMessage") == []  # a call is recorded once answered
    await api.wait_for(lambda: api.held_requests() == 0, 2.0, what="the held answer")
    assert [c.status for c in api.calls("sendMessage")] == [200]
    assert [m.text for m in api.messages(ALICE)] == ["held"]


async def test_slow_failure(api: LocalBotAPI, bot: Bot) -> None:
    api.delay("sendMessage", 0.2, status=500)
    started = time.monotonic()
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "x")
    assert time.monotonic() - started >= 0.2
    assert api.messages(ALICE) == []


async def test_stop_does_not_wait_for_slow_answers(api: LocalBotAPI, bot: Bot) -> None:
    api.delay("getMe", 30.0)
    pending = asyncio.create_task(bot.get_me())
    await asyncio.sleep(0.1)
    assert not pending.done()
    started = time.monotonic()
    await api.stop()
    assert time.monotonic() - started < 2.0
    await asyncio.wait_for(asyncio.gather(pending, return_exceptions=True), 2.0)


async def test_a_fraction_of_calls_fail_and_the_rest_take_effect(
    api: LocalBotAPI, bot: Bot
) -> None:
    api.fail_some("sendMessage", 0.25, retry_after=2)
    sent = 0
    for n in range(200):
        try:
            await bot.send_message(ALICE, f"notice {n}")
        except RetryAfter:
            continue
        sent += 1
    statuses = [c.status for c in api.calls("sendMessage")]
    assert 20 <= statuses.count(429) <= 80  # about a quarter: 50 expected
    assert statuses.count(200) == sent == len(api.messages(ALICE))
    await bot.get_me()  # other methods are untouched
    api.clear_faults()
    await bot.send_message(ALICE, "after")
    assert api.calls("sendMessage")[-1].status == 200


def test_a_fraction_must_be_a_share() -> None:
    for wrong in (0.0, 1.5):
        with pytest.raises(ValueError, match="fraction"):
            LocalBotAPI().fail_some("sendMessage", wrong)
