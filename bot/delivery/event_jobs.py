"""The job that asks for feedback after a learning event (SPEC §9), on the job queue.

Every `INTERVAL` seconds (and `FIRST` seconds after start), each event that has ended and whose
questions have not been queued gets them queued, once, to each who was coming
(`services.learning_events.queue_questions`: a compare-and-set on the event, in the transaction
that queues the outbox rows), so they arrive within five minutes of the end, and a restart
between the end and the job still sends them, once. `run_now(app)` does it at once and
dispatches (tests and operators).
"""

from __future__ import annotations

import logging

from bot.context import App, Context, Services, services
from bot.delivery import sender
from services.learning_events import queue_questions

log = logging.getLogger(__name__)

INTERVAL = 60.0  # seconds between runs: well within the five minutes after an event's end
FIRST = 2.0  # the first run, shortly after start (a restart after an end asks at once)


def queue_due(s: Services) -> list[str]:
    """Queue the feedback questions of every event over and not yet asked; their references."""
    asked = queue_questions(s.db, s.clock(), s.dialogs.feedback.questionnaire.first)
    if asked:
        log.info("feedback asked for %d learning event(s)", len(asked))
    return asked


async def ask(context: Context) -> None:
    """The job: queue what is due and dispatch it."""
    if queue_due(services(context)):
        sender.kick(context)


async def run_now(app: App) -> list[str]:
    """Queue what is due whatever the interval, and dispatch it at once."""
    asked = queue_due(app.bot_data.services)
    if asked:
        sender.kick_app(app, "outbox-feedback")
    return asked


def start(app: App) -> None:
    """Schedule the repeating job."""
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    app.job_queue.run_repeating(ask, interval=INTERVAL, first=FIRST, name="event-feedback")
