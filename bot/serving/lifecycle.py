"""The application's one lifecycle: `async with running(app):` and the bot is up.

Entering initializes the application (python-telegram-bot's own `async with app:`, which asks
Telegram who the bot is), runs its `post_init` hook (`bot.app.post_init`: the command menus,
the outbox dispatcher, the reminder and purge jobs, the dashboard's menu buttons) and starts it
(the job queue and the processing of updates) with the dashboard's server (`bot.dashboard`,
when `WEBAPP_URL` is set). Leaving stops the server and the application, shuts it down and runs
its `post_shutdown` hook (the database closed), however the block ends, and also when starting
failed halfway.

What feeds it updates is the caller's: long polling (`bot.serving.polling`) or the webhook
(`bot.serving.webhook`) in production, and the same polling in the demo and the tests, so all
of them start and stop the dispatcher and the jobs the same way.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.context import App
from bot.dashboard.server import serving


@asynccontextmanager
async def running(app: App) -> AsyncIterator[App]:
    """`app` initialized, set up by its `post_init` and started; stopped, shut down and torn
    down by its `post_shutdown` on leaving."""
    try:
        async with app:  # initialize(); shutdown() on leaving (and when initialize fails)
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            try:
                async with serving(app):
                    yield app
            finally:
                if app.running:
                    await app.stop()
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM (for `triage-bot run`: the stop an operator asks)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
