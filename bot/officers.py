"""The board officers' group: registers the commands officers and chairs use there.

Each concept has its own module: `bot.queue` (/queue, /stats), `bot.casework` (/case, /note,
/ask, /status, /invite), `bot.planning` (/plan and its answers), `bot.tor` (/tor); `bot.board`
holds the access check they share (the board group, officers and chairs only; others told and
logged). `/help` in a group says what the bot does there.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import board, casework, planning, queue, tor
from bot.context import App, Context
from templates import render


def register(app: App) -> None:
    """Add the board group's handlers."""
    app.add_handler(CommandHandler("help", group_help, filters=board.GROUP_COMMAND))
    for module in (queue, casework, planning, tor):
        module.register(app)


async def group_help(update: Update, context: Context) -> None:
    """/help in the group: what the bot does here and the officers' commands."""
    await board.reply(update, context, render("bot/officers/help.j2"))
