"""People's rights in the private chat: `/mydata` (what the bot holds about you: registration,
referrals, learning briefs received and read and the briefs opt-out, a partner lead's presses, an
agency lead's action updates) and `/forget` (confirmed with a button, then `storage.rights.forget`).

The buttons' callback data is `f:<user id>:go` (`Forget me`) or `f:<user id>:keep` (`Keep`); a
press counts only from that same person in their own private chat, so a forwarded, forged or
someone else's press is refused. Board officers, chairs and the safeguarding partners' leads are
not forgotten this way: their decisions are the board's accountable record, and a request from
them goes to the board.
"""

from __future__ import annotations

from telegram import Update

from bot.context import Context, Services, services
from bot.delivery import keyboards, messaging, partners
from bot.practitioner import check
from storage import rights
from templates import labels, render

ACCOUNTABLE = ("chair", "partner", "officer")  # whose decisions /forget cannot untie


def role_of(s: Services, user_id: int, registered: bool, lead: bool = False) -> str:
    """Who this person is to the bot: chair, a safeguarding partner's lead, officer, their
    agency's lead, practitioner or nobody yet."""
    if s.settings.is_chair(user_id):
        return "chair"
    if s.settings.partner_of(user_id) is not None:
        return "partner"
    if s.settings.is_officer(user_id):
        return "officer"
    if registered and lead:
        return "lead"
    return "practitioner" if registered else "none"


async def show_my_data(update: Update, context: Context) -> None:
    """/mydata: what the bot holds about this person."""
    assert update.effective_user is not None
    s = services(context)
    user_id = update.effective_user.id
    held = rights.held_about(s.db, user_id)
    partner = s.settings.partner_of(user_id)
    text = render(
        "bot/practitioner/mydata.j2",
        held=held,
        role=role_of(
            s,
            user_id,
            held.registration is not None,
            held.registration is not None and held.registration.lead,
        ),
        partner=partners.partner_label(partner) if partner else "",
        referrals=[(r.ref, labels.status_label(r.status)) for r in held.referrals],
        presses=[
            (p.ref, partners.partner_label(p.partner), labels.decision_label(p.outcome))
            for p in held.presses
        ],
        ttl_hours=s.settings.draft_ttl_hours,
        declined_months=s.settings.retain_declined_months,
        closed_years=s.settings.retain_closed_years,
    )
    await messaging.send(context, user_id, text)


async def ask_forget(update: Update, context: Context) -> None:
    """/forget: say what forgetting does and ask to confirm with a button."""
    assert update.effective_user is not None
    s = services(context)
    user_id = update.effective_user.id
    held = rights.held_about(s.db, user_id)
    role = role_of(s, user_id, held.registration is not None)
    if role in ACCOUNTABLE or not held.anything:
        await context.bot.send_message(
            user_id, render("bot/practitioner/forget_refused.j2", role=role)
        )
        return
    markup = keyboards.forget_keyboard(user_id)
    text = render(
        "bot/practitioner/forget_ask.j2",
        registered=held.registration is not None,
        referrals=len(held.referrals),
        draft=held.draft_saved is not None,
        briefs_read=len(held.briefs_read),
    )
    await context.bot.send_message(user_id, text, reply_markup=markup)


async def press_forget(update: Update, context: Context) -> None:
    """A `Forget me` or `Keep` press: checked to be the person's own, then done."""
    query = update.callback_query
    assert query is not None and query.data is not None
    user_id = query.from_user.id
    parsed = keyboards.parse_forget(query.data)
    if (
        parsed is None
        or parsed[0] != user_id
        or not keyboards.pressed_in_private(query)
        or query.message is None
    ):
        await messaging.answer_query(query, render("bot/practitioner/forget_invalid.j2"), True)
        return
    s = services(context)
    message_id = query.message.message_id
    held = rights.held_about(s.db, user_id)
    role = role_of(s, user_id, held.registration is not None)
    if not parsed[1]:
        text = render("bot/practitioner/forget_done.j2", forgotten=None)
    elif role in ACCOUNTABLE or not held.anything:
        text = render("bot/practitioner/forget_refused.j2", role=role)
    else:
        await check.retire_prompt(context, user_id)  # the draft goes: its question too
        forgotten = rights.forget(s.db, user_id, s.clock())
        text = render("bot/practitioner/forget_done.j2", forgotten=forgotten)
    await messaging.edit(context, user_id, message_id, text)
    await messaging.answer_query(query)
