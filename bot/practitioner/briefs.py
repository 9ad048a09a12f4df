"""A practitioner's side of learning briefs (SPEC §7): `/briefs on|off` in the private chat, the
`Read it` button (`r:<ref>`) on a brief, counted once per person, and only from a person the
brief was delivered to, pressed in their own private chat (`services.briefs.read_brief`);
anyone else is told why in an alert and nothing is counted. `Get the document` (`d:<ref>`)
sends that person the brief as a file (uploaded to Telegram once, then sent by its id), under
the same checks, and counts as their reading it: a brief is one message, its document only on
request."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.context import Context, Services, services
from bot.delivery import documents, keyboards, messaging
from bot.delivery.brief_texts import brief_texts
from bot.serving.limits import DIRECT_RETRIES
from services.briefs import read_brief
from storage import briefs, referrals
from templates import render


async def set_briefs(update: Update, context: Context) -> None:
    """/briefs on|off: take learning briefs, or stop them."""
    assert update.effective_user is not None and update.effective_message is not None
    s = services(context)
    args = [a.casefold() for a in context.args or []]
    if args not in (["on"], ["off"]):
        outcome = "usage"
    elif briefs.set_briefs_off(s.db, update.effective_user.id, args[0] == "off"):
        outcome = args[0]
    else:
        outcome = "unregistered"
    await update.effective_message.reply_text(render("bot/briefs/optout.j2", outcome=outcome))


async def _pressed_brief(query: CallbackQuery, s: Services) -> briefs.Brief | None:
    """The approved brief a `Read it` / `Get the document` press names, or None once the
    presser was told why not: a brief that is gone, a press outside their private chat."""
    assert query.data is not None
    ref = keyboards.parse_read(query.data)
    brief = briefs.get_brief(s.db, ref) if ref else None
    if ref is None or brief is None or brief.status != briefs.APPROVED:
        await messaging.answer_query(query, render("bot/briefs/read.j2", outcome="gone"), True)
        return None
    if not keyboards.pressed_in_private(query):
        await messaging.answer_query(query, render("bot/briefs/read.j2", outcome="not_here"), True)
        return None
    return brief


async def press_read(update: Update, context: Context) -> None:
    """`Read it` on a brief: counted once per person it was sent to; a brief that is gone, a
    press outside the presser's private chat or by one it was not sent to is said so."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    brief = await _pressed_brief(query, s)
    if brief is None:
        return
    outcome = read_brief(s.db, brief.ref, query.from_user.id, s.clock())
    alert = outcome == "not_sent"
    await messaging.answer_query(query, render("bot/briefs/read.j2", outcome=outcome), alert)


async def press_document(update: Update, context: Context) -> None:
    """`Get the document` on a brief: the brief as a file to the person it was sent to (in
    their private chat), their reading counted; anyone else is told why, and nothing is sent."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    brief = await _pressed_brief(query, s)
    if brief is None:
        return
    ref = brief.ref
    referral = referrals.get_referral(s.db, ref)
    if referral is None:
        await messaging.answer_query(query, render("bot/briefs/read.j2", outcome="gone"), True)
        return
    outcome = read_brief(s.db, ref, query.from_user.id, s.clock())
    if outcome == "not_sent":
        await messaging.answer_query(query, render("bot/briefs/read.j2", outcome=outcome), True)
        return
    await messaging.answer_query(query, render("bot/briefs/document.j2"))
    texts = brief_texts(brief, bool(referral.facts.get("good_practice")), referral.profile)
    caption = render("bot/briefs/caption.j2", ref=ref)
    await documents.send_document(
        context.bot,
        s.dispatch.documents,
        query.from_user.id,
        texts.filename,
        texts.html.encode(),
        caption,
        DIRECT_RETRIES,
    )
