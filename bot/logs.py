"""Logging set-up that keeps secrets out: the token is scrubbed, library loggers are capped.

python-telegram-bot logs every request's parameters (message texts included) and the
token-bearing base URL at DEBUG, and httpx logs each request URL (which carries the token)
at INFO. Those loggers are held at levels where they say neither, whatever LOG_LEVEL is,
and a filter on the handler replaces the token anywhere it might still appear.
"""

from __future__ import annotations

import logging
import sys
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
