"""Sending and editing messages safely: long texts split, harmless edit errors ignored.

Lengths are counted as Telegram counts them: the text left once the HTML tags and entities are
parsed, in UTF-16 code units (an emoji is two, `&amp;` is one, a tag is none). A text too long
for one message is split between elements (at a blank line or a line break outside any tag,
else a line break or a space inside one), never inside a tag or an entity; a tag open across a
split is closed at the end of one part and opened again at the start of the next.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit
from telegram.error import BadRequest, TelegramError

from bot.context import Context, Typed
from dialogs.intake import telegram_length
from templates import render

log = logging.getLogger(__name__)
T = TypeVar("T")

LIMIT = MessageLimit.MAX_TEXT_LENGTH - 96  # a margin under Telegram's 4096

_MARKUP = re.compile(r"(<[^<>]*>|&#?[0-9A-Za-z]+;)")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][-A-Za-z0-9]*)")

_Piece = tuple[str, int]  # raw HTML (a tag, an entity or one character), its visible units


def _pieces(text: str) -> Iterator[_Piece]:
    """The HTML as tags and entities (whole) and single characters, with their units."""
    for part in _MARKUP.split(text):
        if not part:
            continue
        if part[0] == "<" and part[-1] == ">":
            yield part, 0
        elif part[0] == "&" and part[-1] == ";":
            yield part, telegram_length(html.unescape(part))
        else:
            yield from ((ch, 2 if ord(ch) > 0xFFFF else 1) for ch in part)


def visible_length(text: str) -> int:
    """How long Telegram counts `text` (sent with parse_mode HTML): UTF-16 units, no tags.
    It runs on every message, so it sums a run of characters at once, not one at a time."""
    total = 0
    for part in _MARKUP.split(text):  # the same reading as `_pieces`
        if not part or (part[0] == "<" and part[-1] == ">"):
            continue
        entity = part[0] == "&" and part[-1] == ";"
        total += telegram_length(html.unescape(part) if entity else part)
    return total


def cut_to(text: str, units: int) -> str:
    """The longest start of plain `text` that is at most `units` UTF-16 units long."""
    if telegram_length(text) <= units:
        return text
    kept, total = [], 0
    for ch in text:
        total += 2 if ord(ch) > 0xFFFF else 1
        if total > units:
            break
        kept.append(ch)
    return "".join(kept)


def _follow(stack: list[tuple[str, str]], raw: str) -> None:
    """Update the open tags after one piece."""
    if raw[0] != "<" or raw[-1] != ">" or (name := _TAG_NAME.match(raw)) is None:
        return
    tag = name.group(1).lower()
    if not raw.startswith("</"):
        stack.append((tag, raw))
        return
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == tag:
            del stack[index]
            return


def _break_score(pieces: list[_Piece], end: int, start: int, depth: int) -> float:
    """How good a split after pieces[end - 1] is: best at a blank line between elements."""
    last = pieces[end - 1][0]
    if last == "\n":
        blank = end - 2 >= start and pieces[end - 2][0] == "\n"
        if depth == 0:
            return 4 if blank else 3
        return 2 if blank else 1.5
    return 1 if last == " " else 0


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """`text` as parts that each fit one message (see the module docstring)."""
    if 2 * len(text) <= limit or visible_length(text) <= limit:  # a character is 2 units at most
        return [text]
    pieces = list(_pieces(text))
    parts: list[str] = []
    open_tags: list[tuple[str, str]] = []
    start = 0
    while start < len(pieces):
        stack = list(open_tags)
        reopen = "".join(raw for _, raw in open_tags)
        units, end = 0, start
        best: tuple[float, int, list[tuple[str, str]]] | None = None
        while end < len(pieces) and (units + pieces[end][1] <= limit or end == start):
            units += pieces[end][1]
            _follow(stack, pieces[end][0])
            end += 1
            score = _break_score(pieces, end, start, len(stack))
            if score and (best is None or score >= best[0]):
                best = (score, end, list(stack))
        if end < len(pieces) and best is not None:
            _, end, stack = best
        body = "".join(raw for raw, _ in pieces[start:end])
        if "".join(raw for raw, units in pieces[start:end] if units).strip():
            parts.append(reopen + body + "".join(f"</{tag}>" for tag, _ in reversed(stack)))
        open_tags, start = stack, end
    return parts or [text]


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
) -> bool:
    """Edit a message's text (or only its keyboard when `text` is None); stale is harmless.

    False when the message is gone (deleted by its reader), so the caller can send it anew."""
    try:
        if text is None:
            await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
        else:
            await context.bot.edit_message_text(
                split_text(text)[-1], chat_id, message_id, reply_markup=markup
            )
    except BadRequest as exc:
        if "not modified" in exc.message:
            return True
        if "not found" in exc.message:
            return False
        raise
    return True


def plain(text: str) -> str:
    """The text Telegram shows for HTML `text`: tags dropped, entities read (the same reading
    as `_pieces`, whose characters and entities all count, a run at a time)."""
    kept = (part for part in _MARKUP.split(text) if not (part[:1] == "<" and part[-1:] == ">"))
    return html.unescape("".join(kept))


def shows(message: Message | None, text: str, markup: InlineKeyboardMarkup | None = None) -> bool:
    """Whether `message` (as a press reported it) already reads `text` with `markup`, so
    that editing it into them would change nothing."""
    if message is None or message.text is None:
        return False
    shown = message.reply_markup or None
    return message.text.strip() == plain(split_text(text)[-1]).strip() and shown == markup


async def delete_typed(context: Context, message: Message) -> bool:
    """Delete a person's own message from their private chat once what they typed is stored
    (redacted): Telegram lets a bot do it for 48 hours. False when it could not."""
    try:
        return bool(await context.bot.delete_message(message.chat_id, message.message_id))
    except TelegramError as exc:
        log.warning("could not delete a typed message: %s", type(exc).__name__)
        return False


async def leave(context: Context, typed: Typed) -> bool:
    """A typed text's message leaves the chat once what it says is kept (`delete_typed`); a
    text that was held has already left (True)."""
    return True if typed.message is None else await delete_typed(context, typed.message)


async def answer_query(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    """Answer a button press; a press too old to answer (after a restart or an outage) is
    still handled, so a failed answer is logged and never stops the handler."""
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as exc:
        log.info("could not answer a button press: %s", type(exc).__name__)


async def pressed(
    update: Update,
    parse: Callable[[str], T | None],
    allowed: Callable[[CallbackQuery], bool] | None = None,
) -> tuple[CallbackQuery, T] | None:
    """A button press and what its callback data stands for (`parse`, from `keyboards`); data
    that is not well formed (forged, or of an older release), or a press where its button does
    not belong (`allowed` false: another chat than its own), is told so in an alert, and None."""
    query = update.callback_query
    assert query is not None and query.data is not None
    data = parse(query.data)
    if data is None or (allowed is not None and not allowed(query)):
        await answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return None
    return query, data
