"""Fixtures: a started local Bot API server and a real python-telegram-bot `Bot` bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from localapi_helpers import ALICE, BOARD, BOB
from telegram import Bot

from bot.settings import opt_in_to_timedelta
from localapi import LocalBotAPI

opt_in_to_timedelta()  # python-telegram-bot as the bot configures it


@pytest.fixture
async def api() -> AsyncIterator[LocalBotAPI]:
    server = LocalBotAPI()
    await server.start()
    server.add_user(ALICE, "Alice", "alice_synthetic")
    server.add_user(BOB, "Bob")
    server.add_chat(BOARD, "supergroup", "Board officers")
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def bot(api: LocalBotAPI) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client
