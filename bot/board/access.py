"""What every board-group command shares: who may use it, where, and reading its arguments.

Board commands work in the board officers' group (`BOARD_CHAT_ID`) for `OFFICER_USER_IDS` and the
chairs. Anyone else is told politely and the attempt is written to the event log (no referral).
A reference argument is checked for its form (`LIR-YYYY-NNNN`, any case: `storage.references`)
and for existence; a missing or malformed one gets the command's usage line.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import filters

from bot.context import App, Context, Services, services
from bot.delivery import messaging
from dialogs import intake
from services.refusals import refuse_command
from storage import inputs, references, referrals
from storage.inputs import InputKind
from storage.referrals import Referral
from templates import render

# Board commands: sent in a group (not edited: an edited /note must not add a second note).
GROUP_COMMAND = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE


async def reply(
    update: Update, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send `text` to the chat the command came from (split when long)."""
    assert update.effective_chat is not None
    return await messaging.send(context, update.effective_chat.id, text, markup)


def in_board_group(s: Services, update: Update) -> bool:
    """Whether a button press comes from a message in the board group (group buttons count
    only there: the same data forged in a private chat is not valid)."""
    query = update.callback_query
    message = None if query is None else query.message
    return message is not None and message.chat.id == s.settings.board_chat_id


async def admit(update: Update, context: Context, command: str) -> Services | None:
    """The services if this command may run here and for this person; else says why, and None.

    Outside the board group the person is told where board commands work; in it, anyone who is
    neither officer nor chair is told politely the first time in a day, and quietly refused
    after (each message to the group waits behind Telegram's 20 a minute: a stranger's flood
    of commands must not hold up the officers); every attempt is counted.
    """
    assert update.effective_chat is not None and update.effective_user is not None
    s = services(context)
    user_id = update.effective_user.id
    if s.settings.board_chat_id is None or update.effective_chat.id != s.settings.board_chat_id:
        await reply(update, context, render("bot/officers/not_board.j2", command=command))
        return None
    if not s.settings.is_officer(user_id):
        if refuse_command(s.db, user_id, command, s.clock()):
            await reply(update, context, render("bot/officers/not_officer.j2", command=command))
        return None
    return s


def command_text(update: Update, skip: int) -> str:
    """The message text after the command and `skip` more words, spacing kept."""
    assert update.effective_message is not None
    text = update.effective_message.text or ""
    parts = text.split(maxsplit=skip + 1)
    return parts[skip + 1] if len(parts) > skip + 1 else ""


async def usage(
    update: Update, context: Context, command: str, problem: str = "", **details: object
) -> None:
    """Tell the person how the command is used (and what was wrong, if known: a `problem` of
    `bot/officers/usage.j2`, with its `details`)."""
    text = render(
        "bot/officers/usage.j2",
        command=command,
        problem=problem,
        example=references.EXAMPLE,
        **details,
    )
    await reply(update, context, text)


async def referral_arg(
    update: Update, context: Context, s: Services, command: str
) -> Referral | None:
    """The referral named by the command's first argument; else says why, and None."""
    args = context.args or []
    if not args:
        await usage(update, context, command, "missing_ref")
        return None
    if not references.is_reference(args[0]):
        await usage(update, context, command, "bad_ref")
        return None
    referral = referrals.get_referral(s.db, args[0])
    if referral is None:
        await reply(update, context, render("bot/officers/unknown_ref.j2", ref=args[0].upper()))
        return None
    return referral


MAX_TEXT = 2000  # the longest text a group command takes (a note, a question, a finding…)


async def command_words(
    update: Update, context: Context, command: str, skip: int = 1
) -> intake.Accepted | None:
    """The text after the command's first `skip` words, through the one intake; usage when it
    is empty or too long (never cut)."""
    try:
        return intake.accept(command_text(update, skip), limit=MAX_TEXT, multiline=True)
    except intake.Refused as exc:
        problem = "missing_text" if exc.reason == "empty" else "too_long"
        await usage(update, context, command, problem, length=exc.length, limit=exc.limit)
        return None


async def referral_and_words(
    update: Update, context: Context, command: str
) -> tuple[Services, Referral, intake.Accepted] | None:
    """For `/command REF text`: the services, the referral and the text through the one intake,
    once the person may run the command here; else says why, and None."""
    s = await admit(update, context, command)
    if s is None:
        return None
    referral = await referral_arg(update, context, s, command)
    if referral is None:
        return None
    words = await command_words(update, context, command)
    return None if words is None else (s, referral, words)


class AwaitingText(filters.MessageFilter):
    """Passes a board-group message only from someone whose next text is awaited as `kind`
    (a plan's answer, a brief's section)."""

    def __init__(self, app: App, kind: InputKind) -> None:
        super().__init__(name=f"Awaiting{kind.name.title()}Text")
        self._app = app
        self._kind = kind

    def filter(self, message: Message) -> bool:
        s = self._app.bot_data.services
        if message.from_user is None or message.chat.id != s.settings.board_chat_id:
            return False
        return inputs.awaited(s.db, message.from_user.id, self._kind) is not None


def awaited_text(app: App, kind: InputKind) -> filters.BaseFilter:
    """A typed message (not a command) in the board group that answers `kind`."""
    return filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & AwaitingText(app, kind)
