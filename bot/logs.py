"""Logging set-up that keeps secrets out: the token is scrubbed, library loggers are capped.

python-telegram-bot logs every request's parameters (message texts included) and the
token-bearing base URL at DEBUG, and httpx logs each request URL (which carries the token)
at INFO. Those loggers are held at levels where they say neither, whatever LOG_LEVEL is,
and a filter on the handler replaces the token anywhere it might still appear (`scrub`, also
used for the one-line errors of `triage-bot run`). Another withholds the data (updates,
parameters) a library passes to a log call at any level.

Errors are logged with `log_error`: the exception's type and where it happened, but not its
message, which may quote what a person typed (a parse error names the offending tag, a
ValueError its value); only SQLite's own messages ("database is locked") are kept. `reason`
names a Telegram refusal by a phrase from a fixed list (`TELEGRAM_PHRASES`), never by the
description Telegram sent, whose tail can quote the message.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import sys
import traceback
from collections.abc import Mapping
from typing import TextIO

# logger name -> the most verbose level it may ever log at
_CAPPED = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "telegram.ext": logging.INFO,
    "apscheduler": logging.WARNING,
    "transitions": logging.WARNING,
    "aiohttp.access": logging.WARNING,
}


# loggers of libraries whose log calls may pass data (an update, a request's parameters)
_LIBRARIES = ("telegram", "httpx", "httpcore", "apscheduler", "aiohttp")
WITHHELD = "[data withheld]"


def _is_data(value: object) -> bool:
    if isinstance(value, BaseException):
        return False
    if isinstance(value, dict | list | tuple | set | frozenset | bytes):
        return True
    return type(value).__module__.split(".")[0] == "telegram"  # an Update, a Message…


class LibraryDataFilter(logging.Filter):
    """Withhold what a library hands its log calls as data: containers and Telegram objects
    become `[data withheld]`; words, numbers and exceptions stay.

    python-telegram-bot logs at CRITICAL, whatever the level, the raw updates it could not
    parse ("Received data was [...]") and an update whose context it could not build: both
    carry what people typed.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace data arguments of a library's record; keep the record."""
        if not record.args or not record.name.startswith(_LIBRARIES):
            return True
        if isinstance(record.args, Mapping):  # a lone dict argument: data, every value of it
            record.args = {key: WITHHELD for key in record.args}
        else:
            record.args = tuple(WITHHELD if _is_data(a) else a for a in record.args)
        return True


# `/bot<token>/` in a URL (python-telegram-bot's and httpx's errors quote the request URL)
_BOT_URL = re.compile(r"/(file/)?bot[^/\s'\"]+/")


def secret_forms(*secrets: str) -> list[str]:
    """Each secret, and for a bot token its secret half (after the bot's number) too."""
    forms = [s for s in secrets if s]
    forms += [s.split(":", 1)[1] for s in forms if ":" in s and s.split(":", 1)[1]]
    return sorted(set(forms), key=len, reverse=True)


def scrub(text: str, *secrets: str) -> str:
    """`text` with every secret, and any token-bearing `/bot…/` URL segment, replaced."""
    for secret in secret_forms(*secrets):
        text = text.replace(secret, "[TOKEN]")
    return _BOT_URL.sub(lambda m: f"/{m.group(1) or ''}bot[TOKEN]/", text)


class SecretFilter(logging.Filter):
    """Replace each secret in a record's final message with a placeholder."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = secret_forms(*secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, scrub it, and keep the record."""
        if not self._secrets:
            return True
        message = record.getMessage()
        scrubbed = scrub(message, *self._secrets)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, *self._secrets)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


def configure_logging(
    level: str, token: str, stream: TextIO | None = None, *, secrets: tuple[str, ...] = ()
) -> logging.Handler:
    """Configure the root logger at `level`, scrub `token` (and any other `secrets`), and cap
    the chatty libraries."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(LibraryDataFilter())
    handler.addFilter(SecretFilter([token, *secrets]))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    numeric = logging.getLevelName(level.upper())
    root.setLevel(numeric if isinstance(numeric, int) else logging.INFO)
    for name, floor in _CAPPED.items():
        logging.getLogger(name).setLevel(max(floor, root.level))
    return handler


# Telegram's error descriptions that quote nothing of a message, as python-telegram-bot hands
# them on (it drops a leading "Bad Request: "). `reason` logs only the phrase from this list
# that a description starts with: "can't parse entities: Unsupported start tag "x" at byte
# offset 7" is logged as "can't parse entities", since the rest quotes the text.
TELEGRAM_PHRASES = (
    "bot can't initiate conversation with a user",
    "bot is not a member of the channel chat",
    "bot is not a member of the supergroup chat",
    "bot was blocked by the user",
    "bot was kicked from the group chat",
    "bot was kicked from the supergroup chat",
    "button_data_invalid",
    "can't parse entities",
    "chat not found",
    "chat_write_forbidden",
    "group chat was upgraded to a supergroup chat",
    "have no rights to send a message",
    "invalid file id",
    "message can't be deleted",
    "message can't be edited",
    "message is not modified",
    "message is too long",
    "message text is empty",
    "message to delete not found",
    "message to edit not found",
    "not enough rights",
    "query is too old and response timeout expired or query id is invalid",
    "reply markup is too long",
    "terminated by other getupdates request",
    "user is deactivated",
    "user not found",
    "wrong file identifier",
)
_PREFIXES = ("bad request: ", "forbidden: ", "conflict: ", "unauthorized: ")


def telegram_phrase(description: str) -> str | None:
    """The phrase of `TELEGRAM_PHRASES` that a Telegram error description starts with."""
    text = " ".join(description.split()).casefold()
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    return next((phrase for phrase in TELEGRAM_PHRASES if text.startswith(phrase)), None)


def reason(exc: BaseException) -> str:
    """A short, text-free reason: the type, with SQLite's message or a known Telegram phrase.

    A Telegram error's own description is never used: only the phrase of `TELEGRAM_PHRASES`
    it starts with (`BadRequest: chat not found`), or else the type alone, with the type of
    the error it wraps (`NetworkError (ConnectError)`).
    """
    name = type(exc).__name__
    if isinstance(exc, sqlite3.Error):
        return f"{name}: {exc}"
    if exc.__cause__ is not None:  # a NetworkError wrapping httpx's ConnectError, ReadTimeout…
        name = f"{name} ({type(exc.__cause__).__name__})"
    message = getattr(exc, "message", None)
    phrase = telegram_phrase(message) if isinstance(message, str) else None
    return f"{name}: {phrase}" if phrase else name


def log_error(logger: logging.Logger, what: str, error: BaseException | None) -> None:
    """Log `what` at ERROR with the error's reason and its traceback frames, but no message."""
    if error is None:
        logger.error("%s", what)
        return
    frames: list[str] = []
    current: BaseException | None = error
    while current is not None and len(frames) < 5:
        frames.append("".join(traceback.format_tb(current.__traceback__)) + reason(current) + "\n")
        current = current.__cause__ or current.__context__
    logger.error("%s: %s\n%s", what, reason(error), "-- caused by --\n".join(reversed(frames)))
