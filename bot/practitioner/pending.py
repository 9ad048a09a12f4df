"""Typed messages someone is waiting for: a chair's reason or question, a practitioner's answer,
a lead's evidence or reason on an action.

Checked before the practitioner's dialog sees a text: if the sender's next message was
awaited (see `storage.inputs`), it goes to the handler of that kind (`ROUTES`, the one table of
awaited kinds) instead. A practitioner's reply to the board's question message answers that
question whatever else is going on; a plain message answers the board's oldest open question
unless their check is waiting for text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Message, Update

from bot.board import briefs, chair
from bot.context import Context, Services, services
from bot.delivery import messaging, sender, status_notices
from bot.practitioner import lead
from dialogs import intake, texts
from storage import drafts, inputs, outbox, questions, referrals
from storage.inputs import AwaitedInput, InputKind
from storage.outbox import OutboxKind
from templates import render

MAX_ANSWER = 2000


def clear(s: Services, user_id: int) -> AwaitedInput | None:
    """Forget a chair's awaited reason or question (on /start and /cancel); returns it.

    The board's open question to a practitioner is kept: it stays open until answered.
    """
    awaited = inputs.awaited(s.db, user_id)
    if awaited is None or awaited.kind == InputKind.INFO_ANSWER:
        return None
    inputs.clear(s.db, user_id, awaited.kind)
    return awaited


def awaits_text(s: Services, user_id: int) -> bool:
    """Whether a chair's reason or question is awaited from this user."""
    awaited = inputs.awaited(s.db, user_id)
    return awaited is not None and awaited.kind in chair.REASON_KINDS


def board_questions(s: Services, user_id: int) -> list[tuple[questions.Question, int | None]]:
    """The board's questions to this practitioner, oldest first, each with the id of the
    message that relayed it (None while not yet delivered)."""
    found: list[tuple[questions.Question, int | None]] = []
    for referral in referrals.referrals_for(s.db, user_id):
        relayed = {
            int(row.payload.get("question_id", 0)): row.sent_message_id
            for row in outbox.rows_for(s.db, referral.ref, OutboxKind.QUESTION)
        }
        found += [(q, relayed.get(q.id)) for q in questions.questions_for(s.db, referral.ref)]
    return sorted(found, key=lambda pair: pair[0].id)


def await_next_question(s: Services, user_id: int) -> None:
    """Point the practitioner's next plain message at their oldest open question, if any."""
    for question, message_id in board_questions(s, user_id):
        if message_id is not None and question.answer is None:
            data = {"question_id": question.id, "message_id": message_id}
            inputs.expect(s.db, user_id, InputKind.INFO_ANSWER, question.ref, data, s.clock())
            return
    inputs.clear(s.db, user_id, InputKind.INFO_ANSWER)


def _answering_dialog(s: Services, user_id: int) -> bool:
    """Whether the user's check is waiting for typed text (so a text may belong to it)."""
    draft = drafts.load_draft(s.db, user_id, s.clock(), s.settings.draft_ttl_hours)
    if draft is None:
        return False
    try:
        return (
            s.dialogs.check.restore(draft.state, dict(draft.answers)).current_prompt().kind
            == "text"
        )
    except ValueError:
        return False


Route = Callable[[Context, AwaitedInput, Message], Awaitable[bool]]


async def _chair_words(context: Context, awaited: AwaitedInput, typed: Message) -> bool:
    """A chair's reason or question, for the press that asked for it."""
    if not awaited.ref:
        return False
    name = typed.from_user.first_name if typed.from_user else None
    kept = await chair.receive_words(
        context,
        awaited.user_id,
        awaited.kind,
        awaited.ref,
        dict(awaited.data),
        typed.text or "",
        name,
    )
    if kept and not await messaging.delete_typed(context, typed):  # SPEC §8, as for answers
        await context.bot.send_message(awaited.user_id, render("bot/practitioner/not_deleted.j2"))
    return True


async def _board_answer(context: Context, awaited: AwaitedInput, typed: Message) -> bool:
    """A plain message while the board's question is open: its answer, unless the
    practitioner's check is waiting for text (then the text is the check's)."""
    if not awaited.ref or _answering_dialog(services(context), awaited.user_id):
        return False
    await relay_answer(context, awaited.user_id, int(awaited.data["question_id"]), typed)
    return True


async def _not_here(context: Context, awaited: AwaitedInput, typed: Message) -> bool:
    """A kind answered elsewhere (a plan's answer is typed in the board group: `planning`)."""
    return False


# The one table of awaited kinds: what a private message answers, by the kind awaited.
ROUTES: dict[InputKind, Route] = {
    InputKind.ESCALATE_REASON: _chair_words,
    InputKind.DECLINE_REASON: _chair_words,
    InputKind.CHAIR_QUESTION: _chair_words,
    InputKind.INFO_ANSWER: _board_answer,
    InputKind.PLAN: _not_here,
    InputKind.ACTION_EVIDENCE: lead.receive_words,
    InputKind.ACTION_LATE: lead.receive_words,
    InputKind.BRIEF: _not_here,
    InputKind.BRIEF_BACK: briefs.receive_reason,
}


async def handle(update: Update, context: Context) -> bool:
    """Route an awaited text to its handler; False when nobody was waiting for it.

    A chair's reason or question comes first; then a reply to the board's question message
    answers that question, whatever is awaited; then the awaited kind's route.
    """
    assert update.effective_user is not None and update.message is not None
    s = services(context)
    user_id = update.effective_user.id
    awaited = inputs.awaited(s.db, user_id)
    if awaited is not None and awaited.kind in chair.REASON_KINDS:
        return await ROUTES[awaited.kind](context, awaited, update.message)
    reply = update.message.reply_to_message
    if reply is not None:
        for question, message_id in board_questions(s, user_id):
            if message_id == reply.message_id:
                await relay_answer(context, user_id, question.id, update.message)
                return True
    return awaited is not None and await ROUTES[awaited.kind](context, awaited, update.message)


async def relay_answer(context: Context, user_id: int, question_id: int, typed: Message) -> None:
    """Store the practitioner's (redacted) answer and queue it back to whoever asked; their
    message then leaves the chat, what is kept shown in its place (SPEC §8)."""
    s = services(context)
    try:
        redaction = intake.accept(typed.text or "", limit=MAX_ANSWER, multiline=True)
    except intake.Refused as exc:
        await context.bot.send_message(
            user_id, render("bot/chair/words_refused.j2", length=exc.length, limit=exc.limit)
        )
        return
    try:
        question = questions.answer_question(s.db, question_id, user_id, redaction.text, s.clock())
    except questions.QuestionError:
        await_next_question(s, user_id)
        already = render("bot/practitioner/answer_relayed.j2", already=True)
        await context.bot.send_message(user_id, already)
        return
    await_next_question(s, user_id)
    if redaction.removed:
        await context.bot.send_message(user_id, texts.redacted_text(redaction.removed))
    deleted = await messaging.delete_typed(context, typed)
    relayed = render(
        "bot/practitioner/answer_relayed.j2",
        already=False,
        ref=question.ref,
        kept=redaction.text,
        deleted=deleted,
    )
    await context.bot.send_message(user_id, relayed)
    sender.kick(context)
    await status_notices.refresh_notice(context, question.ref)  # back to awaiting the chair
