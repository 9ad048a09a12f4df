"""Webhook mode keeps the polling guarantee: Telegram's POST is answered only after the update
was handled (the bot's reply is already sent when the 200 comes back), requests without the
secret token are refused unread, and it listens on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from harness import PROBE, make_settings

from bot.app import build_app
from bot.serving.webhook import SECRET_HEADER, serve_webhook
from bot.settings import Settings
from localapi import LocalBotAPI

SECRET = "webhook-secret-for-tests_0123"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def webhook(api: LocalBotAPI, tmp_path: Path) -> AsyncIterator[tuple[Settings, str]]:
    """The bot serving its webhook on a free local port; (settings, the URL to POST to)."""
    port = _free_port()
    settings = make_settings(
        api,
        tmp_path,
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(build_app(settings), settings, stop))
    url = f"http://127.0.0.1:{port}/telegram"
    async with aiohttp.ClientSession() as session:
        for _ in range(100):
            try:
                async with session.post(url) as response:
                    if response.status == 403:
                        break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
    yield settings, url
    stop.set()
    await task


async def test_an_update_is_handled_before_telegram_is_answered(
    api: LocalBotAPI, webhook: tuple[Settings, str]
) -> None:
    settings, url = webhook
    assert settings.webhook_listen == "127.0.0.1"
    assert api.calls("setWebhook")[-1].params["url"] == settings.webhook_url
    update = api.send_text(PROBE, "/help")  # the update as Telegram would POST it
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response,
    ):
        assert response.status == 200
        replies = [m for m in api.bot_messages(PROBE) if "How this works" in m.reads]
        assert replies, "the reply was sent before Telegram was answered"


@pytest.mark.parametrize("secret", ["", "wrong-secret"], ids=["none", "wrong"])
async def test_a_request_without_the_secret_is_refused_unread(
    api: LocalBotAPI, webhook: tuple[Settings, str], secret: str
) -> None:
    _, url = webhook
    update = api.send_text(PROBE, "/help")
    headers = {SECRET_HEADER: secret} if secret else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        assert response.status == 403
    await asyncio.sleep(0.2)
    assert api.bot_messages(PROBE) == []
