"""The review panel's `Agree terms` / `Send back` on a review's Terms of Reference (SPEC §9).

When a plan is complete the terms go to each panel member (`Settings.panel_ids`) through the
outbox, a card with `t:<ref>:<version>:ok|back` buttons and the document
(`bot.delivery.terms_texts`). A press is checked on the server: someone not on the panel the
version went to is refused and the attempt logged; a press on an older version's card, or on
terms agreed or sent back, is refused as stale (`services.terms` decides, in its transaction).
`Agree terms` is `services.terms.agree_terms`; `Send back` asks for the reason, typed in the
member's private chat (an awaited `TERMS_BACK`, routed by `bot.practitioner.pending` through
`bot.board.AWAITED`), through the intake, then `services.terms.send_terms_back`. After either,
every card of the review is shown as it now stands (`refresh_cards`), and the board group is
told through the outbox.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot.context import Context, Services, Typed, services
from bot.delivery import keyboards, messaging, sender, terms_texts
from dialogs import intake, texts
from services import refusals
from services.terms import Answered, Outcome, agree_terms, send_terms_back
from storage import inputs, outbox, referrals, terms
from storage.inputs import AwaitedInput, InputKind
from storage.outbox import OutboxKind
from templates import render

log = logging.getLogger(__name__)

MAX_REASON = 1000  # the longest reason for sending the terms back


def _said(s: Services, ref: str, answered: Answered) -> str:
    """What the panel member is told of their answer."""
    current = answered.terms
    waiting = (
        [terms_texts.who(s, uid, None) for uid in current.waiting_for]
        if current is not None and current.all_needed
        else []
    )
    latest = current.version if current is not None else 0
    return render(
        "bot/terms/answered.j2",
        outcome=str(answered.outcome),
        ref=ref,
        waiting=waiting,
        latest=latest,
    )


async def refresh_cards(context: Context, ref: str) -> None:
    """Show every panel member's sent card of `ref` as it now stands: an older version's and
    those of terms agreed or sent back lose their buttons; the standing is shown on each."""
    s = services(context)
    referral = referrals.get_referral(s.db, ref)
    current = terms.get_terms(s.db, ref)
    if referral is None or current is None:
        return
    for row in outbox.rows_for(s.db, ref, OutboxKind.TERMS_CARD):
        if row.sent_message_id is None:
            continue
        shown = terms_texts.card(s, referral, current, int(row.payload.get("version", 0)))
        try:
            await messaging.edit(
                context, row.chat_id, row.sent_message_id, shown.text, shown.markup
            )
        except TelegramError as exc:  # one member's chat failing must not stop the others'
            log.warning("terms card of %s not updated: %s", ref, type(exc).__name__)


async def _refuse(query: CallbackQuery, s: Services, ref: str, outcome: Outcome) -> None:
    current = terms.get_terms(s.db, ref)
    text = _said(s, ref, Answered(outcome, current))
    await messaging.answer_query(query, text, alert=True)


async def press_terms(update: Update, context: Context) -> None:
    """A `t:` press: checked (on the panel, in a private chat, the version with the panel),
    then agreed, or the reason for sending back asked for."""
    got = await messaging.pressed(update, keyboards.parse_terms)
    if got is None:
        return
    query, data = got
    s = services(context)
    current = terms.get_terms(s.db, data.ref)
    if current is None:
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    user = query.from_user
    if user.id not in current.panel:
        refusals.refuse_terms(s.db, data.ref, user.id, s.clock())
        await _refuse(query, s, data.ref, Outcome.NOT_PANEL)
        return
    if not keyboards.pressed_in_private(query):
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    if data.version != current.version or current.status != terms.WITH_PANEL:
        await _refuse(query, s, data.ref, Outcome.STALE)
        return
    if current.answer_of(user.id) is not None:
        await _refuse(query, s, data.ref, Outcome.ALREADY)
        return
    if data.answer == "back":
        card = {"version": data.version}
        if query.message is not None:
            card["message_id"] = query.message.message_id
        inputs.expect(s.db, user.id, InputKind.TERMS_BACK, data.ref, card, s.clock())
        await messaging.answer_query(query)
        asked = render("bot/terms/ask_reason.j2", ref=data.ref, version=data.version)
        await context.bot.send_message(user.id, asked)
        return
    board = s.settings.board_chat_id
    answered = agree_terms(
        s.db, data.ref, data.version, user.id, user.first_name, s.clock(), board_chat_id=board
    )
    if answered.outcome not in (Outcome.AGREED, Outcome.COUNTED):
        await _refuse(query, s, data.ref, answered.outcome)
        return
    sender.kick(context)
    await messaging.answer_query(query, _said(s, data.ref, answered))
    await refresh_cards(context, data.ref)


async def receive_reason(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    """A panel member's typed reason for sending the terms back (a route of
    `bot.board.AWAITED`): through the intake, then to the board group; their own message then
    leaves the chat (what is kept is shown on the card)."""
    s = services(context)
    user_id, ref = awaited.user_id, awaited.ref or ""
    version = int(awaited.data.get("version", 0))
    try:
        accepted = intake.accept(typed.text, limit=MAX_REASON, multiline=True)
    except intake.Refused as exc:
        text = render(
            "bot/terms/answered.j2",
            outcome="reason_refused",
            ref=ref,
            length=exc.length,
            limit=exc.limit,
        )
        await context.bot.send_message(user_id, text)
        return True  # still awaited: the next message is the reason
    inputs.clear(s.db, user_id, InputKind.TERMS_BACK)
    name = typed.first_name
    board = s.settings.board_chat_id
    answered = send_terms_back(
        s.db, ref, version, user_id, name, accepted.text, s.clock(), board_chat_id=board
    )
    if answered.outcome != Outcome.SENT_BACK:
        await context.bot.send_message(user_id, _said(s, ref, answered))
        return True
    sender.kick(context)
    if accepted.removed:
        await context.bot.send_message(user_id, texts.redacted_text(accepted.removed))
    if not await messaging.leave(context, typed):
        await context.bot.send_message(user_id, render("bot/practitioner/not_deleted.j2"))
    await context.bot.send_message(user_id, _said(s, ref, answered))
    await refresh_cards(context, ref)
    return True
