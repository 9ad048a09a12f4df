"""Messages that show a referral's status are edited when it changes (SPEC §3, §4).

The board group's notice of a referral, and the chair's card on every chair's chat, are rendered
again from the referral as it is now and their sent messages (the outbox rows'
`sent_message_id`) edited in place through the safe edit: the notice never says "awaiting the
chair" after the decision, and a decided card loses its buttons. A message not yet sent needs
nothing: it is rendered at send time.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.context import Context, services
from bot.delivery import deciders, messaging, notices, partners
from bot.delivery.chair_card import chair_card
from storage import events, outbox
from storage.outbox import OutboxKind
from storage.referrals import Referral

log = logging.getLogger(__name__)

MAX_NAME = 64


async def refresh_notice(context: Context, ref: str) -> None:
    """Edit every sent board notice of `ref` to show the referral's current status."""
    s = services(context)
    for row in outbox.rows_for(s.db, ref, OutboxKind.BOARD_NOTICE):
        if row.sent_message_id is None:
            continue
        shown = notices.render_row(s, row)
        if shown is None:
            continue
        try:
            await messaging.edit(context, row.chat_id, row.sent_message_id, shown.text)
        except TelegramError as exc:  # the status is recorded; the notice catches up next time
            log.warning("board notice of %s not updated: %s", ref, type(exc).__name__)


async def chair_name(context: Context, user_id: int | None) -> str | None:
    """The chair's first name: as last recorded with an event, else asked of Telegram (one
    getChat), or None if it cannot be had."""
    if user_id is None:
        return None
    known = events.names_of(services(context).db, [user_id]).get(str(user_id))
    if known:
        return known
    try:
        chat = await context.bot.get_chat(user_id)
    except TelegramError:
        return None
    name = (chat.first_name or "").strip()
    return name[:MAX_NAME] or None


async def refresh_cards(context: Context, referral: Referral) -> None:
    """Show every chair's card, and the board's notice, as they now stand (a decided card loses
    its buttons; the notice says the status now)."""
    s = services(context)
    await refresh_notice(context, referral.ref)
    by = None
    if not referral.is_undecided:
        by = deciders.joint_decider(s, referral) or deciders.decider(s, referral)
    if not referral.is_undecided and by is None:
        by = await chair_name(context, referral.decided_by)
    card = chair_card(referral, s.matrix, by=by, partners=partners.standings(s, referral.ref))
    for row in outbox.rows_for(s.db, referral.ref, OutboxKind.CHAIR_CARD):
        if row.sent_message_id is None:
            continue
        try:
            await messaging.edit(context, row.chat_id, row.sent_message_id, card.text, card.markup)
        except TelegramError as exc:  # one chair's chat failing must not undo the others'
            log.warning("card of %s not updated for a chair: %s", referral.ref, type(exc).__name__)
