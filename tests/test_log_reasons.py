"""A Telegram refusal reaches the log by its type and a phrase from a fixed list, never by the
description Telegram sent, whose tail can quote the message.

The local Bot API server refuses malformed HTML as Telegram does ("Bad Request: can't parse
entities: Unsupported start tag "…" at byte offset N", quoting the text); a real
python-telegram-bot `Bot` sends it over HTTP, and the refusal is logged as the outbox sender
and the error handler log it (`reason`, `log_error`), through `configure_logging`.
"""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import Iterator

import pytest
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.logs import TELEGRAM_PHRASES, configure_logging, log_error, reason, telegram_phrase
from localapi import ThreadedLocalBotAPI

TOKEN = "555:log-reasons-test-token"
CHAT = 4242
# what a person typed, which must not reach the log in any form
SECRET_TAG = "Flat-7-Acacia-Avenue-NHS9434765919"
TEXTS = {
    "an unsupported tag": f"Seen at <{SECRET_TAG}> on Monday",
    "a bare ampersand": "Jo Bloggs & Sam Bloggs, NHS 943 476 5919",
    "a bad attribute": f'<a href="x" {SECRET_TAG}="1"=>child</a>',
    "a tag left open": f"<b>{SECRET_TAG}",
}


@pytest.fixture
def api() -> Iterator[ThreadedLocalBotAPI]:
    server = ThreadedLocalBotAPI(token=TOKEN)
    server.start()
    server.add_user(CHAT, "Pat")
    yield server
    server.stop()


@pytest.fixture
def log_buffer() -> Iterator[io.StringIO]:
    """The bot's logging into a buffer; the root logger put back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("telegram", "httpx", "httpcore")}
    buffer = io.StringIO()
    configure_logging("DEBUG", TOKEN, buffer)
    yield buffer
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


async def refusal(api: ThreadedLocalBotAPI, text: str) -> TelegramError:
    """What the server answers when the bot sends `text` as HTML."""
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        with pytest.raises(TelegramError) as refused:
            await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
    return refused.value


def quoted(fragment: str, text: str) -> bool:
    """Whether `fragment` appears in `text`, in any case (Telegram lowercases a tag's name)."""
    return fragment.casefold() in text.casefold()


@pytest.mark.parametrize("case", sorted(TEXTS))
async def test_a_refused_html_text_reaches_the_log_without_its_words(
    api: ThreadedLocalBotAPI, log_buffer: io.StringIO, case: str
) -> None:
    text = TEXTS[case]
    exc = await refusal(api, text)
    assert isinstance(exc, BadRequest)
    assert exc.message.startswith("Can't parse entities: ")  # "Bad Request: " already gone
    log = logging.getLogger("bot.delivery.sender")
    log.error("outbox %s (%s for %s) refused: %s", 7, "chair_card", "LIR-2026-0001", reason(exc))
    log_error(logging.getLogger("bot.app"), "error while handling update 9", exc)

    written = log_buffer.getvalue()
    assert "refused: BadRequest: can't parse entities" in written
    assert "error while handling update 9: BadRequest: can't parse entities" in written
    assert "byte offset" not in written
    if case == "an unsupported tag":  # Telegram's description quotes the text: a leak shows
        assert quoted(SECRET_TAG, exc.message)
    typed = [SECRET_TAG, "acacia", "9434765919", "bloggs", "monday", "child", "href"]
    assert [word for word in typed if quoted(word, written)] == [], written


async def test_only_listed_phrases_are_kept(api: ThreadedLocalBotAPI) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        with pytest.raises(BadRequest) as refused:
            await bot.send_message(999_999, "hello")  # no such chat
    assert reason(refused.value) == "BadRequest: chat not found"
    assert telegram_phrase("Forbidden: bot was blocked by the user") == (
        "bot was blocked by the user"
    )
    unknown = BadRequest(f"Something new: the text was {SECRET_TAG}")
    assert reason(unknown) == "BadRequest"
    assert reason(ValueError(f"bad {SECRET_TAG}")) == "ValueError"
    assert all(phrase == phrase.casefold() for phrase in TELEGRAM_PHRASES)


async def test_a_network_error_is_named_by_the_error_it_wraps() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot")
    with pytest.raises(NetworkError) as failed:
        await bot.get_me()
    assert reason(failed.value) == "NetworkError (ConnectError)"
