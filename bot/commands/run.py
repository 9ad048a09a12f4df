"""`triage-bot run [--check] [--webhook]`: check the settings and the token, then run the bot.

In this order, so that a mistake costs nothing: every setting is read and checked (nothing is on
disk yet); the Bot API is asked `getMe` with the token (a token Telegram rejects, or a base URL
that cannot be reached, is one line on stderr and exit status 2); only then is the database
opened (created if need be) and the bot started. `--check` stops after `getMe`, printing the
bot's username, for a deployment's health check. No message ever quotes the token: errors from
the libraries are named by type, or scrubbed (`bot.logs.scrub`).

Polling is `bot.serving.polling.run_polling`, which confirms an update to Telegram only after it was
handled, so an update in hand when the process dies is handled after the restart.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys

from bot.commands.common import add_flags
from bot.settings import Settings, load_settings

NO_TOKEN = """\
triage-bot: no Telegram bot token is configured.

The bot needs a token from Telegram's @BotFather: open a chat with @BotFather, send
/newbot, choose a name, and copy the token it gives you. Then set it in the environment
(export TELEGRAM_BOT_TOKEN=...) or in a TOML file named by TRIAGE_CONFIG
(TELEGRAM_BOT_TOKEN = "..."), together with BOARD_CHAT_ID and CHAIR_USER_IDS, and run
`make run` again. To try the whole system offline with no token and no Telegram account,
run `make demo` (triage-bot demo): it starts a local Telegram-compatible server, the bot
and a web page where you play practitioner, board officer and chair.
"""

log = logging.getLogger("bot.run")


class StartError(Exception):
    """The bot cannot start; the message is one line, without the token."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--webhook` serves a webhook (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_PORT); `--check`
    checks the settings and the token and exits."""
    add_flags(
        parser,
        {
            "--webhook": "serve a webhook with a secret token instead of long polling",
            "--check": "check the settings and that the Bot API accepts the token (getMe), "
            "then exit",
        },
    )


def run(args: argparse.Namespace) -> int:
    """Start the bot; returns when it is stopped (Ctrl-C or SIGTERM)."""
    settings = load_settings()
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr, end="")
        return 2
    if args.webhook and not (settings.webhook_url and settings.webhook_secret):
        print(
            "triage-bot run: --webhook needs WEBHOOK_URL and WEBHOOK_SECRET "
            "(a random string Telegram sends back with every update).",
            file=sys.stderr,
        )
        return 2

    _skip_failing_sniffio_import()
    from bot.logs import configure_logging

    configure_logging(settings.log_level, settings.token, secrets=(settings.webhook_secret,))
    try:
        username = asyncio.run(bot_username(settings))
        if args.check:
            where = _where(settings)
            print(f"Settings are valid; the Bot API at {where} knows the bot as @{username}.")
            return 0
        return _serve(settings, webhook=args.webhook)
    except StartError as exc:
        print(f"triage-bot run: {exc}", file=sys.stderr)
        return 2


async def bot_username(settings: Settings) -> str:
    """Ask the Bot API `getMe` with the token; the bot's username, or `StartError`."""
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

    bot = Bot(settings.token, base_url=settings.base_url, base_file_url=settings.base_file_url)
    try:
        async with bot:  # initialize() asks getMe; leaving shuts the connection pool down
            return bot.username
    except InvalidToken:
        raise StartError(_rejected(settings)) from None
    except TimedOut:
        raise StartError(
            f"the Bot API at {_where(settings)} did not answer in time (check TELEGRAM_BASE_URL "
            "and the network)"
        ) from None
    except NetworkError as exc:
        raise StartError(_unreachable(settings, exc)) from None
    except TelegramError as exc:
        raise StartError(
            f"the Bot API at {_where(settings)} refused getMe ({type(exc).__name__}); "
            "check TELEGRAM_BASE_URL"
        ) from None


def _serve(settings: Settings, *, webhook: bool) -> int:
    """Open the database, build the application, and poll or serve the webhook until stopped;
    0 after a clean stop, 1 if it stopped on an error (logged by type and place only)."""
    from telegram.error import InvalidToken

    from bot.app import build_app
    from bot.logs import log_error
    from bot.serving.polling import run_polling
    from bot.serving.webhook import serve_webhook

    try:
        app = build_app(settings)
    except (sqlite3.Error, OSError) as exc:
        raise StartError(
            f"cannot open the database {str(settings.db_path)!r} (TRIAGE_DB): {_one_line(exc)}"
        ) from None
    try:
        if webhook:
            asyncio.run(serve_webhook(app, settings))
        else:
            asyncio.run(run_polling(app))
    except InvalidToken:  # revoked while running
        raise StartError(_rejected(settings)) from None
    except Exception as exc:  # logged by type and place, never by message (it may quote text)
        log_error(log, "the bot stopped on an error", exc)
        return 1
    return 0


def _where(settings: Settings) -> str:
    from bot.logs import scrub

    return scrub(settings.base_url, settings.token)


def _rejected(settings: Settings) -> str:
    return (
        f"the Bot API at {_where(settings)} rejected the bot token (TELEGRAM_BOT_TOKEN): "
        "check it with @BotFather (/mybots, API Token) and that TELEGRAM_BASE_URL is right"
    )


def _unreachable(settings: Settings, exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    detail = _one_line(cause, settings.token)
    kind = type(cause).__name__
    said = f"{kind}: {detail}" if detail else kind
    return (
        f"cannot reach the Bot API at {_where(settings)} ({said}); "
        "check TELEGRAM_BASE_URL and the network"
    )


def _one_line(exc: BaseException, *secrets: str) -> str:
    """The exception's message on one line, with any secret and `/bot…/` segment scrubbed."""
    from bot.logs import scrub

    return scrub(" ".join(str(exc).split()), *secrets)


def _skip_failing_sniffio_import() -> None:
    """httpcore tries `import sniffio` on every request; without the package that failed
    import searches the whole path each time (about a tenth of the bot's CPU per update).
    Recording it as absent makes the import fail at once, as it would anyway."""
    import importlib.util

    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
