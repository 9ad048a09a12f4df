"""Helpers for the local Bot API tests: a real PTB Application polling the server."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from telegram.ext import Application

from localapi import LocalBotAPI

ALICE = 1001
BOB = 1002
BOARD = -100200300


def build_application(api: LocalBotAPI) -> Application:  # type: ignore[type-arg]
    """A PTB Application pointed at the local server, as `TELEGRAM_BASE_URL` would make it."""
    return (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )


@contextlib.asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run `app` with long polling for the duration of the block."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
