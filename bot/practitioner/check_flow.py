"""The practitioner's check as a flow of the one runner (`bot.questionnaire`): `CHECK_FLOW`.

A press (`a:` data naming the draft) or a typed text in the private chat reopens the draft
(`check.load`: an expired or missing one is said so); a press from an older check is refused
and its buttons retired, and a text while the question wants buttons is told so. An accepted
answer is saved and shown by `check`: a press edits the check's message into the next question
in place (one request); after typed text (the answered question says what was redacted, and
what was typed leaves the chat), the urgent notice, or to and from the summary, the answered
question is retired and the next one sent. If Telegram fails on the way the answer is undone.
Submit files the referral (`services.filing`); Cancel discards the draft.
"""

from __future__ import annotations

import logging

from bot.context import Context, Services, services
from bot.delivery import messaging, sender, workdays
from bot.practitioner import check
from bot.questionnaire.runner import Before, Flow, Opened, Turn
from dialogs import texts
from dialogs.practitioner import CheckStep, Conversation, Prompt, Step
from dialogs.questions import CHECK
from matrix.model import FILED
from services.filing import file_check
from storage import drafts
from storage.referral_record import Clock
from templates import labels, render

log = logging.getLogger(__name__)


REMINDED = "reminded"  # chat_data: the (draft, question) a stray text was reminded at


class CheckFlow(Flow[Conversation]):
    """The check in the private chat: its session is the person's draft (kept by draft id)."""

    async def open(self, context: Context, turn: Turn) -> Opened[Conversation] | None:
        user_id = turn.user.id
        loaded = await check.load(context, user_id, tell=turn.query is None)
        if turn.query is None:
            return None if loaded is None else Opened(*loaded)
        if loaded is None or not loaded.draft_id.startswith(turn.key):
            stale = render("bot/practitioner/stale.j2")
            await messaging.answer_query(turn.query, stale, alert=True)
            pressed = turn.query.message.message_id if turn.query.message is not None else None
            live = None if loaded is None else loaded.message_id
            if pressed is not None and pressed != live:
                await messaging.edit(context, user_id, pressed, None)  # an old check's question
            return None
        return Opened(*loaded)

    async def at_step(self, context: Context, turn: Turn, opened: Opened[Conversation]) -> bool:
        """A press is checked by the session (its button's question); a text only answers a
        question that wants text."""
        reminded = context.chat_data if context.chat_data is not None else {}
        if turn.query is not None:
            reminded.pop(REMINDED, None)  # a press: the next stray text is reminded again
            return True
        if opened.session.current_prompt().kind == "text":
            return True
        user_id = turn.user.id
        if opened.message_id is None:
            await check.show_prompt(context, user_id, opened.session, opened.key)  # lost
        elif reminded.get(REMINDED) != (opened.key, opened.session.state):
            # One reminder a burst of texts, until they press something (this chat only).
            reminded[REMINDED] = (opened.key, opened.session.state)
            buttons = render("bot/practitioner/not_here.j2", kind="buttons")
            await context.bot.send_message(user_id, buttons)
        return False

    async def answered(
        self,
        context: Context,
        turn: Turn,
        opened: Opened[Conversation],
        step: Step,
        before: Before,
    ) -> None:
        assert isinstance(step, CheckStep)
        if turn.query is not None:
            await messaging.answer_query(turn.query)
            await show_next(context, turn.user.id, opened, before, step, turn.value, turn)
            return
        # What they typed leaves the chat: the answered question shows what is kept in its place.
        assert turn.message is not None
        deleted = await messaging.delete_typed(context, turn.message)
        await show_next(context, turn.user.id, opened, before, step, None, turn, deleted)


CHECK_FLOW = CheckFlow()


async def show_next(
    context: Context,
    user_id: int,
    opened: Opened[Conversation],
    before: Before,
    step: CheckStep,
    value: str | None,
    turn: Turn,
    typed_deleted: bool | None = None,
) -> None:
    """Save and show the next question: a press (`value`) edits the check's message in place;
    after typed text, the urgent notice, or to and from the summary, the answered question is
    retired and the next one sent (see `check.edit_in_place`, `check.advance`)."""
    s = services(context)
    conv, draft_id, message_id = opened.session, opened.key, opened.message_id
    asked = before.prompt
    if step.finished == "cancel":
        await check.retire_prompt(context, user_id, asked.text)
        drafts.delete_draft(s.db, user_id)
        await context.bot.send_message(user_id, texts.cancelled_text())
        return
    if step.finished == "submit":
        await submit(context, user_id, conv, draft_id, asked, message_id)
        return
    if step.prompt.id == asked.id and asked.kind == "toggle":  # a toggle: redraw in place
        text = check.redrawn(conv)
        await check.edit_in_place(
            context, user_id, draft_id, conv, before, text, turn.shown, message_id=message_id
        )
        return
    notes: tuple[str, ...] = ()
    if step.urgent_now:
        notes += (texts.urgent_text(s.settings.urgent_contacts, s.settings.cp_procedures),)
    if typed_deleted is False:
        notes += (render("bot/practitioner/not_deleted.j2"),)
    if value is not None and not notes and check.REVIEW not in (asked.id, step.prompt.id):
        question = CHECK.by_id.get(step.question)
        answered = (question.short, step.label) if question is not None else None
        text = check.screen(conv, answered)
        await check.edit_in_place(
            context, user_id, draft_id, conv, before, text, turn.shown, message_id=message_id
        )
        return
    retired = render(
        "bot/practitioner/answered.j2",
        question=asked.text,
        answer=step.label if value != "change" else labels.phrase("changing"),
        replaced=typed_deleted,
    )
    if step.redacted:  # said on the answer it is about, not in a message of its own
        retired = f"{retired}\n\n{texts.redacted_text(step.redacted)}"
    shown = check.as_it_was(s, before)
    await check.advance(
        context,
        user_id,
        draft_id,
        shown,
        conv,
        previous=message_id,
        before=before,
        retired_text=retired,
        notes=notes,
    )


def filing_clocks(s: Services, flags: dict[str, bool]) -> list[Clock]:
    """The statutory clocks that start when a referral with `flags` is filed (none in 2013)."""
    today = workdays.board_day(s.clock())
    return workdays.start_clocks(s.matrix.clocks, FILED, today, flags, s.settings.bank_holidays)


async def submit(
    context: Context,
    user_id: int,
    conv: Conversation,
    draft_id: str,
    before: Prompt,
    message_id: int | None,
) -> None:
    """File the referral (registered practitioners only), show the receipt on the summary's
    message (`message_id`, as the draft was loaded: the draft goes with filing) and kick the
    dispatcher."""
    s = services(context)
    referral = file_check(
        s.db,
        conv,
        draft_id=draft_id,
        referrer_id=user_id,
        board_chat_id=s.settings.board_chat_id,
        chair_ids=s.settings.decider_ids,
        profile=s.matrix.profile,
        clocks=filing_clocks(s, conv.result().flags),
        now=s.clock(),
    )
    if referral is None:
        await context.bot.send_message(user_id, render("bot/practitioner/need_registration.j2"))
        return
    log.info("referral %s filed (grade %s)", referral.ref, referral.grade)
    done = render("bot/practitioner/submitted.j2", ref=referral.ref)
    if message_id is not None:
        await messaging.edit(context, user_id, message_id, f"{before.text}\n\n{done}")
    else:
        await context.bot.send_message(user_id, done)
    sender.kick(context)
