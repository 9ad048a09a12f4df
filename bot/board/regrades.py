"""A decider's `Accept lower grade` / `Keep` on the lower grade a regrade proposed (SPEC §3: only
the chair records a lower outcome; under Working Together 2023, a partner's lead).

The press names its proposal (`l:<ref>:<proposal>:ok|keep`); `services.regrading.answer`
checks it is still the referral's open proposal, applies or keeps the grade with its event and
tells the board group, in one transaction. A press by anyone else, or on a proposal answered,
replaced or overtaken by a change of grade, is refused and its card loses its buttons.
"""

from __future__ import annotations

from telegram import Update

from bot.context import Context, services
from bot.delivery import keyboards, messaging, sender
from services import regrading
from services.refusals import refuse_press
from storage import referrals
from templates import labels, render


async def press_lower(update: Update, context: Context) -> None:
    """`Accept lower grade` or `Keep`: checked (a decider, the proposal still open), answered."""
    got = await messaging.pressed(update, keyboards.parse_lower)
    if got is None:
        return
    query, data = got
    s = services(context)
    ref, proposal, accept = data
    user = query.from_user
    if not s.settings.is_decider(user.id):
        refuse_press(s.db, ref, user.id, "lower grade", s.clock())
        refused = render("bot/regrade/answered.j2", outcome="not_decider", ref=ref)
        await messaging.answer_query(query, refused, alert=True)
        return
    outcome = regrading.answer(
        s.db,
        ref,
        proposal,
        accept,
        user.id,
        user.first_name,
        s.clock(),
        board_chat_id=s.settings.board_chat_id,
    )
    sender.kick(context)
    held = referrals.get_referral(s.db, ref)
    grade = labels.grade_label(held.grade) if held is not None else ""
    text = render("bot/regrade/answered.j2", outcome=outcome, ref=ref, grade=grade)
    await messaging.answer_query(query, text, alert=outcome == "stale")
    if query.message is not None:
        await messaging.edit(context, query.message.chat.id, query.message.message_id, text)
