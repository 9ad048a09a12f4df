"""A lead's individual agency review (SPEC §9), in their private chat, on the one runner.

Each lead of an agency asked gets `Start the agency review` (`i:<ref>:<agency>:start`,
`bot.delivery.agency_review_texts`). A press counts only in the lead's own chat, from a lead of
that agency: the first to start holds it (`services.review.start_review`), its holder pressing
again carries on where it was left (after a restart too), another lead is told who holds it,
anyone else is refused (and the refusal logged); a press on an agency review no longer asked,
or with forged data, is answered as such. The questions come from `dialogs.agency_review`
(`Services.dialogs.agency_review`), answered through the runner as `AgencyReviewFlow`: typed
answers are awaited as `AGENCY_REVIEW` (routed here by `bot.practitioner.pending`; the question
in the input's data), a list's `Done` is a button (`i:<ref>:<agency>:<question>:done`). Every
answer is saved at once (`services.review.save_answers`); each typed message then leaves the
chat, what was kept shown in its place (SPEC §8). `/back` goes to the previous question (from
the summary too). The summary ends with `Submit to the board` (`i:<ref>:<agency>:submit`),
which submits it (`services.review.submit_review`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from markupsafe import Markup
from telegram import InlineKeyboardMarkup, Update, User

from bot.context import Context, Services, Typed, services
from bot.delivery import keyboards, messaging, review_keyboards, sender
from bot.delivery.agency_review_texts import keyboard, plan_context
from bot.questionnaire import runner
from bot.questionnaire.runner import Before, Flow, Opened, Turn
from dialogs import texts
from dialogs.agency_review import AgencyReviewSession
from dialogs.agency_review_questions import AGENCY_REVIEW
from dialogs.core.prompts import AnswerRefused, DialogStateError, Step
from services import review as reviews
from services.review import Outcome
from storage import agency_reviews, inputs, refusals
from storage.agency_reviews import AgencyReview
from storage.inputs import AwaitedInput, InputKind
from templates import render

log = logging.getLogger(__name__)

TEMPLATE = "bot/agency_review/lead.j2"  # every reply of this module, by its `outcome`


def _find(s: Services, ref: str, key: str) -> AgencyReview | None:
    """The agency review of `ref` whose agency's key (`review_keyboards.agency_key`) is `key`."""
    return next(
        (
            r
            for r in agency_reviews.for_review(s.db, ref)
            if review_keyboards.agency_key(r.agency) == key
        ),
        None,
    )


def _session(s: Services, review: AgencyReview) -> AgencyReviewSession | None:
    """The agency review's questionnaire as stored (new at its first question if not yet
    written), or None when what is stored no longer fits it."""
    plan = plan_context(s, review.ref)
    period, enquiries = str(plan["period"]), list(plan["enquiries"])
    dialog = s.dialogs.agency_review
    if not review.state:
        return dialog.start(review.ref, review.agency, period, enquiries, s.today())
    try:
        return dialog.restore(
            review.ref, review.agency, review.state, review.answers, period, enquiries, s.today()
        )
    except DialogStateError:
        log.warning("an agency review of %s no longer fits its questionnaire", review.ref)
        return None


def _keyboard(session: AgencyReviewSession) -> InlineKeyboardMarkup | None:
    prompt = session.current_prompt()
    shown = "submit" if prompt.kind == "done" else prompt
    return keyboard(session.ref, session.agency, shown)


async def show(
    context: Context, user_id: int, session: AgencyReviewSession, notes: Sequence[str] = ()
) -> None:
    """Send the agency review's current question (or its summary, to submit) after `notes`,
    and await the lead's typed answer to it."""
    s = services(context)
    data = {"agency": session.agency, "question": session.state}
    inputs.expect(s.db, user_id, InputKind.AGENCY_REVIEW, session.ref, data, s.clock())
    text = render(
        TEMPLATE,
        outcome="prompt",
        notes=[Markup(n) for n in notes],
        prompt=Markup(session.current_prompt().text),
    )
    await messaging.send(context, user_id, text, _keyboard(session))


def _told(outcome: str, **details: object) -> str:
    return render(TEMPLATE, outcome=outcome, **details)


async def _say(context: Context, turn: Turn, text: str) -> None:
    """Tell the person: an alert on a press, else a message."""
    if turn.query is not None:
        await messaging.answer_query(turn.query, text, alert=True)
    else:
        await messaging.send(context, turn.chat_id, text)


def _why_not(s: Services, turn: Turn, review: AgencyReview | None) -> str:
    """Why this person cannot answer this agency review now ("" when they can)."""
    if review is None:
        return _told("unknown")
    if not reviews.lead_of(s.db, turn.user.id, review.agency):
        detail = f"agency review button refused: not a lead of {review.agency}"
        refusals.record_refusal(s.db, review.ref, turn.user.id, detail, s.clock())
        return _told("not_lead", agency=review.agency, ref=review.ref)
    if review.submitted:
        return _told("submitted", agency=review.agency, ref=review.ref)
    if review.holder_id is not None and review.holder_id != turn.user.id:
        return _told("held", agency=review.agency, ref=review.ref, holder=review.holder_name)
    if review.holder_id is None:
        return _told("not_started", agency=review.agency, ref=review.ref)
    return ""


class AgencyReviewFlow(Flow[AgencyReviewSession]):
    """The agency review: its holder's typed answers (awaited as `AGENCY_REVIEW`) and presses
    (`i:` data), each turn keyed `<ref>:<agency key>`."""

    async def open(self, context: Context, turn: Turn) -> Opened[AgencyReviewSession] | None:
        s = services(context)
        ref, _, key = turn.key.partition(":")
        review = _find(s, ref, key)
        why = _why_not(s, turn, review)
        if why or review is None:
            if turn.awaited is not None:  # typed for an agency review it cannot answer now
                inputs.clear(s.db, turn.user.id, InputKind.AGENCY_REVIEW)
            await _say(context, turn, why)
            return None
        session = _session(s, review)
        if session is None:
            await _say(context, turn, _told("unknown"))
            return None
        return Opened(session, turn.key)

    async def at_step(
        self, context: Context, turn: Turn, opened: Opened[AgencyReviewSession]
    ) -> bool:
        if turn.awaited is None or opened.session.state == turn.awaited.data.get("question"):
            return True
        await show(context, turn.user.id, opened.session, [_told("moved_on")])
        return False

    async def refused(
        self,
        context: Context,
        turn: Turn,
        opened: Opened[AgencyReviewSession],
        refusal: AnswerRefused,
    ) -> None:
        await _say(context, turn, refusal.reason)

    async def answered(
        self,
        context: Context,
        turn: Turn,
        opened: Opened[AgencyReviewSession],
        step: Step,
        before: Before,
    ) -> None:
        """Save the answer, let the typed message leave the chat (what was kept shown), then
        show the next question, or the list again with its entries."""
        s, session = services(context), opened.session
        saved = reviews.save_answers(
            s.db,
            session.ref,
            session.agency,
            turn.user.id,
            session.state,
            session.answers,
            s.clock(),
        )
        if saved.outcome != Outcome.RESUMED:  # submitted or taken meanwhile: nothing saved
            await _say(context, turn, _told(saved.outcome, agency=session.agency, ref=session.ref))
            return
        if turn.query is not None:
            await messaging.answer_query(turn.query)
        notes: list[str] = []
        if turn.query is None:
            typed = Typed(turn.user.id, turn.value, turn.user.first_name, turn.message)
            deleted = await messaging.leave(context, typed)
            if step.redacted:
                notes.append(texts.redacted_text(step.redacted))
            question = AGENCY_REVIEW.by_id[step.question]
            count = len(session.entries(step.question)) if not step.moved else 0
            kept = _told("kept", short=question.short, label=step.label, entry=count)
            notes.append(kept if deleted else f"{kept}\n{_told('not_deleted')}")
        await show(context, turn.user.id, session, notes)  # a list's entry: the list again


AGENCY_REVIEW_FLOW = AgencyReviewFlow()


async def press(update: Update, context: Context) -> None:
    """An `i:` press: `Start the agency review`, `Submit to the board`, or a question's button
    (a list's `Done`), each checked (whose, which agency review, its state)."""
    got = await messaging.pressed(
        update, review_keyboards.parse_agency_review, keyboards.pressed_in_private
    )
    if got is None:
        return
    query, (ref, key, answer, question, value) = got
    turn = Turn.pressed(query, value or "", question or "", f"{ref}:{key}")
    if answer == "start":
        await _start(context, turn)
    elif answer == "submit":
        await _submit(context, turn)
    else:
        await runner.run(AGENCY_REVIEW_FLOW, context, turn)


async def _start(context: Context, turn: Turn) -> None:
    """Start (or carry on with) the agency review: the first lead to start holds it."""
    s = services(context)
    ref, _, key = turn.key.partition(":")
    review = _find(s, ref, key)
    if review is None:
        await _say(context, turn, _told("unknown"))
        return
    if not reviews.lead_of(s.db, turn.user.id, review.agency):
        await _say(context, turn, _why_not(s, turn, review))
        return
    user = turn.user
    answered = reviews.start_review(
        s.db, ref, review.agency, user.id, user.first_name, AGENCY_REVIEW.first, s.clock()
    )
    now = answered.review or review
    if answered.outcome not in (Outcome.STARTED, Outcome.RESUMED):
        why = _told(answered.outcome, agency=now.agency, ref=ref, holder=now.holder_name)
        await _say(context, turn, why)
        return
    session = _session(s, now)
    if session is None:
        await _say(context, turn, _told("unknown"))
        return
    assert turn.query is not None
    await messaging.answer_query(turn.query)
    note = _told(answered.outcome, agency=now.agency, ref=ref)
    await show(context, user.id, session, [note])


async def _submit(context: Context, turn: Turn) -> None:
    """`Submit to the board` on the summary: the agency review submitted by its holder."""
    s = services(context)
    ref, _, key = turn.key.partition(":")
    review = _find(s, ref, key)
    why = _why_not(s, turn, review)
    session = _session(s, review) if review is not None and not why else None
    if review is None or session is None:
        await _say(context, turn, why or _told("unknown"))
        return
    user = turn.user
    done = reviews.submit_review(
        s.db,
        ref,
        review.agency,
        user.id,
        user.first_name,
        session.chronology,
        session.action_points,
        complete=session.complete,
        today=s.today(),
        now=s.clock(),
        board_chat_id=s.settings.board_chat_id,
    )
    after = done.review or review
    if done.outcome != Outcome.SUBMITTED or after.submitted_at is None:
        await _say(context, turn, _told(done.outcome, agency=review.agency, ref=ref))
        return
    inputs.clear(s.db, user.id, InputKind.AGENCY_REVIEW)
    sender.kick(context)
    assert turn.query is not None
    await messaging.answer_query(turn.query)
    text = _told(
        "sent",
        agency=review.agency,
        ref=ref,
        late=after.late,
        entries=len(session.chronology),
        points=len(session.action_points),
    )
    shown = turn.shown
    if shown is not None:  # the summary loses its button
        await messaging.edit(context, user.id, shown.message_id, shown.text_html or "")
    await messaging.send(context, user.id, text)


async def receive_text(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    """The lead's typed answer to the question of their agency review that awaits it."""
    agency = str(awaited.data.get("agency", ""))
    if not awaited.ref or not agency:
        return False
    user = User(typed.user_id, typed.first_name or "", is_bot=False)
    key = f"{awaited.ref}:{review_keyboards.agency_key(agency)}"
    turn = Turn(user, typed.user_id, typed.text, key=key, message=typed.message, awaited=awaited)
    await runner.run(AGENCY_REVIEW_FLOW, context, turn)
    return True


async def go_back(context: Context, user_id: int) -> bool:
    """`/back` while the lead's agency review awaits their answer: its previous question
    (False when no agency review is awaited of them: the check's `/back` then)."""
    s = services(context)
    awaited = inputs.awaited(s.db, user_id, InputKind.AGENCY_REVIEW)
    if awaited is None or not awaited.ref:
        return False
    review = agency_reviews.get(s.db, awaited.ref, str(awaited.data.get("agency", "")))
    if review is None or review.submitted or review.holder_id != user_id:
        inputs.forget(s.db, awaited)
        return False
    session = _session(s, review)
    if session is None:
        return False
    try:
        session.back()
    except AnswerRefused as refusal:
        await messaging.send(context, user_id, refusal.reason)
        return True
    saved = reviews.save_answers(
        s.db, review.ref, review.agency, user_id, session.state, session.answers, s.clock()
    )
    if saved.outcome != Outcome.RESUMED:
        await messaging.send(context, user_id, _told(saved.outcome, agency=review.agency))
        return True
    await show(context, user_id, session, [_told("back")])
    return True
