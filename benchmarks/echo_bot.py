"""The baselines: a bare python-telegram-bot echo bot, and a bare bot making our calls.

`python benchmarks/echo_bot.py` is the echo bot of BENCHMARKS.md: one MessageHandler that
replies with the text. `--mimic` makes, for each update, the same Bot API calls the triage bot
makes for the matching step of a check (answer the press, edit the answered question, send the
next one with its buttons; the three notices after Submit) with no logic, no database and no
templates: what is left between it and the triage bot is our own code. Both run against the
local Bot API server named by TELEGRAM_BASE_URL, with TELEGRAM_BOT_TOKEN. Nothing of ours is
imported.
"""

from __future__ import annotations

import os
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

LABELS = (
    "I understand", "No", "Yes", "A concern", "Known", "Done", "Cause for concern",
    "Professional or statutory", "Health", "Police", "Skip", "Submit to the board",
)  # fmt: skip
KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton(label, callback_data=label)] for label in LABELS]
)
TOGGLES = {"Health", "Police"}
last_question: dict[int, int] = {}


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the text received."""
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


async def mimic_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: the first question. Other text: edit the question, a notice, the next one."""
    message = update.effective_message
    assert message is not None
    chat = message.chat_id
    if message.text != "/start" and chat in last_question:
        await context.bot.edit_message_text(
            "answered", chat_id=chat, message_id=last_question[chat]
        )
        await context.bot.send_message(chat, "note: identifiers removed")
    sent = await context.bot.send_message(chat, "next question", reply_markup=KEYBOARD)
    last_question[chat] = sent.message_id


async def mimic_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press: answer it, then redraw (a toggle) or edit and send the next question."""
    query = update.callback_query
    assert query is not None and query.message is not None
    chat, mid = query.message.chat.id, query.message.message_id
    await query.answer()
    if query.data in TOGGLES:
        await context.bot.edit_message_text(
            f"toggled {query.data}", chat_id=chat, message_id=mid, reply_markup=KEYBOARD
        )
        return
    if query.data == "Submit to the board":
        await context.bot.edit_message_text("submitted LIR-2025-0001", chat_id=chat, message_id=mid)
        board = int(os.environ.get("BOARD_CHAT_ID", "0"))
        chair = int(os.environ.get("CHAIR_USER_IDS", "0").split(",")[0])
        for target in (board, chair, chat):
            await context.bot.send_message(target, "notice LIR-2025-0001")
        return
    await context.bot.edit_message_text("answered", chat_id=chat, message_id=mid)
    sent = await context.bot.send_message(chat, "next question", reply_markup=KEYBOARD)
    last_question[chat] = sent.message_id


def build(mimic: bool) -> Application:  # type: ignore[type-arg]
    """The echo (or mimic) application."""
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .build()
    )
    if mimic:
        app.add_handler(MessageHandler(filters.TEXT, mimic_text))
        app.add_handler(CallbackQueryHandler(mimic_press))
    else:
        app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


def skip_failing_sniffio_import() -> None:
    """The same environment fix the triage bot applies (see bot/commands/run.py): httpcore
    tries `import sniffio` on every request, and without the package each failed import
    searches the path. Applied here too, so that the comparison is of the bots alone."""
    import importlib.util

    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


if __name__ == "__main__":
    skip_failing_sniffio_import()
    build("--mimic" in sys.argv[1:]).run_polling(allowed_updates=Update.ALL_TYPES)
