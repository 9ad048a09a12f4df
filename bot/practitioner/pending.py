"""Typed messages someone is waiting for in a private chat: a chair's reason or question, a
practitioner's answer, a lead's evidence or reason on an action, a lead's answer in their
agency review.

Checked before the practitioner's dialog sees a text: if the sender's next message was
awaited (see `storage.inputs`), it goes to the route of that kind instead. The one table of
awaited kinds is `bot.routes.AWAITED_ROUTES` (in `Services.awaited`): this package's routes
(`ROUTES`) with the board's (`bot.board.AWAITED`), so the private chat never imports the
board. A practitioner's reply to the board's question message answers that question whatever
else is going on; a plain message answers the board's oldest open question unless their check
is waiting for text.

A person may be awaited for several purposes at once (`storage.inputs`: the board's question,
a lead's evidence on an action, a chair's reason…). A text that could answer only one goes to
it; one that could answer several is taken through the intake, held (redacted; their message
leaves the chat) and the person is asked which it answers, one button each (`w:<key>:<purpose>`,
only theirs, stale once the choice is made or replaced); the press acts on what was typed. A
text typed while a choice is open is not taken: they are asked to choose first.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.context import AwaitedRoute, Context, Services, Typed, services
from bot.delivery import keyboards, messaging, sender, status_notices
from bot.practitioner import agency_review, event, lead
from dialogs import intake, texts
from services import casework
from services.decisions import REASON_KINDS
from storage import actions, drafts, info_requests, inputs, outbox, referrals
from storage.inputs import AwaitedInput, InputKind
from storage.outbox import OutboxKind
from templates import labels, render

MAX_ANSWER = 2000


def clear(s: Services, user_id: int) -> AwaitedInput | None:
    """Forget what is awaited of this user (on /start and /cancel) and any text held for a
    choice; returns the newest input forgotten.

    The board's open question to a practitioner is kept: it stays open until answered.
    """
    inputs.release(s.db, user_id)
    stopped = [a for a in inputs.awaiting(s.db, user_id) if a.kind != InputKind.INFO_ANSWER]
    for awaited in stopped:
        inputs.forget(s.db, awaited)
    return stopped[-1] if stopped else None


def awaits_text(s: Services, user_id: int) -> bool:
    """Whether a chair's reason or question is awaited from this user."""
    return inputs.awaited(s.db, user_id, *REASON_KINDS) is not None


def board_questions(s: Services, user_id: int) -> list[tuple[info_requests.Question, int | None]]:
    """The board's questions to this practitioner, oldest first, each with the id of the
    message that relayed it (None while not yet delivered)."""
    questions = info_requests.questions_to(s.db, user_id)
    relayed: dict[int, int | None] = {}
    for ref in dict.fromkeys(q.ref for q in questions):
        relayed |= {
            int(row.payload.get("question_id", 0)): row.sent_message_id
            for row in outbox.rows_for(s.db, ref, OutboxKind.QUESTION)
        }
    return [(q, relayed.get(q.id)) for q in questions]


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


async def _board_answer(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
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
    InputKind.FEEDBACK: event.receive_feedback,
    InputKind.AGENCY_REVIEW: agency_review.receive_text,
}


def _route(s: Services, kind: InputKind) -> AwaitedRoute:
    """The route of an awaited kind (one that has none is taken by nothing here)."""
    return s.awaited.get(kind, _not_taken)


async def _not_taken(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    return False


def _candidates(s: Services, user_id: int) -> list[AwaitedInput]:
    """What a plain private text from this user could answer, oldest first: the board's
    question only while their check is not waiting for text (then the text is the check's)."""
    found = [
        a
        for a in inputs.awaiting(s.db, user_id)
        if a.kind not in inputs.IN_GROUP and a.kind in s.awaited
    ]
    if any(a.kind == InputKind.INFO_ANSWER for a in found) and _answering_dialog(s, user_id):
        found = [a for a in found if a.kind != InputKind.INFO_ANSWER]
    return found


async def handle(update: Update, context: Context) -> bool:
    """Route an awaited text to its handler; False when nobody was waiting for it.

    A reply to the board's question message answers that question, whatever is awaited; a
    text that could answer one awaited input goes to its kind's route; one that could answer
    several is held and the person asked which (`ask_which`).
    """
    assert update.effective_user is not None and update.message is not None
    s = services(context)
    user_id = update.effective_user.id
    reply = update.message.reply_to_message
    if reply is not None:
        for question, message_id in board_questions(s, user_id):
            if message_id == reply.message_id:
                await relay_answer(context, user_id, question.id, Typed.of(update.message))
                return True
    found = _candidates(s, user_id)
    if not found:
        return False
    if any(a.held is not None for a in found):  # a choice is open: that first
        await messaging.send(context, user_id, render("bot/practitioner/which.j2", outcome="first"))
        return True
    if len(found) == 1:
        return await _route(s, found[0].kind)(context, found[0], Typed.of(update.message))
    await ask_which(context, found, update.message)
    return True


def choice_label(awaited: AwaitedInput) -> str:
    """The button naming what an awaited input is for ("Evidence for LIR-…/A1")."""
    seq = int(awaited.data.get("seq", 0))
    named = actions.action_id(awaited.ref or "", seq)
    return labels.button(f"which_{awaited.kind}", ref=awaited.ref or "", id=named)


async def ask_which(context: Context, found: list[AwaitedInput], typed: Message) -> None:
    """Hold the text (through the intake, redacted; the message leaves the chat) and ask which
    of `found` it answers."""
    s = services(context)
    user_id = found[0].user_id
    try:
        redaction = intake.accept(typed.text or "", limit=MAX_ANSWER, multiline=True)
    except intake.Refused as exc:
        refused = render("bot/chair/words_refused.j2", length=exc.length, limit=exc.limit)
        await messaging.send(context, user_id, refused)
        return
    key = inputs.hold(s.db, user_id, [a.purpose for a in found], redaction.text)
    if redaction.removed:
        await messaging.send(context, user_id, texts.redacted_text(redaction.removed))
    deleted = await messaging.delete_typed(context, typed)
    text = render("bot/practitioner/which.j2", outcome="ask", kept=redaction.text, deleted=deleted)
    choices = [(choice_label(a), a.purpose) for a in found]
    await messaging.send(context, user_id, text, keyboards.which_keyboard(key, choices))


async def press_which(update: Update, context: Context) -> None:
    """The person's choice of what their held text answers: it goes there as typed."""
    got = await messaging.pressed(update, keyboards.parse_which, keyboards.pressed_in_private)
    if got is None:
        return
    query, parsed = got
    s = services(context)
    chosen = inputs.held(s.db, query.from_user.id, *parsed)
    if chosen is None or chosen.held is None:
        stale = render("bot/practitioner/which.j2", outcome="stale")
        await messaging.answer_query(query, stale, alert=True)
        return
    inputs.release(s.db, chosen.user_id)
    await messaging.answer_query(query)
    if query.message is not None:
        taken = render(
            "bot/practitioner/which.j2",
            outcome="taken",
            label=choice_label(chosen),
            kept=chosen.held,
        )
        await messaging.edit(context, chosen.user_id, query.message.message_id, taken)
    typed = Typed(chosen.user_id, chosen.held, query.from_user.first_name)
    if chosen.kind == InputKind.INFO_ANSWER:  # chosen: the check's text question aside
        await relay_answer(context, chosen.user_id, int(chosen.data["question_id"]), typed)
    elif not await _route(s, chosen.kind)(context, chosen, typed):
        await messaging.send(
            context, chosen.user_id, render("bot/practitioner/which.j2", outcome="gone")
        )


async def relay_answer(context: Context, user_id: int, question_id: int, typed: Typed) -> None:
    """Store the practitioner's (redacted) answer and queue it back to whoever asked; their
    message then leaves the chat, what is kept shown in its place (SPEC §8)."""
    s = services(context)
    try:
        redaction = intake.accept(typed.text, limit=MAX_ANSWER, multiline=True)
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
    deleted = await messaging.leave(context, typed)
    relayed = render(
        "bot/practitioner/answer_relayed.j2",
        already=False,
        ref=question.ref,
        kept=redaction.text,
        deleted=deleted,
    )
    await context.bot.send_message(user_id, relayed)
    sender.kick(context)
