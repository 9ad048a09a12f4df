"""Notices that show a referral's status are edited when it changes (SPEC §4).

The board group's notice of a referral is rendered again from the referral as it is now and its
sent message (the outbox row's `sent_message_id`) edited in place through the safe edit, so the
notice never says "awaiting the chair" after the decision. A notice not yet sent needs nothing:
it is rendered at send time.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.context import Context, services
from bot.delivery import messaging, notices
from storage import outbox
from storage.outbox import OutboxKind

log = logging.getLogger(__name__)


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
