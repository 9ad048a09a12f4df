"""Typed messages someone is waiting for in a private chat: a chair's reason or question, a
practitioner's answer, a lead's evidence or reason on an action.

Checked before the practitioner's dialog sees a text: if the sender's next message was
awaited (see `storage.inputs`), it goes to the route of that kind instead. The one table of
awaited kinds is `bot.routes.AWAITED_ROUTES` (in `Services.awaited`): this package's routes
(`ROUTES`) with the board's (`bot.board.AWAITED`), so the private chat never imports the
board. A practitioner's reply to the board's question message answers that question whatever
else is going on; a plain message answers the board's oldest open question unless their check
is waiting for text.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.context import AwaitedRoute, Context, Services, services
from bot.delivery import messaging, sender, status_notices
from bot.practitioner import lead
from dialogs import intake, texts
from services import casework
from services.decisions import REASON_KINDS
from storage import drafts, info_requests, inputs, outbox, referrals
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
    return awaited is not None and awaited.kind in REASON_KINDS


def board_questions(s: Services, user_id: int) -> list[tuple[info_requests.Question, int | None]]:
    """The board's questions to this practitioner, oldest first, each with the id of the
    message that relayed it (None while not yet delivered)."""
    found: list[tuple[info_requests.Question, int | None]] = []
    for referral in referrals.referrals_for(s.db, user_id):
        relayed = {
            int(row.payload.get("question_id", 0)): row.sent_message_id
            for row in outbox.rows_for(s.db, referral.ref, OutboxKind.QUESTION)
        }
        found += [(q, relayed.get(q.id)) for q in info_requests.questions_for(s.db, referral.ref)]
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


async def _board_answer(context: Context, awaited: AwaitedInput, typed: Message) -> bool:
    """A plain message while the board's question is open: its answer, unless the
    practitioner's check is waiting for text (then the text is the check's)."""
    if not awaited.ref or _answering_dialog(services(context), awaited.user_id):
        return False
    await relay_answer(context, awaited.user_id, int(awaited.data["question_id"]), typed)
    return True


# This package's routes of awaited kinds (the board's are `bot.board.AWAITED`).
ROUTES: dict[InputKind, AwaitedRoute] = {
    InputKind.INFO_ANSWER: _board_answer,
    InputKind.ACTION_EVIDENCE: lead.receive_words,
    InputKind.ACTION_LATE: lead.receive_words,
}


def _route(s: Services, kind: InputKind) -> AwaitedRoute:
    """The route of an awaited kind (one that has none is taken by nothing here)."""
    return s.awaited.get(kind, _not_taken)


async def _not_taken(context: Context, awaited: AwaitedInput, typed: Message) -> bool:
    return False


async def handle(update: Update, context: Context) -> bool:
    """Route an awaited text to its handler; False when nobody was waiting for it.

    A chair's reason or question comes first; then a reply to the board's question message
    answers that question, whatever is awaited; then the awaited kind's route.
    """
    assert update.effective_user is not None and update.message is not None
    s = services(context)
    user_id = update.effective_user.id
    awaited = inputs.awaited(s.db, user_id)
    if awaited is not None and awaited.kind in REASON_KINDS:
        return await _route(s, awaited.kind)(context, awaited, update.message)
    reply = update.message.reply_to_message
    if reply is not None:
        for question, message_id in board_questions(s, user_id):
            if message_id == reply.message_id:
                await relay_answer(context, user_id, question.id, update.message)
                return True
    if awaited is None:
        return False
    return await _route(s, awaited.kind)(context, awaited, update.message)


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
    question = casework.answer(s.db, question_id, user_id, redaction.text, s.clock())
    if question is None:
        await_next_question(s, user_id)
        already = render("bot/practitioner/answer_relayed.j2", already=True)
        await context.bot.send_message(user_id, already)
        return
    # back to awaiting the chair: the notice says so, and the cards' buttons name the new
    # version before the answer reaches whoever asked (a press on the old ones is stale)
    await status_notices.refresh_cards(context, referrals.require_referral(s.db, question.ref))
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
