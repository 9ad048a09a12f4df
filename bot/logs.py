"""Logging set-up that keeps secrets out: the token is scrubbed, library loggers are capped.

python-telegram-bot logs every request's parameters (message texts included) and the
token-bearing base URL at DEBUG, and httpx logs each request URL (which carries the token)
at INFO. Those loggers are held at levels where they say neither, whatever LOG_LEVEL is,
and a filter on the handler replaces the token anywhere it might still appear. Another
withholds the data (updates, parameters) a library passes to a log call at any level.

Errors are logged with `log_error`: the exception's type and where it happened, but not its
message, which may quote what a person typed (a parse error names the offending tag, a
ValueError its value); only SQLite's own messages ("database is locked") are kept. `reason`
shortens a Telegram refusal the same way.
"""

from __future__ import annotations

import logging
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


class SecretFilter(logging.Filter):
    """Replace each secret in a record's final message with a placeholder."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, scrub it, and keep the record."""
        if not self._secrets:
            return True
        message = record.getMessage()
        scrubbed = message
        for secret in self._secrets:
            scrubbed = scrubbed.replace(secret, "[TOKEN]")
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self._secrets:
                record.exc_text = record.exc_text.replace(secret, "[TOKEN]")
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


def configure_logging(level: str, token: str, stream: TextIO | None = None) -> logging.Handler:
    """Configure the root logger at `level`, scrub `token`, and cap the chatty libraries."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(LibraryDataFilter())
    handler.addFilter(SecretFilter([token]))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    numeric = logging.getLevelName(level.upper())
    root.setLevel(numeric if isinstance(numeric, int) else logging.INFO)
    for name, floor in _CAPPED.items():
        logging.getLogger(name).setLevel(max(floor, root.level))
    return handler


def reason(exc: BaseException) -> str:
    """A short, text-free reason: the type, and for SQLite or Telegram the message's head.

    Telegram's descriptions are `Bad Request: chat not found`; anything after a second colon
    (`can't parse entities: Unsupported start tag "x"…`) may quote the message and is dropped.
    """
    name = type(exc).__name__
    if isinstance(exc, sqlite3.Error):
        return f"{name}: {exc}"
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return f"{name}: " + ": ".join(message.split(": ")[:2])
    return name


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
