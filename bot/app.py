"""`build_app(settings)`: the one place that wires the Telegram application together.

Settings come in already read (see `bot.settings`); this module opens the database, builds
the questionnaires (`dialogs.registry.Dialogs`), puts both in the typed `bot_data`, registers
every handler (the one routing table, `bot.routes`), sets the rate limiter
(`bot.serving.limits`) and, in `post_init`, publishes the command menus and the dashboard's menu
buttons (`bot.dashboard.menu`) and starts the outbox dispatcher, the reminders, the learning
events' feedback job and the daily retention purge. The application runs through
`bot.serving.lifecycle.running`, which calls `post_init` and `post_shutdown`.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot import routes
from bot.context import App, BotData, Context, Services, utc_now
from bot.dashboard import menu
from bot.delivery import event_jobs, purge, reminders, sender
from bot.logs import log_error
from bot.serving.limits import RateLimiter
from bot.settings import Settings
from dialogs.registry import Dialogs
from storage.db import open_db
from templates import labels, render

log = logging.getLogger(__name__)


def command_menu(scope: str) -> list[BotCommand]:
    """The command menu of `scope` ("private" or "board"), worded in `templates/labels.toml`."""
    return [BotCommand(command, description) for command, description in labels.menu(scope)]


PRIVATE_COMMANDS = command_menu("private")
BOARD_COMMANDS = command_menu("board")


def build_app(settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now) -> App:
    """Build the application exactly as `triage-bot run` runs it."""
    app: App = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .rate_limiter(RateLimiter())  # the pace, and the one 429 strategy
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .context_types(ContextTypes(bot_data=BotData))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    db = open_db(settings.db_path)
    matrix = settings.load_matrix()
    app.bot_data.services = Services(
        settings=settings,
        db=db,
        dialogs=Dialogs.configured(settings.agencies, matrix, procedures=settings.cp_procedures),
        clock=clock,
        matrix=matrix,
        awaited=routes.AWAITED_ROUTES,
    )
    routes.add_routes(app)
    app.add_error_handler(report_error)
    return app


async def post_init(app: App) -> None:
    """Publish the command menus and the dashboard's menu buttons, and start the dispatcher,
    reminder and purge jobs."""
    settings = app.bot_data.services.settings
    menus: list[tuple[list[BotCommand], BotCommandScope]] = [
        (PRIVATE_COMMANDS, BotCommandScopeAllPrivateChats())
    ]
    if settings.board_chat_id is not None:
        menus.append((BOARD_COMMANDS, BotCommandScopeChat(settings.board_chat_id)))
    for commands, scope in menus:
        try:
            await app.bot.set_my_commands(commands, scope=scope)
        except TelegramError as exc:  # a menu is a convenience: never a reason not to start
            log.warning("could not set the %s command menu: %s", scope.type, exc)
    await menu.set_menu_buttons(app)
    sender.start(app)
    reminders.start(app)
    event_jobs.start(app)
    purge.start(app)


async def post_shutdown(app: App) -> None:
    """Close the database."""
    app.bot_data.services.db.conn.close()


async def report_error(update: object, context: Context) -> None:
    """Log an error by type and place only (never the update's text); in a private chat, tell
    the person that it did not go through, so that a failure is never met with silence."""
    update_id = update.update_id if isinstance(update, Update) else None
    log_error(log, f"error while handling update {update_id}", context.error)
    if not isinstance(update, Update):
        return
    text = render("bot/failed.j2", saving=isinstance(context.error, sqlite3.Error))
    if update.callback_query is not None:  # stop the button's spinner, whatever the chat
        try:
            await update.callback_query.answer(text[:200], show_alert=True)
        except TelegramError as exc:
            log.warning("could not answer the button press: %s", type(exc).__name__)
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", type(exc).__name__)
