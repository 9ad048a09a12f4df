"""The outbox dispatcher: sends each queued notification, urgent first, and records it once.

Rows are written by storage in the same transaction as the change they announce; this job
renders each row from the referral it names at send time, claims it, sends it and marks it
sent. What each failure does:

- Telegram's RetryAfter (429): the whole dispatcher waits as long as asked (flood control is
  per bot), the row is marked for retry then and its chat's later rows deferred behind it, then
  it carries on. This is the one retry of an outbox send: the rate limiter does not retry it
  as well (`bot.serving.limits` says why, and how direct replies differ).
- A transient failure (5xx, a timeout, the network): the row is retried with exponential
  back-off capped at `MAX_BACKOFF_SECONDS`, so delivery follows the end of an outage within
  that cap; it is never given up. Two transient failures in a row end the batch early, so an
  outage is not hammered with every queued row.
- A permanent refusal (the bot was blocked, the chat is gone, a bad request): marked failed
  and logged; the referral itself is untouched and stays in the board's queue.
- The database cannot be written (locked, read-only): nothing is marked; a message that did
  go out is remembered in memory and recorded as soon as the database takes writes again, so
  it is not sent twice while the process lives.

A run sends batches of `BATCH` due rows, most urgent first, for as long as full batches keep
coming (a learning brief to thousands: the rate limiter, `bot.serving.limits`, paces them at
Telegram's 30 messages a second; just after flood control's pause several briefs go at once,
`bot.delivery.flight`). Something queued meanwhile (`kick`) ends the batch after the
row in hand, so that a referral's notice does not wait behind the rest of a batch of briefs;
and a run that stops after `MAX_BATCHES` with more due hands over to the next at once.

Exactly once is what the dispatcher achieves for every row except one case that no Telegram
client can close: a crash (or a timeout) while a send is in flight, when Telegram may or may
not have delivered it and offers no way to ask. The row's claim survives the crash; on start
the row is sent again with a line saying it may repeat an earlier message. So a notification
is never lost, and only one in flight can arrive twice (one, or the few briefs of a burst).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from typing import Any

from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import JobQueue

from bot.context import App, Context, Services, services
from bot.delivery import documents, messaging, notices
from bot.delivery.dispatch_state import DispatchState
from bot.delivery.flight import BURST, Flight
from bot.logs import log_error, reason
from bot.serving.limits import OWN_RETRY, retry_seconds
from storage import outbox
from storage.db import transaction
from templates import render

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 1.0
BATCH = 25
MAX_BATCHES = 8  # per run, when more rows keep coming due
MAX_BACKOFF_SECONDS = 30.0
MAX_UNEXPECTED_FAILURES = 20  # a row our own code cannot render or send is given up after this
LEASE = dt.timedelta(seconds=120)  # longer than any one send, rate-limiter waits included


def start(app: App) -> None:
    """Release rows a crash left claimed, then dispatch every second and once straight away."""
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    s = app.bot_data.services
    try:
        released = outbox.release_interrupted(s.db, s.clock())
    except sqlite3.Error as exc:  # their leases run out and they are sent then
        log.warning("outbox: interrupted sends not released at start: %s", type(exc).__name__)
    else:
        if released:
            log.warning(
                "outbox: %d send(s) cut short by a restart will be sent again", len(released)
            )
    app.job_queue.run_repeating(  # a tick during a long run returns at once (the lock)
        dispatch_outbox,
        interval=INTERVAL_SECONDS,
        first=0.0,
        name="outbox",
        job_kwargs={"max_instances": 2},  # rather than a "skipped" warning every second
    )


def kick(context: Context) -> None:
    """Ask for a dispatch as soon as possible (after something was queued)."""
    _ask(services(context).dispatch, context.job_queue, "outbox-kick")


def kick_app(app: App, name: str) -> None:
    """`kick` from outside a handler or job: a job's `run_now`, an operator's command."""
    _ask(app.bot_data.services.dispatch, app.job_queue, name)


def _ask(state: DispatchState, jobs: JobQueue[Any] | None, name: str) -> None:
    state.again = state.queued = True
    if jobs is not None:
        jobs.run_once(dispatch_outbox, 0.0, name=name)


def backoff(attempts: int) -> dt.timedelta:
    """Back-off after `attempts` failures: 1, 2, 4, 8, 16 seconds, then `MAX_BACKOFF_SECONDS`."""
    return dt.timedelta(seconds=min(MAX_BACKOFF_SECONDS, 2.0 ** max(0, attempts - 1)))


async def dispatch_outbox(context: Context) -> None:
    """Send the due rows, urgent first; a run holding the lock makes others return at once."""
    s = services(context)
    state = s.dispatch
    if state.lock.locked():
        state.again = True  # the run in progress looks once more before it ends
        return
    async with state.lock:
        try:
            for _ in range(MAX_BATCHES):
                if not context.application.running:  # stopping: the rest go at the next start
                    return
                state.again = state.queued = False
                _record_unrecorded(s, state)
                if time.monotonic() < state.paused_until:
                    return
                sent_all = await _send_batch(context, s, state)
                if not (sent_all or state.again):
                    return
            wake(context, state, 0.0)  # more are due: the next run goes on at once
        except sqlite3.Error as exc:
            log.warning("outbox: database unavailable (%s); will retry", type(exc).__name__)


async def _send_batch(context: Context, s: Services, state: DispatchState) -> bool:
    """Send one batch (learning briefs a few at once: `bot.delivery.flight`); True when it was
    full and went through, or cut short by something queued meanwhile (more may be due)."""
    rows = [r for r in outbox.due(s.db, s.clock(), BATCH) if r.id not in state.unrecorded]
    flight = Flight(state)
    try:
        for row in rows:
            if row.priority > outbox.PRIORITY_BRIEF or flight.busy(row.chat_id):
                await flight.land()  # a notice goes alone; a chat's rows go in order
            while flight.full():
                await flight.wait_one()
            flight.harvest()
            if flight.ended or not context.application.running:  # stopping: the rest later
                break
            if outbox.claim(s.db, row.id, s.clock(), LEASE):
                flight.start(row.chat_id, _send_row(context, s, state, row))
    finally:
        await flight.land()
    if not context.application.running:
        return False
    return flight.more if flight.ended else len(rows) == BATCH


async def _send_row(
    context: Context, s: Services, state: DispatchState, row: outbox.OutboxRow
) -> str:
    """Render and send one claimed row; returns sent, failed, transient or stop."""
    try:
        rendered = notices.render_row(s, row)
    except sqlite3.Error:
        raise
    except Exception as exc:  # a bug of ours: retried a while, then given up and logged
        return _unexpected(s, row, exc)
    if rendered is None:
        outbox.mark_failed(s.db, row.id, "nothing to send", s.clock())
        return "failed"
    try:
        message_id = await _send_messages(context, s, row, rendered)
    except RetryAfter as exc:  # this retry is the only one (`bot.serving.limits`)
        seconds = retry_seconds(exc)
        state.paused_until = time.monotonic() + seconds
        state.burst = BURST  # the limiter's allowance when the pause ends
        retry_at = s.clock() + dt.timedelta(seconds=seconds)
        outbox.mark_retry(s.db, row.id, "429 retry after", retry_at)
        outbox.defer_chat(s.db, row.chat_id, retry_at)
        wake(context, state, seconds)
        log.warning("outbox %s: Telegram asked to wait %ss", row.id, seconds)
        return "stop"
    except (Forbidden, BadRequest) as exc:
        outbox.mark_failed(s.db, row.id, type(exc).__name__, s.clock())
        log.error("outbox %s (%s for %s) refused: %s", row.id, row.kind, row.ref, reason(exc))
        return "failed"
    except TelegramError as exc:  # TimedOut, NetworkError (5xx), Conflict…: try again later
        wait = backoff(row.attempts + 1)
        retry_at = s.clock() + wait
        outbox.mark_retry(s.db, row.id, type(exc).__name__, retry_at)
        wake(context, state, wait.total_seconds())
        outbox.defer_chat(s.db, row.chat_id, retry_at)  # the chat's urgent rows stay first
        log.warning("outbox %s: %s, retrying at %s", row.id, type(exc).__name__, retry_at)
        return "transient"
    except Exception as exc:
        return _unexpected(s, row, exc)
    state.unrecorded[row.id] = message_id
    if row.cut_short:
        log.warning(
            "outbox %s (%s for %s) sent again after an interruption", row.id, row.kind, row.ref
        )
    _record(s, state, row, message_id)
    return "sent"


def _noted(text: str, limit: int) -> str:
    """`text` with the line saying it may repeat an earlier message, when that still fits (a
    message already at the limit goes without it, rather than fail)."""
    resent = f"{text}\n\n{render('bot/resent.j2')}"
    return resent if messaging.visible_length(resent) <= limit else text


async def _send_messages(
    context: Context, s: Services, row: outbox.OutboxRow, rendered: notices.Rendered
) -> int | None:
    """Send a claimed row's messages (a long brief's parts, the one with the buttons, then its
    document), from the first not yet sent; returns the Telegram id of the one with the buttons.

    A row of several messages records each as it goes out, so a send cut short (a crash, a 429,
    an outage) resumes at the message that was in flight: only that one can arrive twice, and
    it carries the line saying so.
    """
    texts = [*rendered.before, rendered.text]
    document = rendered.document
    total = len(texts) + (document is not None)
    message_id = row.sent_message_id
    for index in range(min(row.parts_sent, total - 1), total):
        again = row.cut_short and index == row.parts_sent  # the message that may have gone
        if index < len(texts):
            text = _noted(texts[index], MessageLimit.MAX_TEXT_LENGTH) if again else texts[index]
            last = index == len(texts) - 1
            markup = rendered.markup if last else None
            message = await context.bot.send_message(
                chat_id=row.chat_id, text=text, reply_markup=markup, rate_limit_args=OWN_RETRY
            )
            message_id = message.message_id if last else message_id
        elif document is not None:
            caption = rendered.caption or render("bot/briefs/caption.j2", ref=row.ref)
            caption = _noted(caption, MessageLimit.CAPTION_LENGTH) if again else caption
            name, html = document
            await documents.send_document(
                context.bot, s.dispatch.documents, row.chat_id, name, html.encode(), caption
            )
        if index + 1 < total and not _progress(s, row, index + 1, message_id):
            break  # no longer pending (its recipient asked to be forgotten): the rest stay
    return message_id


def _progress(s: Services, row: outbox.OutboxRow, parts: int, message_id: int | None) -> bool:
    """Record how many of a row's messages went out; False when the row is no longer pending.
    If the database refuses, carry on (the row is recorded when it takes writes again, and only
    a crash before then repeats parts)."""
    try:
        return outbox.mark_part_sent(s.db, row.id, parts, message_id)
    except sqlite3.Error as exc:
        log.warning("outbox %s: progress not recorded (%s)", row.id, type(exc).__name__)
        return True


def wake(context: Context, state: DispatchState, seconds: float) -> None:
    """Run again when a retry comes due, rather than at the next whole-second tick (unless
    a run is already set for earlier)."""
    at = time.monotonic() + seconds
    if context.job_queue is None or time.monotonic() < state.wake_at <= at:
        return
    state.wake_at = at
    context.job_queue.run_once(dispatch_outbox, seconds + 0.01, name="outbox-retry")


def _unexpected(s: Services, row: outbox.OutboxRow, exc: Exception) -> str:
    log_error(log, f"outbox {row.id} ({row.kind})", exc)
    if row.attempts + 1 >= MAX_UNEXPECTED_FAILURES:
        outbox.mark_failed(s.db, row.id, type(exc).__name__, s.clock())
        return "failed"
    outbox.mark_retry(s.db, row.id, type(exc).__name__, s.clock() + backoff(row.attempts + 1))
    return "transient"


def _record(
    s: Services, state: DispatchState, row: outbox.OutboxRow, message_id: int | None
) -> None:
    """Mark a delivered row sent and run its follow-ups, in one transaction; then forget it."""
    with transaction(s.db):
        sent = outbox.mark_sent(s.db, row.id, message_id, s.clock())
        if sent and message_id is not None:
            notices.after_sent(s, row, message_id)
    state.unrecorded.pop(row.id, None)


def _record_unrecorded(s: Services, state: DispatchState) -> None:
    """Record messages that went out while the database refused writes (sqlite3.Error if it
    still does)."""
    for row_id, message_id in list(state.unrecorded.items()):
        row = outbox.get_row(s.db, row_id)
        if row is None or row.status != outbox.PENDING:
            state.unrecorded.pop(row_id, None)
            continue
        _record(s, state, row, message_id)
        log.info("outbox %s: delivery recorded late", row_id)
