"""The outbox's sends in flight within one batch: how many at once, and when a batch ends.

Rows go one at a time, except learning briefs just after flood control's pause. A broadcast
runs at the rate limiter's pace (`bot.serving.limits`, 30 a second), and after each 429 the
whole dispatcher pauses for the `retry_after` Telegram asks; the limiter then allows a burst
(`BURST`, the sends it would have let through in the second it was idle), which one send at a
time, a round trip each, takes up slowly: each pause cost a third of a second of a broadcast.
So for the `BURST` sends after a pause, up to `WINDOW` briefs, each to a different chat, are in
flight at once; then one at a time again, so that a person's direct reply never waits behind
more than one outbox send in the limiter for long. Notices go one at a time, as before, and
never wait behind a burst of briefs in the limiter (the briefs in flight finish first, then
the notice goes); a chat's rows keep their order (its next row waits for the one
in flight, and is claimed only after that one's 429 or failure has deferred it), and the batch
ends as it did before: at a 429, at the second transient failure in a row, when something is
queued meanwhile, or when the bot stops; a send in flight is always let finish and recorded,
never cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from bot.delivery.dispatch_state import DispatchState
from bot.serving.limits import OVERALL_RATE

WINDOW = 6  # learning-brief rows in flight at once, to different chats, during a burst
BURST = OVERALL_RATE  # sends after a pause that go `WINDOW` at a time
TRANSIENT_IN_A_ROW = 2  # transient failures in a row that end a batch (an outage)


class Flight:
    """The sends of one batch in flight, and what their outcomes say of the batch."""

    def __init__(self, state: DispatchState) -> None:
        self._state = state  # the dispatch state: its `queued` flag and `burst` count
        self._tasks: dict[asyncio.Task[str], int] = {}  # send -> its chat
        self._transient = 0
        self.ended = False  # no more sends this batch
        self.more = False  # ended with more perhaps due (something was queued meanwhile)

    def __len__(self) -> int:
        return len(self._tasks)

    def busy(self, chat_id: int) -> bool:
        """Whether a send to `chat_id` is in flight."""
        return chat_id in self._tasks.values()

    def full(self) -> bool:
        """Whether as many sends are in flight as may be now (`WINDOW` during a burst)."""
        return len(self._tasks) >= (WINDOW if self._state.burst > 0 else 1)

    def start(self, chat_id: int, send: Coroutine[Any, Any, str]) -> None:
        """Put one claimed row's send in flight."""
        self._state.burst = max(0, self._state.burst - 1)
        self._tasks[asyncio.ensure_future(send)] = chat_id

    async def wait_one(self) -> None:
        """Wait until at least one send has finished, and take in its outcome."""
        if self._tasks:
            done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
            self._take(done)

    def harvest(self) -> None:
        """Take in the outcomes of the sends that have finished, without waiting (a 429 among
        them ends the batch before another send can start during Telegram's wait)."""
        self._take({task for task in self._tasks if task.done()})

    async def land(self) -> None:
        """Wait for every send in flight (also when cancelled: a send is never cut off)."""
        if not self._tasks:
            return
        try:
            await asyncio.wait(self._tasks)
        finally:
            if any(not t.done() for t in self._tasks):  # cancelled while waiting
                await asyncio.wait(self._tasks)
            self._take(set(self._tasks))

    def _take(self, done: set[asyncio.Task[str]]) -> None:
        error: BaseException | None = None
        for task in done:
            self._tasks.pop(task, None)
            if task.cancelled() or task.exception() is not None:
                error = error or (task.exception() or asyncio.CancelledError())
                self.ended = True
                continue
            outcome = task.result()
            self._transient = self._transient + 1 if outcome == "transient" else 0
            if outcome == "stop" or self._transient >= TRANSIENT_IN_A_ROW:
                self.ended, self.more = True, False
            elif self._state.queued and not self.ended:  # perhaps more urgent than the rest
                self.ended = self.more = True
        if error is not None:
            raise error
