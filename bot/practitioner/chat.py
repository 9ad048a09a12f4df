"""The practitioner's private chat: registration, commands, answers, refusals and filing.

Handlers are thin: they load the conversation from its draft, hand the press or the text to
`dialogs`, and move on with `check` (which saves the draft and shows the next question): a
press edits the check's message into the next question, a typed answer gets a new one.
Anything that is not an answer (attachments, edits, unknown commands or buttons) is refused
with what to do instead, and nothing of it is kept.
"""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.board import access, chair
from bot.context import Context, Services, services
from bot.delivery import keyboards, messaging, sender, workdays
from bot.practitioner import check, pending
from dialogs import texts
from dialogs.practitioner import AnswerRefused, CheckStep, Conversation, Prompt
from dialogs.questions import CHECK
from matrix.model import FILED
from storage import drafts, practitioners, referrals
from storage.referral_record import Clock
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
        loaded = await check.load(context, user_id, tell=False)
        if loaded is not None:  # a code sent mid-check: carry on where they were
            conv, draft_id = loaded
            await check.advance(context, user_id, draft_id, conv, conv, store=False)
            return
    if not refused and practitioners.get_practitioner(s.db, user_id) is None:
        await context.bot.send_message(
            user_id, render("bot/practitioner/welcome.j2", registered=False)
        )
    await check.begin(context, user_id)


async def go_back(update: Update, context: Context) -> None:
    """/back: return to the previous question."""
    assert update.effective_user is not None
    user_id = update.effective_user.id
    loaded = await check.load(context, user_id, tell=False)
    if loaded is None:
        await context.bot.send_message(user_id, render("bot/practitioner/back_nothing.j2"))
        return
    conv, draft_id = loaded
    undo = check.Saved.of(conv)
    try:
        conv.back()
    except AnswerRefused as exc:
        await context.bot.send_message(user_id, exc.reason)
        return
    shown = undo.conversation(services(context))
    await check.advance(context, user_id, draft_id, shown, conv, undo=undo)


async def cancel_check(update: Update, context: Context) -> None:
    """/cancel: discard the draft; nothing is filed."""
    assert update.effective_user is not None
    s = services(context)
    user_id = update.effective_user.id
    stopped = pending.clear(s, user_id)
    if stopped is not None:  # a chair typing a reason or a question: stop only that
        referral = referrals.get_referral(s.db, stopped.ref) if stopped.ref else None
        if referral is not None and referral.is_undecided:
            await chair.refresh_cards(context, referral)  # back to the four buttons
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
    await context.bot.send_message(update.effective_user.id, texts.help_text())


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
    if name in access.COMMANDS:
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
    stops at once), then the check moves on."""
    query = update.callback_query
    assert query is not None and query.data is not None
    user_id = query.from_user.id
    data = keyboards.parse_answer(query.data)
    if data is None or not keyboards.pressed_in_private(query):
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    loaded = await check.load(context, user_id, tell=False)
    if loaded is None or not loaded[1].startswith(data.draft):
        await messaging.answer_query(query, render("bot/practitioner/stale.j2"), alert=True)
        pressed = query.message.message_id if query.message is not None else None
        if pressed is not None and pressed != drafts.prompt_message(services(context).db, user_id):
            await messaging.edit(context, user_id, pressed, None)  # an old check's question
        return
    conv, draft_id = loaded
    before, undo = conv.current_prompt(), check.Saved.of(conv)
    try:
        step = conv.answer(data.value, question=data.question)
    except AnswerRefused as exc:
        await messaging.answer_query(query, exc.reason, alert=True)
        return
    await messaging.answer_query(query)
    shown = query.message if isinstance(query.message, Message) else None
    await after_answer(
        context, user_id, conv, draft_id, before, undo, step, data.value, shown=shown
    )


async def refuse_button(update: Update, context: Context) -> None:
    """A press whose data no handler knows (forged, or from a retired keyboard): refused."""
    query = update.callback_query
    assert query is not None
    await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)


async def receive_text(update: Update, context: Context) -> None:
    """Typed text: a reply someone is waiting for, or the answer to a free-text question."""
    assert update.effective_user is not None and update.message is not None
    user_id = update.effective_user.id
    text = update.message.text or ""
    if await pending.handle(update, context):
        return
    loaded = await check.load(context, user_id)
    if loaded is None:
        return
    conv, draft_id = loaded
    before = conv.current_prompt()
    if before.kind != "text":
        if drafts.prompt_message(services(context).db, user_id) is None:
            await check.show_prompt(context, user_id, conv, draft_id)  # its message was lost
        else:
            await context.bot.send_message(
                user_id, render("bot/practitioner/not_here.j2", kind="buttons")
            )
        return
    undo = check.Saved.of(conv)
    try:
        step = conv.answer(text)
    except AnswerRefused as exc:
        await context.bot.send_message(user_id, exc.reason)
        return
    # What they typed leaves the chat: the answered question shows what is kept in its place.
    deleted = await messaging.delete_typed(context, update.message)
    await after_answer(
        context, user_id, conv, draft_id, before, undo, step, None, typed_deleted=deleted
    )


async def after_answer(
    context: Context,
    user_id: int,
    conv: Conversation,
    draft_id: str,
    before: Prompt,
    undo: check.Saved,
    step: CheckStep,
    value: str | None,
    typed_deleted: bool | None = None,
    shown: Message | None = None,
) -> None:
    """Save and show the next question: a press (`value`) edits the check's message in place;
    after typed text (the answered question says what was redacted), the urgent notice, or
    to and from the summary, the answered question is retired and the next one sent. If
    Telegram fails on the way, the answer is undone (see `check.edit_in_place`, `advance`)."""
    s = services(context)
    if step.finished == "cancel":
        await check.retire_prompt(context, user_id, before.text)
        drafts.delete_draft(s.db, user_id)
        await context.bot.send_message(user_id, texts.cancelled_text())
        return
    if step.finished == "submit":
        await submit(context, user_id, conv, draft_id, before)
        return
    if step.prompt.id == before.id and before.kind == "toggle":  # a toggle: redraw in place
        text = check.redrawn(conv)
        await check.edit_in_place(context, user_id, draft_id, conv, undo, text, shown)
        return
    notes: tuple[str, ...] = ()
    if step.urgent_now:
        notes += (texts.urgent_text(s.settings.urgent_contacts, s.settings.cp_procedures),)
    if typed_deleted is False:
        notes += (render("bot/practitioner/not_deleted.j2"),)
    if value is not None and not notes and check.REVIEW not in (before.id, step.prompt.id):
        question = CHECK.by_id.get(step.question)
        answered = (question.short, step.label) if question is not None else None
        text = check.screen(conv, answered)
        await check.edit_in_place(context, user_id, draft_id, conv, undo, text, shown)
        return
    retired = render(
        "bot/practitioner/answered.j2",
        question=before.text,
        answer=step.label if value != "change" else labels.phrase("changing"),
        replaced=typed_deleted,
    )
    if step.redacted:  # said on the answer it is about, not in a message of its own
        retired = f"{retired}\n\n{texts.redacted_text(step.redacted)}"
    shown_conv = undo.conversation(s)
    await check.advance(
        context,
        user_id,
        draft_id,
        shown_conv,
        conv,
        undo=undo,
        retired_text=retired,
        notes=notes,
    )


def filing_clocks(s: Services, flags: dict[str, bool]) -> list[Clock]:
    """The statutory clocks that start when a referral with `flags` is filed (none in 2013)."""
    today = workdays.board_day(s.clock())
    return workdays.start_clocks(s.matrix.clocks, FILED, today, flags, s.settings.bank_holidays)


async def submit(
    context: Context, user_id: int, conv: Conversation, draft_id: str, before: Prompt
) -> None:
    """File the referral (registered practitioners only) and kick the dispatcher."""
    s = services(context)
    who = practitioners.get_practitioner(s.db, user_id)
    if who is None:
        await context.bot.send_message(user_id, render("bot/practitioner/need_registration.j2"))
        return
    answers = conv.answers
    message_id = drafts.prompt_message(s.db, user_id)  # the draft goes with filing
    referral, _ = referrals.file_referral(
        s.db,
        draft_id=draft_id,
        referrer_id=user_id,
        referrer_agency=who.agency,
        facts=conv.facts(),
        result=conv.result().to_dict(),
        urgent=conv.urgent,
        agencies=list(answers.get("agencies", [])),
        description=str(answers.get("describe", "")),
        case_reference=str(answers.get("reference") or "") or None,
        board_chat_id=s.settings.board_chat_id,
        chair_ids=list(s.settings.decider_ids),
        now=s.clock(),
        profile=s.matrix.profile,
        clocks=filing_clocks(s, conv.result().flags),
    )
    log.info("referral %s filed (grade %s)", referral.ref, referral.grade)
    done = render("bot/practitioner/submitted.j2", ref=referral.ref)
    if message_id is not None:
        await messaging.edit(context, user_id, message_id, f"{before.text}\n\n{done}")
    else:
        await context.bot.send_message(user_id, done)
    sender.kick(context)
