"""Chats the bot is added to: it serves the board officers' group and private chats only.

Added to any other group, supergroup or channel, it says so once and leaves, so that nothing
said there is read or kept. Its handler takes only the bot's own membership changes
(`bot.routes`).
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import Context, services
from templates import render

log = logging.getLogger(__name__)

PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)


async def bot_added(update: Update, context: Context) -> None:
    """The bot joined a chat: outside the board group, say so and leave."""
    change = update.my_chat_member
    if change is None or change.new_chat_member.status not in PRESENT:
        return
    chat = change.chat
    if chat.type == ChatType.PRIVATE:
        return
    if chat.id == services(context).settings.board_chat_id:
        log.info("added to the board group")
        return
    log.warning("added to chat %s, which is not the board group: leaving", chat.id)
    try:
        if chat.type != ChatType.CHANNEL:
            await context.bot.send_message(chat.id, render("bot/not_served.j2"))
        await context.bot.leave_chat(chat.id)
    except TelegramError as exc:
        log.warning("could not leave chat %s: %s", chat.id, type(exc).__name__)
