"""A practitioner's check as stored and as shown: the draft, and the one live question.

The draft (state and answers) lives in SQLite; the check lives in one message with buttons,
the live question. A press edits that message into the next question (`edit_in_place`), with
the answer just given and the progress on top (`screen`): one request per answer. A new
message (`advance`) only where Telegram needs one: after the person typed (an answer or
/back; the answered question then says what was redacted), after the urgent notice, and to
and from the summary. Either way a
failure of Telegram on the way leaves the draft and the screen as they were.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from telegram import Message
from telegram.error import TelegramError

from bot.context import Context, Services, services
from bot.delivery import keyboards, messaging
from bot.questionnaire.runner import Before
from dialogs import texts
from dialogs.practitioner import Conversation, DialogStateError
from dialogs.questions import CHECK
from storage import drafts
from templates import render

log = logging.getLogger(__name__)

REVIEW = CHECK.review.id if CHECK.review is not None else ""


class Loaded(NamedTuple):
    """A draft reopened: its conversation, its id, and the message of its live question (None
    when none is shown), read once for the whole update."""

    conv: Conversation
    draft_id: str
    message_id: int | None


async def load(context: Context, user_id: int, tell: bool = True) -> Loaded | None:
    """The user's conversation, draft id and live question's message; tells them when the
    draft expired or is missing."""
    s = services(context)
    try:
        draft = drafts.load_draft(s.db, user_id, s.clock(), s.settings.draft_ttl_hours)
    except drafts.DraftExpired:
        await context.bot.send_message(user_id, texts.expired_text(s.settings.draft_ttl_hours))
        return None
    if draft is None:
        if tell:
            await context.bot.send_message(user_id, render("bot/practitioner/no_check.j2"))
        return None
    try:
        conv = s.dialogs.check.restore(draft.state, dict(draft.answers))
    except DialogStateError:
        log.warning("draft of a user could not be restored; discarded")
        drafts.delete_draft(s.db, user_id)
        await context.bot.send_message(user_id, render("bot/practitioner/no_check.j2"))
        return None
    return Loaded(conv, draft.draft_id, draft.prompt_message_id)


def save(s: Services, user_id: int, conv: Conversation) -> str:
    """Save the conversation as the user's draft (one transaction); returns the draft id."""
    return drafts.save_draft(
        s.db, user_id, conv.state, conv.answers, conv.urgent, s.clock()
    ).draft_id


def screen(conv: Conversation, answered: tuple[str, str] | None = None) -> str:
    """The check's message for the current question: `answered` (short name, label) and the
    progress ("Question 6 of about 17") on top of the question."""
    return render(
        "bot/practitioner/question.j2",
        question=conv.current_prompt().text,
        answered=answered,
        place=conv.progress(),
    )


def redrawn(conv: Conversation) -> str:
    """The screen of the current question as a press leaves it (the answer before it on top)."""
    return screen(conv, conv.last_answer())


async def show_prompt(
    context: Context, user_id: int, conv: Conversation, draft_id: str, text: str | None = None
) -> None:
    """Send the current question (`text`, else its screen) as a new message and remember it,
    so that presses edit it."""
    s = services(context)
    markup = keyboards.prompt_keyboard(conv.current_prompt(), draft_id)
    message = await messaging.send(context, user_id, text or screen(conv), markup)
    drafts.set_prompt_message(s.db, user_id, message.message_id)


def as_it_was(s: Services, before: Before) -> Conversation:
    """The conversation as it was before an answer."""
    return s.dialogs.check.restore(before.state, dict(before.answers))


def undo(s: Services, user_id: int, before: Before) -> None:
    """Store the draft as it was before an answer (its id and prompt message are kept)."""
    urgent = as_it_was(s, before).urgent
    drafts.save_draft(s.db, user_id, before.state, before.answers, urgent, s.clock())


async def edit_in_place(
    context: Context,
    user_id: int,
    draft_id: str,
    conv: Conversation,
    before: Before,
    text: str,
    shown: Message | None = None,
    *,
    message_id: int | None,
) -> None:
    """Save `conv` and edit the live question's message (`message_id`, as the draft was
    loaded) into `text` with the current question's buttons: one request. Nothing is sent when
    `shown` (the message as pressed) already reads so; if there is no message or it is gone,
    the question is sent anew. If Telegram fails, the draft is put back as it was (`before`):
    the message still shows the question answered, with its buttons, so the person (told to
    try again) simply answers again."""
    s = services(context)
    save(s, user_id, conv)
    markup = keyboards.prompt_keyboard(conv.current_prompt(), draft_id)
    try:
        if message_id is None:
            await show_prompt(context, user_id, conv, draft_id, text)
        elif not messaging.shows(shown, text, markup) and not await messaging.edit(
            context, user_id, message_id, text, markup
        ):
            await show_prompt(context, user_id, conv, draft_id, text)  # deleted by its reader
    except TelegramError:
        undo(s, user_id, before)
        raise


async def advance(
    context: Context,
    user_id: int,
    draft_id: str,
    shown: Conversation,
    conv: Conversation,
    *,
    previous: int | None,
    store: bool = True,
    before: Before | None = None,
    retired_text: str | None = None,
    notes: tuple[str, ...] = (),
) -> None:
    """Save `conv` (when `store`), retire the live question (message `previous`, as the draft
    was loaded, showing `retired_text` on it), then send `notes` and the current question of
    `conv` as a new message.

    If Telegram fails before the question is delivered, the draft is put back as it was
    (`before`) and the live question (that of `shown`) gets its buttons back, so the person (told
    to try again by `bot.app.report_error`) can simply answer again: nothing is lost and
    nothing is half done.
    """
    s = services(context)
    if store:
        save(s, user_id, conv)
    try:
        if previous is not None:
            await messaging.edit(context, user_id, previous, retired_text)
        for note in notes:
            await context.bot.send_message(user_id, note)
        markup = keyboards.prompt_keyboard(conv.current_prompt(), draft_id)
        message = await messaging.send(context, user_id, screen(conv), markup)
    except TelegramError:
        if before is not None:
            undo(s, user_id, before)
        if previous is not None:
            await put_back(context, user_id, previous, shown, draft_id)
        raise
    drafts.set_prompt_message(s.db, user_id, message.message_id)


async def put_back(
    context: Context, user_id: int, message_id: int, shown: Conversation, draft_id: str
) -> None:
    """Show the current question of `shown` with its buttons again on its message; if even
    that fails, forget the message so that the person's next message shows the question
    afresh (`receive_text`)."""
    try:
        markup = keyboards.prompt_keyboard(shown.current_prompt(), draft_id)
        await messaging.edit(context, user_id, message_id, redrawn(shown), markup)
    except TelegramError:
        drafts.set_prompt_message(services(context).db, user_id, None)


async def retire_prompt(context: Context, user_id: int, text: str | None = None) -> None:
    """Take the buttons off the last question sent (and show `text` on it, if given)."""
    s = services(context)
    message_id = drafts.prompt_message(s.db, user_id)
    if message_id is not None:
        await messaging.edit(context, user_id, message_id, text)


async def begin(context: Context, user_id: int) -> None:
    """Start a new check from the first question, discarding any earlier draft."""
    s = services(context)
    await retire_prompt(context, user_id)
    drafts.delete_draft(s.db, user_id)
    conv = s.dialogs.check.start()
    draft_id = save(s, user_id, conv)
    await show_prompt(context, user_id, conv, draft_id)
