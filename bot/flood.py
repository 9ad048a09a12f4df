"""The flood guard: no one account can keep the bot busy for everyone else.

Every update passes here first (handler group -1 of `bot.routes`). Each person has a bucket
of `BURST` updates (messages, commands, button presses, in any chat) that refills at `RATE` a
second; an update that finds the bucket empty is dropped unread, and in a private chat the
person is told, once a minute, to slow down. Nobody answering a check or deciding a case comes near
it: a whole check is about 25 updates, at a human pace. What is dropped is a flood (a script,
a modified client), and everyone else's updates are handled as usual.

The counts are held in memory (a restart forgets them, which only forgives a flood).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from templates import render

if TYPE_CHECKING:  # the services hold a FloodGuard, so the context module imports this one
    from bot.context import Context

log = logging.getLogger(__name__)

BURST = 60
RATE = 2.0
TELL_EVERY = 60.0


@dataclass
class FloodGuard:
    """A token bucket per person, and when each was last told to slow down."""

    burst: float = BURST
    rate: float = RATE
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)  # tokens, at
    _told: dict[int, float] = field(default_factory=dict)

    def allow(self, user_id: int) -> bool:
        """Take one token for this person's update; False when their bucket is empty."""
        now = self.clock()
        tokens, at = self._buckets.get(user_id, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[user_id] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > 10_000:  # forget people whose bucket has filled again
            full = self.burst / self.rate
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full}
        return allowed

    def first_refusal(self, user_id: int) -> bool:
        """Whether to tell this person now (once a minute), and note that they were told."""
        now = self.clock()
        if now - self._told.get(user_id, -TELL_EVERY) < TELL_EVERY:
            return False
        self._told[user_id] = now
        return True


async def guard_flood(update: Update, context: Context) -> None:
    """Drop the update unread when its sender is flooding; tell them once in a private chat."""
    user = update.effective_user
    if user is None:
        return
    guard = context.bot_data.services.flood
    if guard.allow(user.id):
        return
    if guard.first_refusal(user.id):
        log.warning("an account is sending too fast; its updates are dropped for a while")
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            try:
                await context.bot.send_message(chat.id, render("bot/slow_down.j2"))
            except TelegramError as exc:
                log.warning("could not tell the account to slow down: %s", type(exc).__name__)
    raise ApplicationHandlerStop
