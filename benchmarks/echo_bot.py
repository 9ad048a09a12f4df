"""The baselines: a bare python-telegram-bot echo bot, and the minimal button bot.

`python benchmarks/echo_bot.py` is the echo bot of BENCHMARKS.md: one MessageHandler that
replies with the text (the floor). `--buttons` is the minimal button bot, the anchor: a press
is answered (`answerCallbackQuery`) and its message edited into the next question (one
`editMessageText`); a text gets one reply, the next question with its buttons. That is the
least any button-driven check can cost, with no logic, no database and no templates: what is
left between it and the triage bot is our own code (and the few new messages the check needs).
Both run against the local Bot API server named by
TELEGRAM_BASE_URL, with TELEGRAM_BOT_TOKEN. Nothing of ours is imported.
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
asked: dict[int, int] = {}  # questions shown per chat


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the text received."""
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


async def button_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text: one reply, the next question with its buttons."""
    message = update.effective_message
    if message is not None:
        await context.bot.send_message(message.chat_id, "next question", reply_markup=KEYBOARD)


async def button_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press: answer it, then edit its message into the next question (one request)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    asked[query.message.chat.id] = step = asked.get(query.message.chat.id, 0) + 1
    await context.bot.edit_message_text(
        f"✓ {query.data}\nnext question ({step})",  # never the same text twice in a row
        chat_id=query.message.chat.id,
        message_id=query.message.message_id,
        reply_markup=KEYBOARD,
    )


def build(mode: str) -> Application:  # type: ignore[type-arg]
    """The echo or the minimal button (`--buttons`) application."""
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .build()
    )
    if mode == "--buttons":
        app.add_handler(MessageHandler(filters.TEXT, button_text))
        app.add_handler(CallbackQueryHandler(button_press))
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
    build(sys.argv[1] if len(sys.argv) > 1 else "").run_polling(allowed_updates=Update.ALL_TYPES)
