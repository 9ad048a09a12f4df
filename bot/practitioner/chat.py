"""The practitioner's private chat: registration, commands, answers and refusals.

Handlers are thin: a press or a typed answer goes through the one questionnaire runner as a turn
of the check's flow (`check_flow.CHECK_FLOW`: the draft reopened, the answer taken, saved and
shown by `check`); a press edits the check's message into the next question, a typed answer
gets a new one.
Anything that is not an answer (attachments, edits, unknown commands or buttons) is refused
with what to do instead, and nothing of it is kept.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import Context, services
from bot.delivery import keyboards, messaging, sender
from bot.delivery.status_notices import refresh_cards
from bot.practitioner import agency_review, check, check_flow, pending
from bot.questionnaire import runner
from bot.questionnaire.runner import Before, Turn
from dialogs import texts
from dialogs.practitioner import AnswerRefused
from services import review
from storage import drafts, practitioners, referrals
from templates import labels, render

log = logging.getLogger(__name__)


# -- commands ------------------------------------------------------------------------------


async def start_check(update: Update, context: Context) -> None:
    """/start [CODE]: register with an invite code, then begin (or carry on with) a check."""
    assert update.effective_user is not None
    s = services(context)
    user_id = update.effective_user.id
    pending.clear(s, user_id)
    refused = False
    if context.args:
        try:
            who = practitioners.redeem_invite(s.db, context.args[0], user_id, s.clock())
        except practitioners.InviteError as exc:
            refused = True  # the refusal says they can still run a check: no welcome too
            log.warning("an invite code was refused (%s)", exc.reason)
            await context.bot.send_message(
                user_id,
                render("bot/practitioner/invite_refused.j2", reason=exc.reason, agency=exc.agency),
            )
        else:
            await context.bot.send_message(
                user_id, render("bot/practitioner/registered.j2", agency=who.agency, lead=who.lead)
            )
            if who.lead and review.lead_registered(s.db, user_id, s.clock()):
                sender.kick(context)  # the agency reviews their agency is asked for
        loaded = await check.load(context, user_id, tell=False)
        if loaded is not None:  # a code sent mid-check: carry on where they were
            conv, draft_id, shown_on = loaded
            await check.advance(
                context, user_id, draft_id, conv, conv, previous=shown_on, store=False
            )
            return
    if not refused and practitioners.get_practitioner(s.db, user_id) is None:
        await context.bot.send_message(
            user_id, render("bot/practitioner/welcome.j2", registered=False)
        )
    await check.begin(context, user_id)


async def go_back(update: Update, context: Context) -> None:
    """/back: return to the previous question (of the lead's agency review, while one awaits
    their answer; else of the check)."""
    assert update.effective_user is not None
    user_id = update.effective_user.id
    if await agency_review.go_back(context, user_id):
        return
    loaded = await check.load(context, user_id, tell=False)
    if loaded is None:
        await context.bot.send_message(user_id, render("bot/practitioner/back_nothing.j2"))
        return
    conv, draft_id, shown_on = loaded
    before = Before.of(conv)
    try:
        conv.back()
    except AnswerRefused as exc:
        await context.bot.send_message(user_id, exc.reason)
        return
    shown = check.as_it_was(services(context), before)
    await check.advance(context, user_id, draft_id, shown, conv, previous=shown_on, before=before)


async def cancel_check(update: Update, context: Context) -> None:
    """/cancel: discard the draft; nothing is filed."""
    assert update.effective_user is not None
    s = services(context)
    user_id = update.effective_user.id
    stopped = pending.clear(s, user_id)
    if stopped is not None:  # a chair typing a reason or a question: stop only that
        referral = referrals.get_referral(s.db, stopped.ref) if stopped.ref else None
        if referral is not None and referral.is_undecided:
            await refresh_cards(context, referral)  # back to the four buttons
        await context.bot.send_message(
            user_id, render("bot/chair/stopped.j2", kind=stopped.kind, ref=stopped.ref)
        )
        return
    await check.retire_prompt(context, user_id)
    drafts.delete_draft(s.db, user_id)
    await context.bot.send_message(user_id, texts.cancelled_text())


async def show_help(update: Update, context: Context) -> None:
    """/help: how the check works."""
    assert update.effective_user is not None
    terms = services(context).matrix.terms
    await context.bot.send_message(update.effective_user.id, texts.help_text(terms))


async def show_privacy(update: Update, context: Context) -> None:
    """/privacy: what is stored and what is removed."""
    assert update.effective_user is not None
    await context.bot.send_message(
        update.effective_user.id, texts.privacy_text(services(context).settings.draft_ttl_hours)
    )


async def unknown_command(update: Update, context: Context) -> None:
    """Any other command: a board command is said to work in the board group; else, which
    commands exist here."""
    assert update.effective_user is not None and update.message is not None
    word = (update.message.text or "").split(maxsplit=1)[0][1:]
    name = word.split("@", 1)[0].lower()
    if name in labels.board_commands():
        text = render("bot/officers/not_board.j2", command=name)
    else:
        text = render("bot/practitioner/not_here.j2", kind="command")
    await context.bot.send_message(update.effective_user.id, text)


async def refuse_edit(update: Update, context: Context) -> None:
    """An edited message: edits are not read."""
    assert update.effective_user is not None
    await context.bot.send_message(
        update.effective_user.id, render("bot/practitioner/not_here.j2", kind="edited")
    )


async def refuse_attachment(update: Update, context: Context) -> None:
    """A photo, file, voice note, sticker, location…: refused, nothing kept (not even read)."""
    assert update.effective_user is not None
    user_id = update.effective_user.id
    if pending.awaits_text(services(context), user_id):
        expected = "text"  # a chair's reason or question
    else:
        loaded = await check.load(context, user_id, tell=False)
        prompt = loaded[0].current_prompt() if loaded is not None else None
        if prompt is None:
            expected = "nothing"
        elif prompt.kind == "text":
            expected = "text_or_skip" if prompt.options else "text"
        else:
            expected = "buttons"
    await context.bot.send_message(
        user_id, render("bot/practitioner/not_here.j2", kind="attachment", expected=expected)
    )


# -- answers ---------------------------------------------------------------------------------


async def press_answer(update: Update, context: Context) -> None:
    """A button on a question: checked against the current draft, answered (so the spinner
    stops at once), then the check moves on (`check_flow.CHECK_FLOW`)."""
    got = await messaging.pressed(update, keyboards.parse_answer, keyboards.pressed_in_private)
    if got is None:
        return
    query, data = got
    turn = Turn.pressed(query, data.value, data.question, data.draft)
    await runner.run(check_flow.CHECK_FLOW, context, turn)


async def refuse_button(update: Update, context: Context) -> None:
    """A press whose data no handler knows (forged, or from a retired keyboard): refused."""
    query = update.callback_query
    assert query is not None
    await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)


async def receive_text(update: Update, context: Context) -> None:
    """Typed text: a reply someone is waiting for, or the answer to a free-text question."""
    assert update.effective_user is not None and update.message is not None
    if await pending.handle(update, context):
        return
    turn = Turn.typed(update.message, update.effective_user)
    await runner.run(check_flow.CHECK_FLOW, context, turn)
