"""`/plan REF`: the review plan of SPEC §5 for an approved referral, run in the board group.

The questions come from `dialogs.plan` (one machine; the plan's state and answers are saved in
`storage.plans` at every step, so a plan carries on after a restart). Choices are inline buttons
with `p:<ref>:<question>:<value>` data, checked on the server: only officers and chairs, only the
current question of an open plan. Free text (a reason, a date, the author) is typed in the group
by the officer who reached that question: an awaited input of kind `PLAN` routes their next text
here, and every other message in the group passes by untouched. A reason for not involving the
family or the staff is logged as a decision; the completed plan moves the referral to
`review_planned`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from markupsafe import Markup
from telegram import ForceReply, InlineKeyboardMarkup, Update, User

from bot.board import access, lcspr
from bot.context import Context, Services, services
from bot.delivery import keyboards, messaging, status_notices
from bot.delivery.reminders import local_today
from dialogs.core.answers import answer_lines
from dialogs.core.prompts import AnswerRefused, DialogStateError, Prompt, Step
from dialogs.plan import PlanDialog, PlanSession
from dialogs.plan_questions import DONE_STATE, PLAN
from storage import events, inputs, plans, referrals, refusals
from storage.db import transaction
from storage.inputs import InputKind
from storage.lifecycle import APPROVED, REVIEW_PLANNED
from storage.plans import Plan
from storage.referrals import Referral
from templates import labels, render


@functools.cache
def plan_dialog(agencies: tuple[str, ...]) -> PlanDialog:
    """The plan dialog for the configured agencies (built once)."""
    return PlanDialog(agencies)


def plan_lines(plan: Plan) -> list[tuple[str, str]]:
    """(item, answer) lines of a stored plan, for `/case` and messages."""
    return answer_lines(PLAN, dict(plan.answers))


def _restore(s: Services, plan: Plan) -> PlanSession | None:
    referral = referrals.get_referral(s.db, plan.ref)
    defaults = lcspr.plan_defaults(referral) if referral is not None else {}
    try:
        return plan_dialog(s.settings.agencies).restore(
            plan.ref, plan.state, plan.answers, today=local_today(s), defaults=defaults
        )
    except DialogStateError:
        return None


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
    typed = prompt.kind in ("text", "date")
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
        placeholder = labels.placeholder("date" if prompt.kind == "date" else "text")
        markup = ForceReply(selective=True, input_field_placeholder=placeholder)
        await context.bot.send_message(chat_id, text, reply_markup=markup)
    elif edit is not None:
        await messaging.edit(context, chat_id, edit, text, _keyboard(session.ref, prompt))
    else:
        await messaging.send(context, chat_id, text, _keyboard(session.ref, prompt))


def _answered(step: Step) -> str:
    """The line that shows an answer just recorded (HTML)."""
    return render(
        "bot/officers/plan_answered.j2", item=PLAN.by_id[step.question].short, label=step.label
    )


async def start_plan(update: Update, context: Context) -> None:
    """/plan REF: begin (or carry on with) the review plan of an approved referral."""
    s = await access.admit(update, context, "plan")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "plan")
    if referral is None:
        return
    plan = plans.get_plan(s.db, referral.ref)
    if referral.status != APPROVED:
        lines = plan_lines(plan) if plan is not None and plan.state == DONE_STATE else []
        text = render(
            "bot/officers/plan_refused.j2",
            ref=referral.ref,
            status=labels.status_label(referral.status),
            lines=lines,
        )
        await access.reply(update, context, text)
        return
    assert update.effective_user is not None and update.effective_chat is not None
    user = update.effective_user
    session = _restore(s, plan) if plan is not None else None
    if session is None:
        defaults = lcspr.plan_defaults(referral)
        session = plan_dialog(s.settings.agencies).start(
            referral.ref, today=local_today(s), defaults=defaults
        )
        with transaction(s.db):
            plans.save_plan(s.db, referral.ref, session.state, session.answers, user.id, s.clock())
            events.append_event(
                s.db,
                referral.ref,
                user.id,
                "plan",
                "review plan started",
                s.clock(),
                actor_name=user.first_name,
            )
    await show(context, s, update.effective_chat.id, user, session)


async def _record(
    context: Context, referral: Referral, session: PlanSession, step: Step, user: User
) -> None:
    """Save the step in one transaction: the plan, a decision, and completion's status move
    (after which the board notice says the new status)."""
    s = services(context)
    now, name = s.clock(), user.first_name
    with transaction(s.db):
        plans.save_plan(s.db, referral.ref, session.state, session.answers, user.id, now)
        if step.decision:
            events.append_event(
                s.db, referral.ref, user.id, "decision", step.decision, now, actor_name=name
            )
        if step.complete:
            summary = "; ".join(f"{short}: {label}" for short, label in session.lines())
            done = f"plan complete: {summary}"
            published = session.answers.get("publication_date")
            if lcspr.plan_defaults(referral) and isinstance(published, str):
                due = lcspr.panel_due(s, dt.date.fromisoformat(published))
                done += f"; report to the Panel and the Secretary of State by {due.isoformat()}"
            events.append_event(s.db, referral.ref, user.id, "plan", done, now, actor_name=name)
            referrals.set_status(
                s.db,
                referral.ref,
                REVIEW_PLANNED,
                user.id,
                "review plan complete",
                now,
                actor_name=name,
            )
    if step.complete:
        await status_notices.refresh_notice(context, referral.ref)


def _open_session(s: Services, ref: str) -> tuple[Referral, PlanSession] | None:
    """The referral and its plan, while the plan is open (approved, started, not complete)."""
    referral = referrals.get_referral(s.db, ref)
    plan = plans.get_plan(s.db, ref)
    if referral is None or plan is None or referral.status != APPROVED:
        return None
    session = _restore(s, plan)
    if session is None or session.complete:
        return None
    return referral, session


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
    user = query.from_user
    if not s.settings.is_officer(user.id):
        detail = "plan button refused: not an officer or chair"
        refusals.record_refusal(s.db, referral.ref, user.id, detail, s.clock())
        await messaging.answer_query(
            query, render("bot/officers/not_officer.j2", command="plan"), alert=True
        )
        return
    opened = _open_session(s, referral.ref)
    if opened is None:
        closed = render("bot/officers/plan_closed.j2", why="not_open", ref=referral.ref)
        await messaging.answer_query(query, closed, alert=True)
        return
    _, session = opened
    before = session.current_prompt()
    try:
        step = session.answer(data.value, question=data.question)
    except AnswerRefused as exc:
        await messaging.answer_query(query, exc.reason, alert=True)
        return
    await _record(context, referral, session, step, user)
    await messaging.answer_query(query)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    prompt = step.prompt
    if not step.moved:  # a toggle: the same question with its ticks updated
        keyboard = _keyboard(referral.ref, prompt)
        await messaging.edit(context, chat_id, message_id, prompt.text, keyboard)
    elif prompt.kind in ("choice", "toggle"):
        await show(context, s, chat_id, user, session, [_answered(step)], edit=message_id)
    else:
        answered = f"{before.text}\n\n{_answered(step)}"  # both HTML already
        await messaging.edit(context, chat_id, message_id, answered)
        await show(context, s, chat_id, user, session)


async def receive_plan_text(update: Update, context: Context) -> None:
    """The awaited officer's typed answer (a reason, a date, the author) to the current question."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    s = services(context)
    user = update.effective_user
    awaited = inputs.awaited(s.db, user.id)
    if awaited is None or awaited.kind != InputKind.PLAN or not awaited.ref:
        return
    opened = _open_session(s, awaited.ref)
    if opened is None:
        inputs.clear(s.db, user.id, InputKind.PLAN)
        closed = render("bot/officers/plan_closed.j2", why="no_longer_open", ref=awaited.ref)
        await access.reply(update, context, closed)
        return
    referral, session = opened
    if session.state != awaited.data.get("question"):
        inputs.clear(s.db, user.id, InputKind.PLAN)
        note = render("bot/officers/plan_closed.j2", why="moved_on", ref=referral.ref)
        await show(context, s, message.chat.id, user, session, [note])
        return
    try:
        step = session.answer(message.text or "")
    except AnswerRefused as exc:
        await access.reply(update, context, f"{exc.reason}\n\n({referral.ref})")
        return
    await _record(context, referral, session, step, user)
    notes = [_answered(step)]
    if step.decision:
        notes.append(render("bot/officers/plan_decision.j2", decision=step.decision))
    if step.redacted:
        notes.append(render("bot/officers/redacted.j2", kinds=step.redacted))
    await show(context, s, message.chat.id, user, session, notes)
