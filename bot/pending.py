"""Typed messages someone is waiting for: a chair's reason or question, a practitioner's answer.

Checked before the practitioner's dialog sees a text: if the sender's next message was
awaited (see `storage.inputs`), it goes to the handler of that kind instead.
"""

from __future__ import annotations

from telegram import Update

from bot import chair, dispatcher
from bot.context import Context, Services, services
from dialogs.redact import redact
from storage import drafts, inputs, questions
from templates import render

MAX_ANSWER = 2000


def clear(s: Services, user_id: int) -> None:
    """Forget any awaited input of this user (on /start and /cancel)."""
    inputs.clear(s.db, user_id)


def _answering_dialog(s: Services, user_id: int) -> bool:
    """Whether the user's check is waiting for typed text (so a text may belong to it)."""
    draft = drafts.load_draft(s.db, user_id, s.clock(), s.settings.draft_ttl_hours)
    if draft is None:
        return False
    try:
        return s.dialog.restore(draft.state, dict(draft.answers)).current_prompt().kind == "text"
    except ValueError:
        return False


async def handle(update: Update, context: Context, text: str) -> bool:
    """Route an awaited text to its handler; False when nobody was waiting for it."""
    assert update.effective_user is not None and update.message is not None
    s = services(context)
    user_id = update.effective_user.id
    awaited = inputs.awaited(s.db, user_id)
    if awaited is None:
        return False
    if awaited.kind in chair.REASON_KINDS and awaited.ref:
        await chair.receive_words(
            context, user_id, awaited.kind, awaited.ref, dict(awaited.data), text
        )
        return True
    if awaited.kind == "info_answer" and awaited.ref:
        reply = update.message.reply_to_message
        replying = reply is not None and reply.message_id == awaited.data.get("message_id")
        if not replying and _answering_dialog(s, user_id):
            return False  # the text answers their check's question, not the board's
        await relay_answer(context, user_id, int(awaited.data["question_id"]), text)
        return True
    return False


async def relay_answer(context: Context, user_id: int, question_id: int, text: str) -> None:
    """Store the practitioner's (redacted) answer and queue it back to whoever asked."""
    s = services(context)
    cleaned = text.strip()
    if not cleaned:
        await context.bot.send_message(
            user_id, "That message has no text. Please type your answer."
        )
        return
    if len(cleaned) > MAX_ANSWER:
        await context.bot.send_message(
            user_id,
            f"That is {len(cleaned)} characters long; the limit is {MAX_ANSWER}. "
            "Please shorten it and send it again.",
        )
        return
    redaction = redact(cleaned)
    try:
        question = questions.answer_question(s.db, question_id, user_id, redaction.text, s.clock())
    except questions.QuestionError:
        inputs.clear(s.db, user_id, "info_answer")
        await context.bot.send_message(user_id, "That question has already been answered.")
        return
    inputs.clear(s.db, user_id, "info_answer")
    if redaction.kinds:
        await context.bot.send_message(
            user_id, render("bot/practitioner/redacted.j2", kinds=redaction.kinds)
        )
    await context.bot.send_message(
        user_id, f"Thank you. Your answer has been passed to the board ({question.ref})."
    )
    dispatcher.kick(context)
