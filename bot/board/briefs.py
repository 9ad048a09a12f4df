"""`/brief REF [AGENCY…]` and `/reach REF`: learning briefs (SPEC §7), written in the board group
and approved by a chair.

The sections come from `dialogs.brief` (`Services.dialogs.brief`), answered through the one
runner (`bot.questionnaire`) as `BriefFlow`; `services.briefs` records each step (the brief's
state and sections in `storage.briefs`), the start, the approval and the sending back, each in
one transaction with its events. Each section is typed in the group by the officer who ran
`/brief` (an awaited input of kind `BRIEF`), through the intake. The written brief goes to each
chair through the outbox with `Approve brief` / `Send back` (`b:<ref>:<version>:ok|back`: a
press counts only on the version being approved; `/brief REF` again takes the buttons off the
old cards at once, and a press on one is refused); approving
queues the brief to its recipients in the same transaction; sending back asks the chair for a
typed reason (an awaited `BRIEF_BACK`, routed from the private chat by
`bot.practitioner.pending`), which the board group is told; `/brief REF` then writes it again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from markupsafe import Markup
from telegram import CallbackQuery, ForceReply, Update, User
from telegram.error import TelegramError

from bot.board import access
from bot.context import Context, Services, Typed, services
from bot.delivery import keyboards, messaging, sender
from bot.questionnaire.awaited import AwaitedFlow
from bot.questionnaire.runner import Before, Opened, Turn
from dialogs import intake, texts
from dialogs.brief import BriefSession
from dialogs.brief_questions import BRIEF
from dialogs.core.prompts import DialogStateError, Step
from services.briefs import (
    approve_brief,
    begin_brief,
    record_brief_section,
    resend_brief_card,
    send_brief_back,
)
from storage import briefs, inputs, outbox, refusals
from storage.inputs import AwaitedInput, InputKind
from storage.lifecycle import DECLINED, UNDECIDED
from storage.outbox import OutboxKind
from templates import labels, render

log = logging.getLogger(__name__)

MAX_REASON = 1000  # the longest reason for sending a brief back


def _agencies(s: Services, named: Sequence[str]) -> tuple[list[str], str | None]:
    """The configured agencies named (as configured), or the first name that is none of them."""
    known = {a.casefold(): a for a in s.settings.agencies}
    chosen: list[str] = []
    for name in named:
        agency = known.get(name.casefold())
        if agency is None:
            return [], name
        if agency not in chosen:
            chosen.append(agency)
    return chosen, None


async def _show(
    context: Context, chat_id: int, user: User, session: BriefSession, notes: Sequence[str] = ()
) -> None:
    """Ask `user` for the brief's current section (or say it went to the chair)."""
    s = services(context)
    prompt = session.current_prompt()
    done = prompt.kind == "done"
    if done:
        inputs.clear(s.db, user.id, InputKind.BRIEF)
    else:
        data = {"question": prompt.id}
        inputs.expect(s.db, user.id, InputKind.BRIEF, session.ref, data, s.clock())
    text = render(
        "bot/briefs/prompt.j2",
        notes=[Markup(n) for n in notes],
        prompt=Markup(prompt.text),
        done=done,
        user_id=user.id,
        person=user.full_name,
    )
    if done:
        await messaging.send(context, chat_id, text)
        return
    markup = ForceReply(selective=True, input_field_placeholder=labels.placeholder("text"))
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def start_brief(update: Update, context: Context) -> None:
    """/brief REF [AGENCY…]: begin (again) the learning brief of a decided referral."""
    s = await access.admit(update, context, "brief")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "brief")
    if referral is None:
        return
    if referral.status in UNDECIDED or referral.status == DECLINED:
        why = "declined" if referral.status == DECLINED else "undecided"
        status = labels.status_label(referral.status)
        await access.reply(
            update,
            context,
            render("bot/briefs/refused.j2", why=why, ref=referral.ref, status=status),
        )
        return
    done = briefs.get_brief(s.db, referral.ref)
    if done is not None and done.status == briefs.APPROVED:  # sent: redoing it would lose reach
        await access.reply(
            update, context, render("bot/briefs/refused.j2", why="approved", ref=referral.ref)
        )
        return
    chosen, unknown = _agencies(s, (context.args or [])[1:])
    if unknown is not None:
        text = render(
            "bot/briefs/refused.j2",
            why="unknown_agency",
            agency=unknown,
            agencies=s.settings.agencies,
        )
        await access.reply(update, context, text)
        return
    assert update.effective_user is not None and update.effective_chat is not None
    user = update.effective_user
    session = s.dialogs.brief.start(referral.ref)
    begin_brief(s.db, session, chosen, user.id, user.first_name, s.clock())
    await _retire_cards(context, referral.ref)
    await _show(context, update.effective_chat.id, user, session)


async def _retire_cards(context: Context, ref: str) -> None:
    """A brief begun again: every card of the version it replaces loses its buttons at once,
    saying it was replaced (a press on one would be refused anyway: the version moved on)."""
    s = services(context)
    brief = briefs.get_brief(s.db, ref)
    old = brief.version - 1 if brief is not None else 0  # the version just replaced
    replaced = render("bot/briefs/decided.j2", outcome="replaced", ref=ref)
    for row in outbox.rows_for(s.db, ref, OutboxKind.BRIEF_CARD):
        if row.sent_message_id is None or row.payload.get("version", old) != old:
            continue  # not sent, or retired with an earlier version
        try:
            await messaging.edit(context, row.chat_id, row.sent_message_id, replaced)
        except TelegramError as exc:  # the version moved on: a press on it is refused anyway
            log.warning("old brief card of %s not updated: %s", ref, type(exc).__name__)


class BriefFlow(AwaitedFlow[BriefSession]):
    """The learning brief: each section typed in the board group by the officer who ran
    `/brief` (awaited as `BRIEF`), recorded by `services.briefs`."""

    kind = InputKind.BRIEF
    closed = "bot/briefs/closed.j2"

    def reopen(self, s: Services, ref: str) -> BriefSession | None:
        """The brief of `ref` while it is being written."""
        brief = briefs.get_brief(s.db, ref)
        if brief is None or brief.status != briefs.DRAFTING:
            return None
        try:
            return s.dialogs.brief.restore(brief.ref, brief.state, dict(brief.sections))
        except DialogStateError:
            return None

    async def show(
        self, context: Context, turn: Turn, session: BriefSession, notes: Sequence[str] = ()
    ) -> None:
        await _show(context, turn.chat_id, turn.user, session, notes)

    async def answered(
        self,
        context: Context,
        turn: Turn,
        opened: Opened[BriefSession],
        step: Step,
        before: Before,
    ) -> None:
        """Record the section; a complete brief goes to the chairs (the dispatcher is kicked)."""
        s, session = services(context), opened.session
        record_brief_section(s.db, session, step, s.settings.chair_user_ids, s.clock())
        notes = [render("bot/briefs/stored.j2", title=BRIEF.by_id[step.question].short)]
        if step.redacted:
            notes.append(render("bot/officers/redacted.j2", kinds=step.redacted))
        if step.complete:
            sender.kick(context)
        await self.show(context, turn, session, notes)


BRIEF_FLOW = BriefFlow()


async def receive_brief_text(update: Update, context: Context) -> None:
    """The awaited officer's typed section of a brief."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    user = update.effective_user
    awaited = inputs.awaited(services(context).db, user.id, InputKind.BRIEF)
    await BRIEF_FLOW.take(context, awaited, message)


async def _tell_board(context: Context, text: str) -> None:
    """Tell the board group how a brief was decided."""
    board = services(context).settings.board_chat_id
    if board is not None:
        await messaging.send(context, board, text)


async def press_brief(update: Update, context: Context) -> None:
    """A chair's `Approve brief` / `Send back`: checked (a chair, the brief awaiting them)."""
    got = await messaging.pressed(update, keyboards.parse_brief)
    if got is None:
        return
    query, data = got
    s = services(context)
    ref, answer = data.ref, data.answer
    user = query.from_user
    if not s.settings.is_chair(user.id):
        refusals.record_refusal(s.db, None, user.id, "brief button refused: not a chair", s.clock())
        await messaging.answer_query(
            query, render("bot/briefs/decided.j2", outcome="not_chair", ref=ref), alert=True
        )
        return
    brief = briefs.get_brief(s.db, ref)
    if brief is not None and data.version != brief.version:  # shown before a rewrite
        await _refuse_old(context, query, brief)
        return
    if brief is None or brief.status != briefs.AWAITING_CHAIR:
        why = "gone" if brief is None else "stale"
        await messaging.answer_query(
            query, render("bot/briefs/decided.j2", outcome=why, ref=ref), alert=True
        )
        return
    if answer == "back":
        card: dict[str, object] = {"version": brief.version}
        if query.message is not None:
            card["message_id"] = query.message.message_id
        inputs.expect(s.db, user.id, InputKind.BRIEF_BACK, ref, card, s.clock())
        await messaging.answer_query(query)
        await context.bot.send_message(user.id, render("bot/briefs/ask_reason.j2", ref=ref))
        return
    count = approve_brief(s.db, ref, brief.version, user.id, user.first_name, s.clock())
    if count is None:
        stale = render("bot/briefs/decided.j2", outcome="stale", ref=ref)
        await messaging.answer_query(query, stale, alert=True)
        return
    sender.kick(context)
    await messaging.answer_query(query)
    chair = labels.phrase("chair", who=user.first_name)
    text = render("bot/briefs/decided.j2", outcome="approved", ref=ref, chair=chair, count=count)
    if query.message is not None:
        await messaging.edit(context, query.message.chat.id, query.message.message_id, text)
    await _tell_board(context, text)


async def _refuse_old(context: Context, query: CallbackQuery, brief: briefs.Brief) -> None:
    """A press on a card of another version than the brief's: refused, and the card loses its
    buttons, saying it was replaced. A card sent before cards named their version gets the
    brief awaiting the chair again as a card of its own (a rewrite's card was queued already)."""
    s = services(context)
    old = render("bot/briefs/decided.j2", outcome="old", ref=brief.ref)
    await messaging.answer_query(query, old, alert=True)
    if query.message is not None:
        replaced = render("bot/briefs/decided.j2", outcome="replaced", ref=brief.ref)
        await messaging.edit(context, query.message.chat.id, query.message.message_id, replaced)
    data = keyboards.parse_brief(query.data or "")
    if data is not None and data.version is None and brief.status == briefs.AWAITING_CHAIR:
        resend_brief_card(s.db, brief.ref, query.from_user.id, s.clock())
        sender.kick(context)


async def receive_reason(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    """The chair's typed reason for sending a brief back (a route of `bot.board.AWAITED`); once
    kept (redacted) the chair's own message leaves the chat."""
    s = services(context)
    chair_id, ref = awaited.user_id, awaited.ref or ""
    try:
        accepted = intake.accept(typed.text, limit=MAX_REASON, multiline=True)
    except intake.Refused as exc:
        text = render("bot/briefs/reason_refused.j2", length=exc.length, limit=exc.limit)
        await context.bot.send_message(chair_id, text)
        return True  # still awaited: the next message is the reason
    inputs.clear(s.db, chair_id, InputKind.BRIEF_BACK)
    shown = awaited.data.get("version")
    version = shown if isinstance(shown, int) else None
    kept = send_brief_back(s.db, ref, version, chair_id, accepted.text, s.clock())
    if not kept:
        await context.bot.send_message(
            chair_id, render("bot/briefs/decided.j2", outcome="stale", ref=ref)
        )
        return True
    if accepted.removed:
        await context.bot.send_message(chair_id, texts.redacted_text(accepted.removed))
    if not await messaging.leave(context, typed):
        await context.bot.send_message(chair_id, render("bot/practitioner/not_deleted.j2"))
    name = typed.first_name or ""
    chair = labels.phrase("chair", who=name)
    text = render(
        "bot/briefs/decided.j2", outcome="sent_back", ref=ref, chair=chair, reason=accepted.text
    )
    card = awaited.data.get("message_id")
    if isinstance(card, int):  # the card's buttons go: it is decided
        await messaging.edit(context, chair_id, card, text)
    else:
        await context.bot.send_message(chair_id, text)
    await _tell_board(context, text)
    return True


async def show_reach(update: Update, context: Context) -> None:
    """/reach REF: how many got the approved brief and how many read it, by agency."""
    s = await access.admit(update, context, "reach")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "reach")
    if referral is None:
        return
    brief = briefs.get_brief(s.db, referral.ref)
    if brief is None or brief.status != briefs.APPROVED:
        status = labels.phrase(f"brief_{brief.status}") if brief is not None else ""
        text = render("bot/briefs/reach.j2", missing=True, ref=referral.ref, status=status)
        await access.reply(update, context, text)
        return
    reach = briefs.reach(s.db, referral.ref)
    text = render(
        "bot/briefs/reach.j2",
        missing=False,
        ref=referral.ref,
        sent=reach.sent,
        read=reach.read,
        rows=reach.by_agency,
    )
    await access.reply(update, context, text)
