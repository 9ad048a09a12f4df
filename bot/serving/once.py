"""Each update handled once, and each chat's updates in order: what the webhook and long polling
share.

`lane_of` names the chat whose updates must stay in order. Long polling keeps that order within
a batch (`bot.serving.polling.handle_batch`) and handles an update once by its offset; a webhook
has no offset: Telegram POSTs an update again whenever the answer is slow or missing, and may
POST several of one chat's updates at once. `Once` serves the webhook:
- an update id is claimed by the first request that brings it; a copy arriving while it is
  being handled waits for that handling to end and is then answered without acting (a failure
  of the first is the copies' failure too, so Telegram sends the update again);
- once handled, the id is recorded in SQLite (`storage.updates`, kept for Telegram's retry
  window), so a copy after a restart is answered without acting. It is recorded only after the
  handling finished: an update in hand when the process dies is handled again, never dropped;
- one chat's updates are handled one at a time, in the order they arrived (`Lanes`: a lock per
  chat, which asyncio hands on first come, first served), while other chats go on meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlite_utils import Database
from telegram import Update

from storage.updates import record_handled, was_handled


def lane_of(update: Update | None) -> int | None:
    """The chat whose updates must stay in order (its user's, else none: one shared lane)."""
    if update is None:
        return None
    chat, user = update.effective_chat, update.effective_user
    return chat.id if chat is not None else user.id if user is not None else None


class Lanes:
    """One lock per chat, held while one of its updates is handled; dropped once unused."""

    def __init__(self) -> None:
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._users: dict[int | None, int] = {}

    @asynccontextmanager
    async def lane(self, key: int | None) -> AsyncIterator[None]:
        """Hold `key`'s lane: every update of that chat that came before is handled first."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


class Once:
    """Handle each update id once (see the module's docstring), each chat's in order."""

    def __init__(self, db: Database, clock: Callable[[], dt.datetime]) -> None:
        self._db, self._clock = db, clock
        self._in_hand: dict[int, asyncio.Future[None]] = {}
        self._lanes = Lanes()

    async def handle(
        self, update_id: int, update: Update | None, work: Callable[[], Awaitable[None]]
    ) -> bool:
        """Run `work` for the update unless it is (being) handled already: True if run now."""
        first = self._in_hand.get(update_id)
        if first is not None:
            await asyncio.shield(first)  # the first's failure is ours: Telegram sends it again
            return False
        if was_handled(self._db, update_id):
            return False
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._in_hand[update_id] = done
        try:
            async with self._lanes.lane(lane_of(update)):
                await work()
            record_handled(self._db, update_id, self._clock())
        except asyncio.CancelledError:
            done.cancel()
            raise
        except BaseException as exc:
            done.set_exception(exc)
            done.exception()  # retrieved: a failure no copy waited for is not logged twice
            raise
        else:
            done.set_result(None)
        finally:
            del self._in_hand[update_id]
        return True
