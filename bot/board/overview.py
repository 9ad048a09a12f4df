"""The review's documents in the board group (SPEC §9): `/chronology REF` (the multi-agency
chronology as HTML, then CSV) and `/overview REF` (the draft overview report for the
sub-group as a Word document to edit, then HTML).

Officers and chairs in the board group only (`access.admit`). Refused clearly, naming what is
awaited, while the review has no complete plan or no agency review is in yet. Each document
sent is logged with who asked for it (`services.review_documents`). The documents are
`reports.chronology` and `reports.overview`.
"""

from __future__ import annotations

from telegram import Update

from bot.board import access
from bot.context import Context, Services
from reports.chronology import build_chronology
from reports.overview import NotReady, assemble, day_words
from services import review_documents
from storage import agency_reviews, plans
from storage.referrals import Referral
from templates import render


async def _not_ready(
    update: Update, context: Context, s: Services, refused: NotReady, document: str
) -> None:
    """Say why there is no document yet, naming the agency reviews awaited."""
    plan = plans.get_plan(s.db, refused.ref)
    dues = {r.due for r in agency_reviews.for_review(s.db, refused.ref)}
    text = render(
        "bot/officers/review_not_ready.j2",
        ref=refused.ref,
        document=document,
        reason=refused.reason,
        started=plan is not None,
        awaited=list(refused.awaited),
        due=day_words(dues.pop()) if len(dues) == 1 else "",
    )
    await access.reply(update, context, text)


async def _admitted(
    update: Update, context: Context, command: str
) -> tuple[Services, Referral] | None:
    s = await access.admit(update, context, command)
    if s is None:
        return None
    referral = await access.referral_arg(update, context, s, command)
    return None if referral is None else (s, referral)


async def send_chronology(update: Update, context: Context) -> None:
    """/chronology REF: every submitted chronology entry in date order, as HTML and CSV."""
    given = await _admitted(update, context, "chronology")
    if given is None:
        return
    s, referral = given
    try:
        document = build_chronology(s.db, referral.ref, s.today())
    except NotReady as refused:
        await _not_ready(update, context, s, refused, "chronology")
        return
    assert update.effective_chat is not None and update.effective_user is not None
    caption = render(
        "bot/officers/chronology_caption.j2",
        ref=referral.ref,
        entries=document.entries,
        agencies=document.agencies,
        awaited=document.awaited,
    )
    chat_id = update.effective_chat.id
    await context.bot.send_document(
        chat_id, document.html.encode(), filename=document.html_name, caption=caption
    )
    await context.bot.send_document(chat_id, document.csv.encode(), filename=document.csv_name)
    user = update.effective_user
    review_documents.chronology_sent(
        s.db, referral.ref, user.id, document.entries, s.clock(), actor_name=user.first_name
    )


async def send_overview(update: Update, context: Context) -> None:
    """/overview REF: the draft overview report, as a Word document and as HTML."""
    given = await _admitted(update, context, "overview")
    if given is None:
        return
    s, referral = given
    try:
        document = assemble(s.db, referral.ref, s.today())
    except NotReady as refused:
        await _not_ready(update, context, s, refused, "overview")
        return
    assert update.effective_chat is not None and update.effective_user is not None
    caption = render("bot/officers/overview_caption.j2", ref=referral.ref, awaited=document.awaited)
    chat_id = update.effective_chat.id
    await context.bot.send_document(
        chat_id, document.docx, filename=document.docx_name, caption=caption
    )
    await context.bot.send_document(chat_id, document.html.encode(), filename=document.html_name)
    user = update.effective_user
    review_documents.overview_sent(
        s.db, referral.ref, user.id, document.awaited, s.clock(), actor_name=user.first_name
    )
