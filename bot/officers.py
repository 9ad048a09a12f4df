"""The board officers' group: commands for officers and chairs (queue, case, notes, plans…)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import App, Context

GROUPS = filters.ChatType.GROUPS


def register(app: App) -> None:
    """Add the board group's handlers."""
    app.add_handler(CommandHandler("help", group_help, filters=GROUPS))


async def group_help(update: Update, context: Context) -> None:
    """/help in the group: what the bot does here."""
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id,
        "I post every new referral here and tell you each decision of the chair.",
    )
