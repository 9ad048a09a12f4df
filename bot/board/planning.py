"""`/plan REF`: the review plan of SPEC §5 for an approved referral, run in the board group.

The questions come from `dialogs.plan` (`Services.dialogs.plan`), answered through the one
runner (`bot.questionnaire`) as `PlanFlow`; each answer is recorded by `services.planning` (the
plan's state and answers in `storage.plans` at every step, so a plan carries on after a restart,
with its events). Choices are inline buttons with `p:<ref>:<question>:<value>` data, checked on
the server: only officers and chairs, only the current question of an open plan. A complete plan
sends its Terms of Reference to the review panel (`services.terms`, `bot.board.terms`); until
they are agreed, `/plan REF` shows the list of answers to change (the core's change list from
the end state), and the plan complete again sends the terms again as a new version; once agreed,
`/plan` says they are fixed. Free text (a reason, a date, the author) is typed in the group by
the officer who reached that question: an awaited input of kind `PLAN` routes their next text
here, and every other message in the group passes by untouched. A reason for not involving the
family or the staff is logged as a decision; the completed plan moves the referral to
`review_planned`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup
from telegram import ForceReply, InlineKeyboardMarkup, Update, User

from bot.board import access, lcspr
from bot.board import terms as terms_flow
from bot.context import Context, Services, services
from bot.delivery import keyboards, messaging, sender, status_notices
from bot.delivery.referral_texts import when
from bot.questionnaire import runner
from bot.questionnaire.awaited import AwaitedFlow
from bot.questionnaire.runner import Before, Opened, Turn
from dialogs.core.answers import answer_lines
from dialogs.core.prompts import DialogStateError, Prompt, Step
from dialogs.core.table import CHANGE, CHANGE_STATE, TYPED_KINDS
from dialogs.plan import PlanSession
from dialogs.plan_questions import DONE_STATE, PLAN
from services.planning import begin_plan, record_plan_answer
from storage import inputs, plans, referrals, refusals, terms
from storage.inputs import InputKind
from storage.lifecycle import APPROVED, REVIEW_PLANNED
from storage.plans import Plan
from storage.referrals import Referral
from storage.terms import Terms
from templates import labels, render


def plan_lines(plan: Plan) -> list[tuple[str, str]]:
    """(item, answer) lines of a stored plan, for `/case` and messages."""
    return answer_lines(PLAN, dict(plan.answers))


def _keyboard(ref: str, prompt: Prompt) -> InlineKeyboardMarkup | None:
    return keyboards.plan_keyboard(ref, prompt.id, prompt.options, prompt.selected)


async def show(
    context: Context,
    s: Services,
    chat_id: int,
    user: User,
    session: PlanSession,
    notes: Sequence[str] = (),
    edit: int | None = None,
) -> None:
    """Show the plan's current question after `notes` (what was just recorded).

    A question with buttons is shown by editing message `edit` when given (one request per
    press keeps the group under Telegram's 20 messages a minute), else sent; a typed answer is
    asked of `user` with a reply prompt; a complete plan is summed up.
    """
    prompt = session.current_prompt()
    typed = prompt.kind in TYPED_KINDS
    if typed:
        data = {"question": prompt.id}
        inputs.expect(s.db, user.id, InputKind.PLAN, session.ref, data, s.clock())
    else:
        inputs.clear(s.db, user.id, InputKind.PLAN)
    text = render(
        "bot/officers/plan_prompt.j2",
        notes=[Markup(note) for note in notes],
        prompt=Markup(prompt.text),
        done=prompt.kind == "done",
        ref=session.ref,
        user_id=user.id if typed else None,
        person=user.full_name,
    )
    if typed:
        placeholder = labels.placeholder(prompt.kind)
        markup = ForceReply(selective=True, input_field_placeholder=placeholder)
        await context.bot.send_message(chat_id, text, reply_markup=markup)
    elif edit is not None:
        await messaging.edit(context, chat_id, edit, text, _keyboard(session.ref, prompt))
    else:
        await messaging.send(context, chat_id, text, _keyboard(session.ref, prompt))


def _answered(step: Step) -> str:
    """The line that shows an answer just recorded, or the answer chosen to change (HTML)."""
    question = PLAN.by_id.get(step.question)
    item = question.short if question is not None else ""
    return render("bot/officers/plan_answered.j2", item=item, label=step.label)


async def start_plan(update: Update, context: Context) -> None:
    """/plan REF: begin (or carry on with) the review plan of an approved referral."""
    s = await access.admit(update, context, "plan")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "plan")
    if referral is None:
        return
    plan = plans.get_plan(s.db, referral.ref)
    agreed = terms.agreed_at(s.db, referral.ref)
    if not _changeable(referral, plan, agreed):
        lines = plan_lines(plan) if plan is not None and plan.state == DONE_STATE else []
        text = render(
            "bot/officers/plan_refused.j2",
            ref=referral.ref,
            status=labels.status_label(referral.status),
            lines=lines,
            agreed=when(agreed) if agreed is not None else "",
        )
        await access.reply(update, context, text)
        return
    assert update.effective_user is not None and update.effective_chat is not None
    user = update.effective_user
    session = _restored(s, referral, plan) if plan is not None else None
    if session is not None and session.complete:  # its terms not agreed: it may change
        session.answer(CHANGE.value)  # the change list, saved once an answer is chosen
    if session is None and referral.status != APPROVED:
        text = render("bot/officers/plan_closed.j2", why="not_open", ref=referral.ref)
        await access.reply(update, context, text)
        return
    if session is None:
        defaults = lcspr.plan_defaults(referral)
        session = s.dialogs.plan.start(referral.ref, today=s.today(), defaults=defaults)
        begin_plan(s.db, session, user.id, user.first_name, s.clock())
    await show(context, s, update.effective_chat.id, user, session)


def _changeable(referral: Referral, plan: Plan | None, agreed: dt.datetime | None) -> bool:
    """Whether `/plan` may write or change the plan: while the referral is approved, and once
    it is planned while its terms of reference are not agreed (then they are fixed)."""
    if referral.status == APPROVED:
        return True
    return referral.status == REVIEW_PLANNED and plan is not None and agreed is None


def _restored(s: Services, referral: Referral, plan: Plan) -> PlanSession | None:
    """The stored plan of `referral` as a session (None if it no longer fits the dialog)."""
    defaults = lcspr.plan_defaults(referral)
    try:
        return s.dialogs.plan.restore(
            plan.ref, plan.state, plan.answers, today=s.today(), defaults=defaults
        )
    except DialogStateError:
        return None


def _panel_due(s: Services, referral: Referral, session: PlanSession) -> dt.date | None:
    """The day an LCSPR's report goes to the Panel, once its publication date is planned."""
    published = session.answers.get("publication_date")
    if not lcspr.plan_defaults(referral) or not isinstance(published, str):
        return None
    return lcspr.panel_due(s, dt.date.fromisoformat(published))


class PlanFlow(AwaitedFlow[PlanSession]):
    """The review plan: buttons pressed by officers and chairs (`p:` data), typed answers from
    the officer who reached a text or date question (awaited as `PLAN` in the board group)."""

    kind = InputKind.PLAN
    closed = "bot/officers/plan_closed.j2"

    def reopen(self, s: Services, ref: str) -> PlanSession | None:
        """The plan of `ref` while it is open (started, not complete, and approved or planned
        with its terms not agreed)."""
        session = self._changeable(s, ref)
        return None if session is None or session.complete else session

    def _changeable(self, s: Services, ref: str) -> PlanSession | None:
        """The plan of `ref` (complete or not) while `/plan` may write or change it."""
        referral = referrals.get_referral(s.db, ref)
        plan = plans.get_plan(s.db, ref)
        if referral is None or not _changeable(referral, plan, terms.agreed_at(s.db, ref)):
            return None
        assert plan is not None
        return _restored(s, referral, plan)

    async def show(
        self, context: Context, turn: Turn, session: PlanSession, notes: Sequence[str] = ()
    ) -> None:
        await show(context, services(context), turn.chat_id, turn.user, session, notes)

    async def open(self, context: Context, turn: Turn) -> Opened[PlanSession] | None:
        """A press (its referral checked by `press_plan`) from an officer or a chair, on an open
        plan; a typed answer as every awaited one."""
        query = turn.query
        if query is None:
            return await super().open(context, turn)
        s = services(context)
        if not s.settings.is_officer(turn.user.id):
            detail = "plan button refused: not an officer or chair"
            refusals.record_refusal(s.db, turn.key, turn.user.id, detail, s.clock())
            refused = render("bot/officers/not_officer.j2", command="plan")
            await messaging.answer_query(query, refused, alert=True)
            return None
        session = self._changeable(s, turn.key)
        if session is not None and session.complete and turn.question == CHANGE_STATE:
            session.answer(CHANGE.value)  # a press on the change list `/plan` showed
        if session is None or session.complete:
            closed = render(self.closed, why="not_open", ref=turn.key)
            await messaging.answer_query(query, closed, alert=True)
            return None
        return Opened(session, turn.key)

    async def answered(
        self,
        context: Context,
        turn: Turn,
        opened: Opened[PlanSession],
        step: Step,
        before: Before,
    ) -> None:
        """Record the answer (`services.planning`), then show the plan's next question: a press
        edits its message, a typed answer is followed by a new one."""
        s, session, user = services(context), opened.session, turn.user
        referral = referrals.get_referral(s.db, opened.key)
        assert referral is not None
        due = _panel_due(s, referral, session) if step.complete else None
        now = s.clock()
        panel, all_needed = s.settings.panel_ids, s.settings.panel_all_needed
        sent = record_plan_answer(
            s.db,
            session,
            step,
            user.id,
            user.first_name,
            now,
            panel_due=due,
            panel=panel,
            all_needed=all_needed,
        )
        sent_notes = [_sent(sent)] if sent is not None else []
        if sent is not None:  # the cards go out; older versions' lose their buttons
            sender.kick(context)
            await terms_flow.refresh_cards(context, referral.ref)
        if step.complete:  # the board notice says the new status
            await status_notices.refresh_notice(context, referral.ref)
        if turn.query is None:
            notes = [_answered(step)]
            if step.decision:
                notes.append(render("bot/officers/plan_decision.j2", decision=step.decision))
            if step.redacted:
                notes.append(render("bot/officers/redacted.j2", kinds=step.redacted))
            await self.show(context, turn, session, [*notes, *sent_notes])
            return
        await messaging.answer_query(turn.query)
        shown = turn.query.message
        assert shown is not None
        chat_id, message_id = shown.chat.id, shown.message_id
        prompt = step.prompt
        if not step.moved:  # a toggle: the same question with its ticks updated
            keyboard = _keyboard(referral.ref, prompt)
            await messaging.edit(context, chat_id, message_id, prompt.text, keyboard)
        elif prompt.kind in ("choice", "toggle"):
            notes = [_answered(step), *sent_notes]
            await show(context, s, chat_id, user, session, notes, edit=message_id)
        else:
            answered = f"{before.prompt.text}\n\n{_answered(step)}"  # both HTML already
            await messaging.edit(context, chat_id, message_id, answered)
            await show(context, s, chat_id, user, session, sent_notes)


def _sent(sent: Terms) -> str:
    """The note that a version of the terms went to the panel (HTML)."""
    return render(
        "bot/terms/sent.j2",
        ref=sent.ref,
        version=sent.version,
        count=len(sent.panel),
        all_needed=sent.all_needed,
    )


PLAN_FLOW = PlanFlow()


async def press_plan(update: Update, context: Context) -> None:
    """A `p:` press: checked (who, which plan, the current question), then answered."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    data = keyboards.parse_plan(query.data)
    referral = referrals.get_referral(s.db, data.ref) if data else None
    if (
        data is None
        or referral is None
        or query.message is None
        or not access.in_board_group(s, update)
    ):
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    turn = Turn.pressed(query, data.value, data.question, referral.ref)
    await runner.run(PLAN_FLOW, context, turn)


async def receive_plan_text(update: Update, context: Context) -> None:
    """The awaited officer's typed answer (a reason, a date, the author) to the current question."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    s = services(context)
    user = update.effective_user
    await PLAN_FLOW.take(context, inputs.awaited(s.db, user.id, InputKind.PLAN), message)
