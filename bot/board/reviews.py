"""`/reviews` in the board group (SPEC §9, "Where each review stands"): every review in
progress (approved, until closed) by reference, with its grade, its stage, the next date due
and how many working days behind plan it is, as `reports.review_stages` says, counting the
board's working days (`bot.delivery.workdays`, its bank holidays skipped).
"""

from __future__ import annotations

import functools

from telegram import Update

from bot.board import access
from bot.context import Context, Services
from bot.delivery import workdays
from reports import review_stages
from reports.overview import day_words
from reports.review_stages import ReviewStage
from storage import referrals
from templates import labels, render


def working_days(s: Services) -> review_stages.WorkingDays:
    """The board's count of working days (its bank holidays skipped)."""
    return functools.partial(workdays.working_days_between, holidays=s.settings.bank_holidays)


def stage_row(stage: ReviewStage) -> dict[str, object]:
    """One review as `/reviews` shows it."""
    return {
        "ref": stage.ref,
        "grade": labels.grade_label(stage.grade),
        "stage": stage.label,
        "due": day_words(stage.due) if stage.due else "",
        "due_for": labels.review_due_label(stage.due_for) if stage.due_for else "",
        "behind": stage.behind,
        "published": stage.stage is review_stages.Stage.PUBLISHED,
    }


async def show_reviews(update: Update, context: Context) -> None:
    """/reviews: every review in progress, where it stands."""
    s = await access.admit(update, context, "reviews")
    if s is None:
        return
    text = render("bot/officers/reviews.j2", rows=reviews_rows(s), today=day_words(s.today()))
    await access.reply(update, context, text)


def reviews_rows(s: Services) -> list[dict[str, object]]:
    """Every review in progress as `/reviews` lists it, by reference."""
    found = referrals.list_by_status(s.db, review_stages.IN_PROGRESS)
    found.sort(key=lambda r: (r.year, r.seq))
    return [stage_row(st) for st in review_stages.stages(s.db, found, s.today(), working_days(s))]
