"""A practitioner's check as stored and as shown: the draft, and the one live question.

The draft (state and answers) lives in SQLite; the message of the question last sent is the
one live question, with buttons. `advance` moves from one question to the next so that a
failure of Telegram on the way leaves the draft and the screen as they were.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError

from bot.context import Context, Services, services
from bot.delivery import keyboards, messaging
from dialogs import texts
from dialogs.practitioner import Conversation, DialogStateError, Prompt
from storage import drafts
from templates import render

log = logging.getLogger(__name__)


async def load(
    context: Context, user_id: int, tell: bool = True
) -> tuple[Conversation, str] | None:
    """The user's conversation and draft id; tells them when it expired or is missing."""
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
        return s.dialog.restore(draft.state, dict(draft.answers)), draft.draft_id
    except DialogStateError:
        log.warning("draft of a user could not be restored; discarded")
        drafts.delete_draft(s.db, user_id)
        await context.bot.send_message(user_id, render("bot/practitioner/no_check.j2"))
        return None


def save(s: Services, user_id: int, conv: Conversation) -> str:
    """Save the conversation as the user's draft (one transaction); returns the draft id."""
    return drafts.save_draft(
        s.db, user_id, conv.state, conv.answers, conv.urgent, s.clock()
    ).draft_id


async def show_prompt(context: Context, user_id: int, prompt: Prompt, draft_id: str) -> None:
    """Send the question and remember its message, so it can be edited once answered."""
    s = services(context)
    message = await messaging.send(
        context, user_id, prompt.text, keyboards.prompt_keyboard(prompt, draft_id)
    )
    drafts.set_prompt_message(s.db, user_id, message.message_id)


@dataclass(frozen=True)
class Saved:
    """A conversation as it was stored before an answer, to put back if the answer is lost."""

    state: str
    answers: dict[str, Any]
    urgent: bool

    @classmethod
    def of(cls, conv: Conversation) -> Saved:
        """The stored form of `conv` now."""
        return cls(conv.state, conv.answers, conv.urgent)

    def restore(self, s: Services, user_id: int) -> None:
        """Store the draft as it was (its id and prompt message are kept)."""
        drafts.save_draft(s.db, user_id, self.state, self.answers, self.urgent, s.clock())


async def advance(
    context: Context,
    user_id: int,
    draft_id: str,
    shown: Prompt,
    nxt: Prompt,
    conv: Conversation | None,
    *,
    undo: Saved | None = None,
    retired_text: str | None = None,
    notes: tuple[str, ...] = (),
) -> None:
    """Save `conv` (when given), retire the live question `shown` (showing `retired_text` on
    it), then send `notes` and the next question `nxt`.

    If Telegram fails before `nxt` is delivered, the draft is put back as it was (`undo`) and
    `shown` gets its buttons back, so the person (told to try again by `bot.app.report_error`)
    can simply answer again: nothing is lost and nothing is half done.
    """
    s = services(context)
    previous = drafts.prompt_message(s.db, user_id)
    if conv is not None:
        save(s, user_id, conv)
    try:
        if previous is not None:
            await messaging.edit(context, user_id, previous, retired_text)
        for note in notes:
            await context.bot.send_message(user_id, note)
        message = await messaging.send(
            context, user_id, nxt.text, keyboards.prompt_keyboard(nxt, draft_id)
        )
    except TelegramError:
        if undo is not None:
            undo.restore(s, user_id)
        if previous is not None:
            await put_back(context, user_id, previous, shown, draft_id)
        raise
    drafts.set_prompt_message(s.db, user_id, message.message_id)


async def put_back(
    context: Context, user_id: int, message_id: int, prompt: Prompt, draft_id: str
) -> None:
    """Show `prompt` with its buttons again on its message; if even that fails, forget the
    message so that the person's next message shows the question afresh (`receive_text`)."""
    try:
        markup = keyboards.prompt_keyboard(prompt, draft_id)
        await messaging.edit(context, user_id, message_id, prompt.text, markup)
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
    conv = s.dialog.start()
    draft_id = save(s, user_id, conv)
    await show_prompt(context, user_id, conv.current_prompt(), draft_id)
