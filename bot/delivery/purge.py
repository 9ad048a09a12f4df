"""The daily retention job (JobQueue): `storage.retention.purge` erases the free text of every
referral declined or closed longer than `RETAIN_DECLINED_MONTHS` / `RETAIN_CLOSED_YEARS`.

Runs once a day at `PURGE_TIME` board time, and once shortly after start (a bot that was down at
that hour still purges that day). The purge is idempotent: a referral is erased once. Only
references and counts are logged, never text.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.context import App, Context, Services, services
from bot.delivery.workdays import BOARD_TZ
from storage import retention

log = logging.getLogger(__name__)

PURGE_TIME = dt.time(2, 30, tzinfo=BOARD_TZ)
CATCH_UP_SECONDS = 120.0


def purge_due(s: Services) -> retention.Purge:
    """Erase what is due today under the configured schedule; returns what was erased."""
    done = retention.purge(
        s.db,
        today=s.today(),
        declined_months=s.settings.retain_declined_months,
        closed_years=s.settings.retain_closed_years,
        now=s.clock(),
        actor="system",
    )
    if done.erasures:
        refs = ", ".join(e.ref for e in done.erasures)
        log.info("retention: erased the free text of %d referral(s): %s", len(done.erasures), refs)
    if done.erasures and done.backups.count:
        log.warning(
            "retention: %d backup(s) made before this purge still hold the erased text",
            done.backups.count,
        )
    if not done.checkpointed:
        log.warning("retention: the WAL could not be emptied yet (a reader held it)")
    return done


async def purge_job(context: Context) -> None:
    """The job: apply the retention schedule today."""
    purge_due(services(context))


def start(app: App) -> None:
    """Schedule the daily purge, and a catch-up run shortly after start."""
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    app.job_queue.run_daily(purge_job, time=PURGE_TIME, name="retention")
    app.job_queue.run_once(purge_job, CATCH_UP_SECONDS, name="retention-catch-up")
