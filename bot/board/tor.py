"""`/tor REF`: the Terms of Reference document of a planned review, sent to the board group.

Sent as two files with `sendDocument`: `ToR-<REF>.html` (to open in a browser or print) with a
caption naming the referral, then `ToR-<REF>.md` (to paste into the Board's own templates).
Refused clearly while the referral has no plan, or its plan is not complete.
"""

from __future__ import annotations

from telegram import Update

from bot.board import access
from bot.context import Context
from reports.tor_document import render_tor
from services import casework
from storage import plans
from templates import render


async def send_tor(update: Update, context: Context) -> None:
    """/tor REF: render the ToR from the plan and send it as files."""
    s = await access.admit(update, context, "tor")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "tor")
    if referral is None:
        return
    plan = plans.get_plan(s.db, referral.ref)
    if plan is None or plan.state != "done":
        text = render("bot/officers/tor_no_plan.j2", ref=referral.ref, started=plan is not None)
        await access.reply(update, context, text)
        return
    document = render_tor(referral, plan, s.today())
    assert update.effective_chat is not None and update.effective_user is not None
    chat_id = update.effective_chat.id
    caption = render("bot/officers/tor_caption.j2", ref=referral.ref)
    await context.bot.send_document(
        chat_id, document.html.encode(), filename=document.html_name, caption=caption
    )
    await context.bot.send_document(
        chat_id, document.markdown.encode(), filename=document.markdown_name
    )
    casework.issue_tor(s.db, referral.ref, update.effective_user.id, s.clock())
