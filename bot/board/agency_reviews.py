"""`/iars REF`: where each individual agency review of a review stands (SPEC §9), in the group.

For each agency the plan asked for an agency review: asked on (or "no lead yet" while it has
no lead to ask), started (by whom), submitted on (on time or late), or overdue by N working
days. Before the terms are agreed nothing has been asked: the officer is told so, with the
agencies the plan names.
"""

from __future__ import annotations

from telegram import Update

from bot.board import access
from bot.context import Context, Services
from bot.delivery.agency_review_texts import standing
from storage import agency_reviews, plans, terms
from storage.referrals import Referral
from templates import render


async def show_iars(update: Update, context: Context) -> None:
    """/iars REF: each agency review of the referral and its state."""
    s = await access.admit(update, context, "iars")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "iars")
    if referral is None:
        return
    await access.reply(update, context, iars_text(s, referral))


def iars_text(s: Services, referral: Referral) -> str:
    """What `/iars` says of one referral: each of its agency reviews, read by its key."""
    plan = plans.get_plan(s.db, referral.ref)
    named = plan.answers.get("iar_agencies") if plan is not None else None
    today = s.today()
    found = agency_reviews.for_review(s.db, referral.ref)
    return render(
        "bot/agency_review/iars.j2",
        ref=referral.ref,
        reviews=[standing(s, review, today) for review in found],
        named=list(named) if isinstance(named, list) else [],
        agreed=terms.agreed_at(s.db, referral.ref) is not None,
    )
