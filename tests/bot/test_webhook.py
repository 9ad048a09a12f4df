"""Webhook mode keeps the polling guarantee: Telegram's POST is answered only after the update
was handled (the bot's reply is already sent when the 200 comes back), requests without the
secret token are refused unread, and it listens on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from harness import PROBE, STRANGER, make_settings

from bot.app import build_app
from bot.serving.webhook import READ_TIMEOUT_SECONDS, SECRET_HEADER, serve_webhook
from bot.settings import Settings
from localapi import LocalBotAPI

SECRET = "webhook-secret-for-tests_0123"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def serving(
    api: LocalBotAPI, tmp_path: Path, port: int, read_timeout: float = READ_TIMEOUT_SECONDS
) -> AsyncIterator[tuple[Settings, str]]:
    """The bot (its database in `tmp_path`) serving its webhook on `port` until the block
    ends; (settings, the URL to POST to)."""
    settings = make_settings(
        api,
        tmp_path,
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
    )
    stop = asyncio.Event()
    app = build_app(settings)
    task = asyncio.create_task(serve_webhook(app, settings, stop, read_timeout=read_timeout))
    url = f"http://127.0.0.1:{port}/telegram"
    async with aiohttp.ClientSession() as session:
        for _ in range(100):
            try:
                async with session.post(url) as response:
                    if response.status == 403:
                        break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
    try:
        yield settings, url
    finally:
        stop.set()
        await task


@pytest.fixture
async def webhook(api: LocalBotAPI, tmp_path: Path) -> AsyncIterator[tuple[Settings, str]]:
    """The bot serving its webhook on a free local port; (settings, the URL to POST to)."""
    async with serving(api, tmp_path, _free_port()) as served:
        yield served


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


async def _post(url: str, update: dict[str, Any]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers={SECRET_HEADER: SECRET}) as response,
    ):
        return response.status


def _helps(api: LocalBotAPI, chat: int = PROBE) -> int:
    return sum("How this works" in text for text in api.bot_texts(chat))


async def test_an_update_posted_twice_is_handled_once(
    api: LocalBotAPI, webhook: tuple[Settings, str]
) -> None:
    """Telegram sends an update again when the answer is slow: the copy is answered, not
    handled; the next update (the control) is handled."""
    _, url = webhook
    update = api.send_text(PROBE, "/help")
    assert [await _post(url, update), await _post(url, update)] == [200, 200]
    assert _helps(api) == 1
    assert await _post(url, api.send_text(PROBE, "/help")) == 200
    assert _helps(api) == 2


async def test_five_copies_posted_at_once_are_handled_once(
    api: LocalBotAPI, webhook: tuple[Settings, str]
) -> None:
    _, url = webhook
    api.delay("sendMessage", 0.3, chat_id=PROBE)  # the first is still in hand as the rest come
    update = api.send_text(PROBE, "/help")
    statuses = await asyncio.gather(*(_post(url, update) for _ in range(5)))
    assert statuses == [200] * 5  # every copy answered, so Telegram stops sending it
    assert _helps(api) == 1


async def test_an_update_handled_before_a_restart_is_not_handled_again(
    api: LocalBotAPI, tmp_path: Path
) -> None:
    port = _free_port()
    update = api.send_text(PROBE, "/help")
    async with serving(api, tmp_path, port) as (_, url):
        assert await _post(url, update) == 200
    async with serving(api, tmp_path, port) as (_, url):
        assert await _post(url, update) == 200
        assert _helps(api) == 1
        assert await _post(url, api.send_text(PROBE, "/help")) == 200  # the control
        assert _helps(api) == 2


async def test_one_chats_updates_are_handled_in_order_and_others_meanwhile(
    api: LocalBotAPI, webhook: tuple[Settings, str]
) -> None:
    """The first update's reply is slow; the same chat's second waits for it, another chat's
    is answered meanwhile."""
    _, url = webhook
    api.delay("sendMessage", 0.8, chat_id=PROBE)
    first = asyncio.create_task(_post(url, api.send_text(PROBE, "/help")))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(_post(url, api.send_text(PROBE, "/start")))
    assert await _post(url, api.send_text(STRANGER, "/help")) == 200
    assert _helps(api, STRANGER) == 1 and _helps(api, PROBE) == 0  # not held up by PROBE's
    assert await asyncio.gather(first, second) == [200, 200]
    texts = api.bot_texts(PROBE)
    assert len(texts) > 1 and "How this works" in texts[0], texts  # /help's reply came first


async def _closed_within(port: int, request: bytes, seconds: float) -> bytes:
    """Send `request` (not all of it) on a raw connection; what the server sent before it
    closed the connection, which it must do within `seconds`."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(seconds):
            return await reader.read()  # b"" or an error answer, then end of file
    finally:
        writer.close()


@pytest.mark.parametrize(
    "half_sent",
    [
        b"POST /telegram HTTP/1.1\r\nHost: bot\r\n",
        b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        b"Content-Length: 500\r\n" + SECRET_HEADER.encode() + b": " + SECRET.encode() + b"\r\n"
        b'\r\n{"update_id": 1',
    ],
    ids=["headers", "body"],
)
async def test_a_half_sent_request_is_dropped(
    api: LocalBotAPI, tmp_path: Path, half_sent: bytes
) -> None:
    port = _free_port()
    async with serving(api, tmp_path, port, read_timeout=0.5) as (_, url):
        answer = await _closed_within(port, half_sent, 3.0)
        assert b" 200 " not in answer
        assert await _post(url, api.send_text(PROBE, "/help")) == 200  # a whole one still works
        assert _helps(api) == 1
