"""Long polling that confirms an update to Telegram only once the bot has handled it.

python-telegram-bot's own `Updater` confirms each batch of updates as soon as it has queued
them, so an update being handled when the process is killed is gone for good: the
practitioner's press of `Submit` would vanish without an answer. Here the offset that
confirms an update moves past it only after its handler has finished, so after a crash
Telegram hands the unfinished update to the next start and it is handled then (at least
once). Handlers are written for that: filing is idempotent per draft, a replayed press on a
question already answered is refused as stale. At most the rest of the batch being worked on
(`BATCH_LIMIT` updates) can be seen twice after a crash; a clean stop confirms everything
handled, so nothing is seen twice.

Within a batch, different chats' updates are handled concurrently while each chat's stay in
order (`handle_batch`: one lane per chat), so one person's slow answer does not hold up
another's; the next batch is read once the whole batch is handled, because confirming an
update to Telegram confirms every update before it. Handlers share one SQLite connection
safely: every transaction (`storage.db.transaction`) runs from BEGIN to COMMIT without an
`await` inside it, so coroutines never interleave within one.

Network errors are retried with back-off capped at `MAX_RETRY_SECONDS`, Telegram's
RetryAfter is waited out here (getUpdates never goes through the rate limiter), and
SIGINT/SIGTERM stop the loop after the update in hand.
`run_polling` is `triage-bot run`; the demo and the tests run the application the same way
(`bot.serving.lifecycle.running`) and poll with `start_polling`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.context import App
from bot.logs import reason
from bot.serving.lifecycle import running, stop_on_signals
from bot.serving.limits import retry_seconds
from bot.serving.once import lane_of

log = logging.getLogger(__name__)
T = TypeVar("T")

POLL_TIMEOUT_SECONDS = 10
BATCH_LIMIT = 20
MAX_RETRY_SECONDS = 30.0


def retry_delay(failures: int) -> float:
    """Seconds to wait after `failures` failed polls in a row: 1, 1.5, 2.25 … at most 30."""
    return min(MAX_RETRY_SECONDS, 1.5 ** max(0, failures - 1))


async def run_polling(app: App) -> None:
    """Run the application and poll until SIGINT or SIGTERM; then stop and shut down cleanly."""
    stop = stop_on_signals()
    async with running(app):
        await (await start_polling(app, stop))


async def start_polling(app: App, stop: asyncio.Event) -> asyncio.Task[None]:
    """Drop any webhook (Telegram refuses getUpdates while one is set), then poll in a task
    until `stop` is set (`poll`); `app` must be running (`bot.serving.lifecycle.running`)."""
    await _until(stop, app.bot.delete_webhook())
    return asyncio.create_task(poll(app, stop), name="polling")


async def _until(stop: asyncio.Event, coro: Coroutine[Any, Any, T]) -> tuple[bool, T | None]:
    """Await `coro` unless `stop` is set first (then cancel it): (finished, its result)."""
    stopping = asyncio.ensure_future(stop.wait())
    try:
        return await _unless(stopping, coro)
    finally:
        stopping.cancel()


async def _unless(
    stopping: asyncio.Future[Any], coro: Coroutine[Any, Any, T]
) -> tuple[bool, T | None]:
    """Await `coro` unless `stopping` is done first (then cancel it): (finished, its result).
    `stopping` is left as it is, so one waiter serves every poll."""
    task = asyncio.ensure_future(coro)
    done, _ = await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if task not in done:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TelegramError):
            await task
        return False, None
    return True, task.result()


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def poll(app: App, stop: asyncio.Event) -> None:
    """Fetch and handle updates a batch at a time (see `handle_batch`), confirming each only
    after it and every update before it were handled."""
    stopping = asyncio.ensure_future(stop.wait())  # one waiter for every poll
    try:
        offset = await _poll(app, stop, stopping)
    finally:
        stopping.cancel()
    await _confirm(app, offset)


async def _poll(app: App, stop: asyncio.Event, stopping: asyncio.Future[Any]) -> int | None:
    """`poll`'s loop; the offset of the last update handled with every update before it."""
    offset: int | None = None
    failures = 0
    while not stop.is_set():
        try:
            finished, batch = await _unless(stopping, read_batch(app, offset))
            if not finished:
                break
        except InvalidToken:
            raise
        except RetryAfter as exc:  # getUpdates bypasses the rate limiter: waited out here
            await _pause(stop, retry_seconds(exc))
            continue
        except TelegramError as exc:
            failures += 1
            log.warning("polling failed (%s); retrying", reason(exc))
            await _pause(stop, retry_delay(failures))
            continue
        failures = 0
        offset = await handle_batch(app, batch or [], stop, offset)
    return offset


async def handle_batch(
    app: App,
    batch: list[tuple[int, Update | None]],
    stop: asyncio.Event,
    offset: int | None = None,
) -> int | None:
    """Handle a batch, each chat's updates in order and different chats' concurrently; the
    offset that confirms every update handled with all those before it (`offset` if none).

    Once `stop` is set, each lane stops after the update in hand; the rest is seen again.
    """
    lanes: dict[int | None, list[tuple[int, Update | None]]] = {}
    for item in batch:
        lanes.setdefault(lane_of(item[1]), []).append(item)
    handled: set[int] = set()

    async def run(lane: list[tuple[int, Update | None]]) -> None:
        for update_id, update in lane:
            if stop.is_set():
                return
            if update is not None:
                await app.process_update(update)
            handled.add(update_id)

    if len(lanes) == 1:  # one chat (or one update): no task to start, the same order
        results: list[BaseException | None] = [None]
        try:
            await run(next(iter(lanes.values())))
        except Exception as exc:  # as gather's return_exceptions: the offset first
            results = [exc]
    else:
        results = await asyncio.gather(
            *(run(lane) for lane in lanes.values()), return_exceptions=True
        )
    for update_id, _ in batch:
        if update_id not in handled:
            break
        offset = update_id + 1
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return offset


async def read_batch(app: App, offset: int | None) -> list[tuple[int, Update | None]]:
    """The next updates as (update id, the Update, or None for one that cannot be read).

    An update this library cannot read (a newer Bot API, a malformed field) would otherwise
    fail the whole batch again and again; it is logged by id and skipped, the rest handled.
    """
    try:
        updates = await app.bot.get_updates(
            offset=offset,
            limit=BATCH_LIMIT,
            timeout=POLL_TIMEOUT_SECONDS,
            allowed_updates=Update.ALL_TYPES,
        )
    except TelegramError:
        raise
    except Exception as exc:
        log.error("a batch of updates could not be read (%s); reading one by one", reason(exc))
    else:
        return [(update.update_id, update) for update in updates]
    with warnings.catch_warnings():  # "use Bot.get_updates": here the raw JSON is the point
        warnings.simplefilter("ignore")
        raw = await app.bot.do_api_request(
            "getUpdates", api_kwargs={"offset": offset, "limit": BATCH_LIMIT, "timeout": 0}
        )
    batch: list[tuple[int, Update | None]] = []
    for item in raw:
        update_id = int(item["update_id"])
        try:
            batch.append((update_id, Update.de_json(item, app.bot)))
        except Exception as exc:
            log.error("update %s could not be read (%s); skipped", update_id, reason(exc))
            batch.append((update_id, None))
    return batch


async def _confirm(app: App, offset: int | None) -> None:
    """Tell Telegram every handled update is done, so a clean restart does not see it again."""
    if offset is None:
        return
    try:
        await app.bot.get_updates(offset=offset, limit=1, timeout=0)
    except TelegramError as exc:
        log.warning("could not confirm the last updates (%s); they may be seen again", reason(exc))
