"""An invitee's side of a review's learning event (SPEC §9), in their private chat.

- `I'll come` / `I can't come` (`e:<ref>:<version>:yes|no`): checked on the server
  (`services.learning_events.answer_invitation`): someone not invited, a press after the start,
  or on an invitation sent before the event moved is refused in an alert, saying why; an answer
  taken is shown on the invitation, whose buttons stay (it changes until the start).
- The feedback after the event (`dialogs.feedback`, three questions) on the one questionnaire
  runner as `FEEDBACK_FLOW`: the typed answers are awaited inputs of kind `FEEDBACK` (routed
  here by `bot.practitioner.pending`), the safety score a press (`e:<ref>:safety:<n>`); each
  answer is saved through `services.learning_events.record_feedback`, the last keeping the
  feedback apart from the person.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import CallbackQuery, Update, User

from bot.context import Context, Services, Typed, services
from bot.delivery import event_notices, keyboards, messaging, review_keyboards
from bot.questionnaire import runner
from bot.questionnaire.runner import Before, Flow, Opened, Turn
from dialogs import texts
from dialogs.core.prompts import AnswerRefused, DialogStateError, Step
from dialogs.feedback import FeedbackSession
from services import learning_events as event_service
from services.learning_events import Answer
from storage import event_feedback, inputs, learning_events
from storage.inputs import AwaitedInput, InputKind
from storage.learning_events import COMING, NOT_COMING
from templates import render


async def press_event(update: Update, context: Context) -> None:
    """An `e:` press: an invitation's answer, or a feedback question's button."""
    got = await messaging.pressed(
        update, review_keyboards.parse_event_press, keyboards.pressed_in_private
    )
    if got is None:
        return
    query, data = got
    if isinstance(data, review_keyboards.InvitationData):
        await _answer_invitation(context, query, data)
        return
    assert isinstance(data, keyboards.PlanData)
    turn = Turn.pressed(query, data.value, data.question, data.ref)
    await runner.run(FEEDBACK_FLOW, context, turn)


async def _answer_invitation(
    context: Context, query: CallbackQuery, data: review_keyboards.InvitationData
) -> None:
    """Record `I'll come` / `I can't come`, or say in an alert why not."""
    s = services(context)
    user = query.from_user
    said = COMING if data.coming else NOT_COMING
    outcome = event_service.answer_invitation(
        s.db, data.ref, user.id, data.version, said, s.clock()
    )
    text = render("bot/events/answered.j2", outcome=outcome, ref=data.ref, coming=data.coming)
    if outcome != Answer.RECORDED:
        await messaging.answer_query(query, text, alert=True)
        if outcome == Answer.STALE and query.message is not None:
            await messaging.edit(context, user.id, query.message.message_id, None)
        return
    await messaging.answer_query(query, text)
    event = learning_events.get_event(s.db, data.ref)
    if event is not None and query.message is not None:
        shown = event_notices.invitation(s, event, user.id, False, s.clock())
        await messaging.edit(context, user.id, query.message.message_id, shown.text, shown.markup)


def _reopen(s: Services, ref: str, user_id: int) -> FeedbackSession | None:
    found = event_feedback.session(s.db, ref, user_id)
    if found is None or found.done:
        return None
    try:
        return s.dialogs.feedback.restore(found.ref, found.state, dict(found.answers))
    except DialogStateError:
        return None


async def _show(
    context: Context, user_id: int, session: FeedbackSession, notes: Sequence[str] = ()
) -> None:
    """Send the feedback's current question (after `notes`), awaiting a typed answer when it
    wants one; at the end, thank them."""
    s = services(context)
    prompt = session.current_prompt()
    if prompt.kind == "text":
        data = {"question": prompt.id}
        inputs.expect(s.db, user_id, InputKind.FEEDBACK, session.ref, data, s.clock())
    else:
        inputs.clear_purpose(s.db, user_id, InputKind.FEEDBACK, session.ref)
    text = "\n\n".join([*notes, prompt.text])
    await messaging.send(
        context, user_id, text, review_keyboards.feedback_keyboard(session.ref, prompt)
    )


class FeedbackFlow(Flow[FeedbackSession]):
    """The feedback in the attendee's private chat: its session is theirs for the review."""

    async def open(self, context: Context, turn: Turn) -> Opened[FeedbackSession] | None:
        s = services(context)
        ref = turn.key or (turn.awaited.ref if turn.awaited is not None else "") or ""
        session = _reopen(s, ref, turn.user.id)
        if session is not None:
            return Opened(session, ref)
        text = render("bot/events/feedback.j2", outcome="none", ref=ref)
        if turn.query is not None:
            await messaging.answer_query(turn.query, text, alert=True)
        else:
            inputs.clear_purpose(s.db, turn.user.id, InputKind.FEEDBACK, ref)
            await messaging.send(context, turn.chat_id, text)
        return None

    async def at_step(self, context: Context, turn: Turn, opened: Opened[FeedbackSession]) -> bool:
        """A press is checked by the session (its button's question); a text answers only the
        question it was awaited for, and only one that wants text."""
        session = opened.session
        if turn.query is not None:
            return True
        awaited = turn.awaited.data.get("question") if turn.awaited is not None else None
        if session.current_prompt().kind == "text" and awaited in (None, session.state):
            return True
        outcome = "buttons" if session.current_prompt().kind != "text" else "moved_on"
        note = render("bot/events/feedback.j2", outcome=outcome, ref=opened.key)
        await _show(context, turn.user.id, session, [note])
        return False

    async def refused(
        self,
        context: Context,
        turn: Turn,
        opened: Opened[FeedbackSession],
        refusal: AnswerRefused,
    ) -> None:
        if turn.query is not None:
            await super().refused(context, turn, opened, refusal)
            return
        await messaging.send(context, turn.chat_id, f"{refusal.reason}\n\n({opened.key})")

    async def answered(
        self,
        context: Context,
        turn: Turn,
        opened: Opened[FeedbackSession],
        step: Step,
        before: Before,
    ) -> None:
        """Save the answer (the last keeps the feedback apart from them) and ask the next."""
        s, session = services(context), opened.session
        user_id = turn.user.id
        if not event_service.record_feedback(s.db, session, user_id, step):
            await self.open(context, Turn(turn.user, turn.chat_id, "", key=opened.key))
            return
        notes: list[str] = []
        if turn.query is not None:
            await messaging.answer_query(turn.query)
            if turn.query.message is not None:
                answered = f"{before.prompt.text}\n\n→ {step.label}"
                await messaging.edit(context, user_id, turn.query.message.message_id, answered)
        else:
            deleted = True
            if turn.message is not None:
                deleted = await messaging.delete_typed(context, turn.message)
            kept = str(session.answers.get(step.question, ""))
            notes.append(
                render("bot/events/feedback.j2", outcome="stored", kept=kept, deleted=deleted)
            )
            if step.redacted:
                notes.append(texts.redacted_text(step.redacted))
            if not deleted:
                notes.append(render("bot/practitioner/not_deleted.j2"))
        await _show(context, user_id, session, notes)


FEEDBACK_FLOW = FeedbackFlow()


async def receive_feedback(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    """An attendee's typed feedback answer (the route of `FEEDBACK`, `bot.practitioner.AWAITED`)."""
    name = typed.first_name or ""
    user = typed.message.from_user if typed.message is not None else None
    if user is None:
        user = User(typed.user_id, name, is_bot=False)
    turn = Turn(
        user,
        typed.user_id,
        typed.text,
        key=awaited.ref or "",
        message=typed.message,
        awaited=awaited,
    )
    await runner.run(FEEDBACK_FLOW, context, turn)
    return True
