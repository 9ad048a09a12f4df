"""The board's work: the officers' group commands and the chair's decisions.

Each concept has its own module: `queue` (/queue, /stats), `casework` (/case, /note, /ask,
/status, /invite), `planning` (/plan and its answers), `tor` (/tor), `overview` (/chronology,
/overview: the review's documents), `reviews` (/reviews: where each review stands), `clocks`
(/notified, /rapidreview: the statutory clocks of Working Together 2023), `briefs` (/brief, /reach:
learning briefs and their approval), `terms` (the review panel's agreement of a review's terms
of reference), `chair` (the decision cards and the chair's reasons), `events` (/event,
/themes: a review's learning event and its practice themes);
`access` holds the access check they share (the board group, officers and chairs only; others
told and logged). `/help` in a group says what the bot does there. The handlers are
registered, in order, by `bot.routes`; `AWAITED` routes the board's awaited kinds of typed
input (`bot.routes.AWAITED_ROUTES`).
"""

from __future__ import annotations

from telegram import Update

from bot.board import access, briefs, chair, terms
from bot.context import AwaitedRoute, Context, Typed, services
from storage.inputs import AwaitedInput, InputKind
from templates import labels, render


async def _typed_in_the_group(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    """A kind answered in the board group (a plan's answer, a brief's section): a private text
    is not it."""
    return False


# The board's awaited kinds of typed input, and where a private text awaited as each goes.
AWAITED: dict[InputKind, AwaitedRoute] = {
    InputKind.ESCALATE_REASON: chair.receive_typed,
    InputKind.DECLINE_REASON: chair.receive_typed,
    InputKind.CHAIR_QUESTION: chair.receive_typed,
    InputKind.PLAN: _typed_in_the_group,
    InputKind.BRIEF: _typed_in_the_group,
    InputKind.BRIEF_BACK: briefs.receive_reason,
    InputKind.TERMS_BACK: terms.receive_reason,
}


async def group_help(update: Update, context: Context) -> None:
    """/help in the group: what the bot does here and the officers' commands."""
    decisions = labels.phrase("decisions", services(context).matrix.profile)
    await access.reply(update, context, render("bot/officers/help.j2", decisions=decisions))
