"""Telegram's flood control: the bot's pace, and the one strategy for a 429 (`RetryAfter`).

Every request but getUpdates goes through `RateLimiter`, python-telegram-bot's
`AIORateLimiter`: it keeps the bot under Telegram's limits (30 messages a second, 20 a minute in
a group) and, while a 429's `retry_after` runs, holds every request of the bot (flood control
is per bot). Each 429 is retried in one place only, chosen by whether something else will come
back to the refused request:

- The outbox (`bot.delivery.sender`, with `bot.delivery.documents`) retries its sends itself,
  after the server's `retry_after`, and passes `rate_limit_args=OWN_RETRY` so that the limiter
  does not retry them too. Its retry is the one that keeps the outbox's promises: the row is
  marked for retry at that time in SQLite (a crash during the wait loses nothing), the chat's
  later rows are deferred behind it (a chat's notices keep their order), the whole dispatcher
  pauses, and a row of several messages resumes at the message refused. Were the limiter to
  retry as well, a send would hold its claim, and every row behind it, through up to three
  waits before the outbox heard of it.
- Long polling (`bot.serving.polling`) waits out a 429 on getUpdates itself (python-telegram-bot
  never passes getUpdates through a rate limiter), and a stop ends that wait at once.
- A direct reply (a handler answering the person in front of it: the next question, a
  command's answer) has no row to come back to it, so the limiter retries it, up to
  `DIRECT_RETRIES` times after `retry_after`; if Telegram still refuses, the handler fails and
  the error handler says so.

python-telegram-bot drops a per-request `rate_limit_args` that is falsy (0 arrives here as `None`,
"the limiter's default"), so "no retry" is passed as `OWN_RETRY`, -1, which arrives: `None`
is `DIRECT_RETRIES`, a negative number no retry. The
library logs every 429 it does not retry as an ERROR ("Rate limit hit after maximum of 0
retries"); for an outbox send that is no error but the outbox's retry beginning (the sender
logs its own warning), so `OwnRetryFilter` drops just that record.

The bot takes python-telegram-bot's time periods as `datetime.timedelta` (the `PTB_TIMEDELTA`
opt-in, `bot.settings.opt_in_to_timedelta`); `retry_seconds` reads a `RetryAfter` either way.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeAlias

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

OVERALL_RATE = 30  # requests a second naming a chat (Telegram's bulk limit)
DIRECT_RETRIES = 2  # a direct reply's 429s retried by the limiter
OWN_RETRY = -1  # `rate_limit_args` of a request whose caller retries a 429 itself (not 0:
# python-telegram-bot drops a falsy one, and the limiter would retry it)

JSONDict: TypeAlias = dict[str, Any]
LIMITER_LOGGER = "telegram.ext.AIORateLimiter"


class OwnRetryFilter(logging.Filter):
    """Drops the library's ERROR for a 429 it was told not to retry (the caller retries it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for "Rate limit hit after maximum of 0 retries", True for any other record."""
        gave_up = str(record.msg).startswith("Rate limit hit after maximum of")
        return not (gave_up and record.args == (0,))


class RateLimiter(AIORateLimiter):
    """Telegram's pace for every request; a 429 retried here only for direct replies."""

    def __init__(
        self, *, overall_max_rate: float = OVERALL_RATE, group_max_rate: float = 20
    ) -> None:
        super().__init__(
            overall_max_rate=overall_max_rate, group_max_rate=group_max_rate, max_retries=0
        )
        logger = logging.getLogger(LIMITER_LOGGER)
        if not any(isinstance(f, OwnRetryFilter) for f in logger.filters):
            logger.addFilter(OwnRetryFilter())

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Run the request at Telegram's pace, retrying a 429 `rate_limit_args` times (None:
        `DIRECT_RETRIES`; `OWN_RETRY`: not at all, the caller retries it)."""
        retries = DIRECT_RETRIES if rate_limit_args is None else max(0, rate_limit_args)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, retries or None
        )


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait, in seconds."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
