"""Sending and editing messages safely: long texts split, harmless edit errors ignored."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit
from telegram.error import BadRequest, TelegramError

from bot.context import Context

log = logging.getLogger(__name__)

LIMIT = MessageLimit.MAX_TEXT_LENGTH - 96  # leave room for an entity or two


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split at blank lines (each block holds balanced markup) so each part fits a message."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        while len(block) > limit:  # a single huge block: cut it at a line break, else hard
            cut = block.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                parts.append(current)
                current = ""
            parts.append(block[:cut])
            block = block[cut:].lstrip("\n")
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > limit:
            parts.append(current)
            current = block
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


async def send(
    context: Context, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send `text` (split if long); the keyboard goes on the last part, which is returned."""
    parts = split_text(text)
    for part in parts[:-1]:
        await context.bot.send_message(chat_id, part)
    return await context.bot.send_message(chat_id, parts[-1], reply_markup=markup)


async def edit(
    context: Context,
    chat_id: int,
    message_id: int,
    text: str | None,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edit a message's text (or only its keyboard when `text` is None); stale is harmless."""
    try:
        if text is None:
            await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
        else:
            await context.bot.edit_message_text(
                split_text(text)[-1], chat_id, message_id, reply_markup=markup
            )
    except BadRequest as exc:
        if "not modified" in exc.message or "not found" in exc.message:
            return
        raise


async def answer_query(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    """Answer a button press; a press too old to answer (after a restart or an outage) is
    still handled, so a failed answer is logged and never stops the handler."""
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as exc:
        log.info("could not answer a button press: %s", type(exc).__name__)
