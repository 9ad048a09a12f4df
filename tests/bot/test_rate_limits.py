"""One retry for each 429: the rate limiter retries a direct reply's, the outbox its own sends'.

Telegram's 429 carries how long to wait. A direct reply (the answer to what a person just did)
has nothing else that will come back to it, so the limiter waits and retries it; an outbox
send is retried by the outbox alone (the row is marked for retry and its chat deferred), never
by the limiter as well.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from harness import PRACTITIONER, Person, Running
from telegram.error import RetryAfter

from bot.serving.limits import (
    DIRECT_RETRIES,
    LIMITER_LOGGER,
    OWN_RETRY,
    RateLimiter,
    retry_seconds,
)
from localapi import LocalBotAPI


class Refusing:
    """A stand-in for Telegram's answer to one request: 429 the first `refusals` times."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.calls <= self.refusals:
            raise RetryAfter(dt.timedelta(seconds=0))
        return {"ok": True}


async def _request(limiter: RateLimiter, refusing: Refusing, rate_limit_args: int | None) -> None:
    await limiter.process_request(refusing, (), {}, "sendMessage", {"chat_id": 1}, rate_limit_args)


async def test_the_limiter_retries_a_direct_reply_and_leaves_the_outbox_s_to_it() -> None:
    limiter = RateLimiter()
    await limiter.initialize()
    try:
        direct = Refusing(DIRECT_RETRIES)
        await _request(limiter, direct, None)
        assert direct.calls == DIRECT_RETRIES + 1
        outbox = Refusing(1)
        with pytest.raises(RetryAfter):
            await _request(limiter, outbox, OWN_RETRY)
        assert outbox.calls == 1  # handed straight to the outbox, which retries it itself
        once = Refusing(1)
        await _request(limiter, once, 1)  # any other number is the retries it says
        assert once.calls == 2
    finally:
        await limiter.shutdown()


def test_retry_after_is_read_as_a_timedelta() -> None:
    exc = RetryAfter(3)
    assert exc.retry_after == dt.timedelta(seconds=3)  # the PTB_TIMEDELTA behaviour, adopted
    assert retry_seconds(exc) == 3.0


async def test_a_direct_reply_refused_with_429_still_arrives(
    api: LocalBotAPI, running: Running, pat: Person
) -> None:
    since = api.mark()
    api.fail("sendMessage", 429, retry_after=1, chat_id=PRACTITIONER)
    reply = await pat.say("/help")
    assert reply.text
    statuses = [c.status for c in api.calls("sendMessage", chat_id=PRACTITIONER, since=since)]
    assert statuses == [429, 200]


async def test_an_outbox_429_is_no_error_in_the_log_but_a_direct_reply_given_up_is(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = RateLimiter()
    await limiter.initialize()
    try:
        with caplog.at_level(logging.INFO, logger=LIMITER_LOGGER):
            with pytest.raises(RetryAfter):
                await _request(limiter, Refusing(1), OWN_RETRY)
            assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
            with pytest.raises(RetryAfter):  # the control: refused past its retries
                await _request(limiter, Refusing(DIRECT_RETRIES + 1), None)
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert [r.name for r in errors] == [LIMITER_LOGGER]
    finally:
        await limiter.shutdown()
