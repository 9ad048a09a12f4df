"""The board's work: the officers' group commands and the chair's decisions.

Each concept has its own module: `queue` (/queue, /stats), `casework` (/case, /note, /ask,
/status, /invite), `planning` (/plan and its answers), `tor` (/tor), `clocks` (/notified,
/rapidreview: the statutory clocks of Working Together 2023), `briefs` (/brief, /reach:
learning briefs and their approval), `chair` (the decision cards and the chair's reasons);
`access` holds the access check they share (the board group, officers and chairs only; others
told and logged). `/help` in a group says what the bot does
there.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.board import access, actions, briefs, casework, chair, clocks, planning, queue, tor
from bot.context import App, Context
from templates import render


def register(app: App) -> None:
    """Add the board group's handlers and the chair's decision buttons."""
    app.add_handler(CommandHandler("help", group_help, filters=access.GROUP_COMMAND))
    for module in (queue, casework, planning, tor, actions, clocks, briefs, chair):
        module.register(app)


async def group_help(update: Update, context: Context) -> None:
    """/help in the group: what the bot does here and the officers' commands."""
    await access.reply(update, context, render("bot/officers/help.j2"))
