"""Where the bot is reached and where it listens, checked when the settings are read: the Bot
API's and the webhook's URLs, the webhook's and the dashboard's address and port, the
dashboard's URL (https; http only on this machine, for the demo and tests) and the origins that
may frame it. Each check raises `ValueError` with a one-line message naming the setting, which
`bot.settings` gives as its `SettingsError`; nothing here reads the environment.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bot.settings import Settings

EXAMPLES = {
    "TELEGRAM_BASE_URL": "https://api.telegram.org/bot",
    "WEBHOOK_URL": "https://bot.example.org/telegram",
    "WEBAPP_URL": "https://board.example.org/dashboard/",
    "WEBAPP_FRAME_ANCESTORS": "https://board.example.org",
}
# Hosts on which an http address is accepted for the dashboard: this machine only.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def check_url(name: str, value: str, schemes: tuple[str, ...]) -> None:
    """`value` is a URL of one of `schemes` with a host (and a port, if any, a number)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        raise ValueError(f"{name} is not a valid URL") from None
    if parts.scheme not in schemes or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError(f"{name} must be a {' or '.join(schemes)} URL such as {EXAMPLES[name]}")


def check_listen(prefix: str, address: str, port: int) -> None:
    """`<prefix>_LISTEN` is an IP address and `<prefix>_PORT` a port number."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(
            f"{prefix}_LISTEN must be an IP address to listen on (e.g. 127.0.0.1), got {address!r}"
        ) from None
    if port > 65535:
        raise ValueError(f"{prefix}_PORT must be a port number (1-65535), got {port}")


def check_webapp(url: str, frame_ancestors: tuple[str, ...]) -> None:
    """The dashboard's address (https; http only on this machine) and the origins that may
    frame it (each a scheme and a host, nothing else)."""
    if url:
        check_url("WEBAPP_URL", url, ("https", "http"))
        if urlsplit(url).scheme == "http" and urlsplit(url).hostname not in LOOPBACK:
            raise ValueError(
                f"WEBAPP_URL must be an https URL such as {EXAMPLES['WEBAPP_URL']} "
                "(Telegram opens only https addresses)"
            )
    for origin in frame_ancestors:
        check_url("WEBAPP_FRAME_ANCESTORS", origin, ("https", "http"))
        parts = urlsplit(origin)
        if parts.path not in {"", "/"} or parts.query or parts.fragment or "'" in origin:
            raise ValueError(
                f"WEBAPP_FRAME_ANCESTORS must list origins such as "
                f"{EXAMPLES['WEBAPP_FRAME_ANCESTORS']}, got {origin!r}"
            )


def check_addresses(settings: Settings) -> None:
    """Every address of the settings, in the order a reader meets them."""
    check_url("TELEGRAM_BASE_URL", settings.base_url, ("https", "http"))
    if settings.webhook_url:
        check_url("WEBHOOK_URL", settings.webhook_url, ("https",))
    check_listen("WEBHOOK", settings.webhook_listen, settings.webhook_port)
    check_listen("WEBAPP", settings.webapp_listen, settings.webapp_port)
    check_webapp(settings.webapp_url, settings.webapp_frame_ancestors)
