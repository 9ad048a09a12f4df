"""The board's work: the officers' group commands and the chair's decisions.

Each concept has its own module: `queue` (/queue, /stats), `casework` (/case, /note, /ask,
/status, /invite), `planning` (/plan and its answers), `tor` (/tor), `clocks` (/notified,
/rapidreview: the statutory clocks of Working Together 2023), `briefs` (/brief, /reach:
learning briefs and their approval), `chair` (the decision cards and the chair's reasons);
`access` holds the access check they share (the board group, officers and chairs only; others
told and logged). `/help` in a group says what the bot does there. The handlers are
registered, in order, by `bot.routes`.
"""

from __future__ import annotations

from telegram import Update

from bot.board import access
from bot.context import Context
from templates import render


async def group_help(update: Update, context: Context) -> None:
    """/help in the group: what the bot does here and the officers' commands."""
    await access.reply(update, context, render("bot/officers/help.j2"))
