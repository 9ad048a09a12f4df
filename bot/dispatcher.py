"""The outbox dispatcher: sends each queued notification once, urgent first, with back-off.

Rows are written by storage in the same transaction as the change they announce; this job
renders each row from the referral it names at send time, sends it, and marks it sent. On
Telegram's RetryAfter it waits as long as asked; on network errors and 5xx it backs off
exponentially; a permanent refusal (the bot was blocked, the chat is gone) is marked failed
and logged. A lock keeps two runs of the job from sending the same row.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import notices
from bot.context import App, Context, services
from storage import outbox

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 1.0
BATCH = 25
MAX_ATTEMPTS = 50
MAX_BACKOFF_SECONDS = 300.0


def start(app: App) -> None:
    """Run the dispatcher every second, and once straight away."""
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    app.job_queue.run_repeating(
        dispatch_outbox, interval=INTERVAL_SECONDS, first=0.0, name="outbox"
    )


def kick(context: Context) -> None:
    """Ask for a dispatch as soon as possible (after something was queued)."""
    if context.job_queue is not None:
        context.job_queue.run_once(dispatch_outbox, 0.0, name="outbox-kick")


def backoff(attempts: int) -> dt.timedelta:
    """Exponential back-off after `attempts` failures: 2, 4, 8 … seconds, at most five minutes."""
    return dt.timedelta(seconds=min(MAX_BACKOFF_SECONDS, 2.0 ** max(1, attempts)))


async def dispatch_outbox(context: Context) -> None:
    """Send every due outbox row once, urgent first; stop the batch on RetryAfter."""
    s = services(context)
    lock = s.dispatch_lock
    if lock.locked():
        return
    async with lock:
        for row in outbox.due(s.db, s.clock(), BATCH):
            try:
                rendered = notices.render_row(s, row)
                if rendered is None:
                    outbox.mark_failed(s.db, row.id, "nothing to send", s.clock())
                    continue
                message = await context.bot.send_message(
                    chat_id=row.chat_id, text=rendered.text, reply_markup=rendered.markup
                )
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay.total_seconds() if isinstance(delay, dt.timedelta) else delay
                retry_at = s.clock() + dt.timedelta(seconds=float(seconds))
                outbox.mark_retry(s.db, row.id, "429 retry after", retry_at)
                log.warning("outbox %s: Telegram asked to wait %ss", row.id, seconds)
                return
            except (Forbidden, BadRequest) as exc:
                outbox.mark_failed(s.db, row.id, type(exc).__name__, s.clock())
                log.error("outbox %s (%s for %s) refused: %s", row.id, row.kind, row.ref, exc)
                continue
            except (TimedOut, NetworkError) as exc:
                if row.attempts + 1 >= MAX_ATTEMPTS:
                    outbox.mark_failed(s.db, row.id, type(exc).__name__, s.clock())
                    log.error("outbox %s gave up after %s attempts", row.id, row.attempts + 1)
                else:
                    retry_at = s.clock() + backoff(row.attempts + 1)
                    outbox.mark_retry(s.db, row.id, type(exc).__name__, retry_at)
                    log.warning("outbox %s: %s, retrying", row.id, type(exc).__name__)
                continue
            outbox.mark_sent(s.db, row.id, message.message_id, s.clock())
            notices.after_sent(s, row, message.message_id)
