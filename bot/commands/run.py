"""`triage-bot run`: read the settings once, build the application and poll (or serve a webhook).

Polling is `bot.polling.run_polling`, which confirms an update to Telegram only after it was
handled, so an update in hand when the process dies is handled after the restart.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--webhook` serves a webhook (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_PORT)."""
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="serve a webhook with a secret token instead of long polling",
    )


def run(args: argparse.Namespace) -> int:
    """Start the bot; returns when it is stopped (Ctrl-C or SIGTERM)."""
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"triage-bot: {exc}", file=sys.stderr)
        return 2
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr, end="")
        return 2
    if args.webhook and not (settings.webhook_url and settings.webhook_secret):
        print(
            "triage-bot: --webhook needs WEBHOOK_URL and WEBHOOK_SECRET "
            "(a random string Telegram sends back with every update).",
            file=sys.stderr,
        )
        return 2

    _skip_failing_sniffio_import()
    from telegram import Update

    from bot.app import build_app
    from bot.logs import configure_logging
    from bot.polling import run_polling

    configure_logging(settings.log_level, settings.token)
    app = build_app(settings)
    if args.webhook:
        app.run_webhook(
            listen="0.0.0.0",
            port=settings.webhook_port,
            secret_token=settings.webhook_secret,
            webhook_url=settings.webhook_url,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        asyncio.run(run_polling(app))
    return 0


def _skip_failing_sniffio_import() -> None:
    """httpcore tries `import sniffio` on every request; without the package that failed
    import searches the whole path each time (about a tenth of the bot's CPU per update).
    Recording it as absent makes the import fail at once, as it would anyway."""
    import importlib.util

    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
