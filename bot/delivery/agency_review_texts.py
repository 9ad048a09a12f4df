"""What the individual agency reviews' messages say (SPEC §9), rendered from storage at send time.

To each lead of an agency asked (`ask`, the renderer of `AGENCY_REVIEW_ASK`): the reference,
the period under review, the key lines of enquiry and the due date, with `Start the agency
review`, then the Terms of Reference as a document (as the panel's terms card sends it). To
the board group: the agencies that have no lead to ask, with how to invite one (`no_lead`), and
an agency review submitted, with its counts (`submitted`). To the lead(s) five working days
before the due date and on it (`due`), and to the group once a working day the one message of
every overdue agency review (`overdue`, a row tied to no referral). `standing` is one agency
review's state in words, for `/iars` and the overdue message alike. Nothing is sent for an
agency review already submitted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.context import Services
from bot.delivery import keyboards, review_keyboards, workdays
from bot.delivery.referral_texts import Rendered, when
from dialogs.core.answers import answer_label
from dialogs.core.prompts import Prompt
from dialogs.plan_questions import PLAN
from reports.tor_document import render_tor
from storage import agency_reviews, plans, practitioners
from storage.agency_reviews import ACTION_POINT, CHRONOLOGY, AgencyReview
from storage.outbox import OutboxRow
from storage.referrals import Referral
from templates import labels, render


def keyboard(ref: str, agency: str, prompt: Prompt | str) -> InlineKeyboardMarkup | None:
    """`Start the agency review` or `Submit to the board` (`prompt` "start", "submit"), or a
    question's buttons (a list's `Done`), one a row."""
    if isinstance(prompt, str):
        label = labels.button(f"agency_review_{prompt}")
        return keyboards.buttons(
            [[(label, review_keyboards.agency_review_data(ref, agency, prompt))]]
        )
    question = prompt.id
    return keyboards.one_a_row(
        prompt.options,
        (),
        lambda v: review_keyboards.agency_review_data(ref, agency, f"{question}:{v}"),
    )


def plan_context(s: Services, ref: str) -> dict[str, Any]:
    """The plan's period under review and key lines of enquiry, as the messages show them."""
    plan = plans.get_plan(s.db, ref)
    answers = dict(plan.answers) if plan is not None else {}
    period, enquiries = answers.get("period"), answers.get("enquiry")
    return {
        "period": answer_label(PLAN.by_id["period"], period) if isinstance(period, str) else "",
        "enquiries": list(enquiries) if isinstance(enquiries, list) else [],
    }


def ask(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """The agency review asked of one lead, with its button and the Terms of Reference."""
    agency = str(row.payload.get("agency", ""))
    review = agency_reviews.get(s.db, referral.ref, agency)
    plan = plans.get_plan(s.db, referral.ref)
    if review is None or review.submitted or plan is None:
        return None
    text = render(
        "bot/agency_review/ask.j2",
        ref=referral.ref,
        agency=agency,
        due=review.due.isoformat(),
        **plan_context(s, referral.ref),
    )
    document = render_tor(referral, plan, s.today())
    caption = render("bot/agency_review/caption.j2", ref=referral.ref)
    markup = keyboard(referral.ref, agency, "start")
    return Rendered(text, markup, document=(document.html_name, document.html), caption=caption)


def no_lead(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """The board group told which agencies have no lead to ask (unless one has been asked)."""
    named = [str(a) for a in row.payload.get("agencies", [])]
    waiting = [a for a in named if _unasked(s, referral.ref, a)]
    if not waiting:
        return None
    return Rendered(render("bot/agency_review/no_lead.j2", ref=referral.ref, agencies=waiting))


def _unasked(s: Services, ref: str, agency: str) -> bool:
    review = agency_reviews.get(s.db, ref, agency)
    return review is not None and review.asked_at is None and not review.submitted


def submitted(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """The board group told that an agency submitted its agency review, with the counts."""
    agency = str(row.payload.get("agency", ""))
    review = agency_reviews.get(s.db, referral.ref, agency)
    if review is None or not review.submitted:
        return None
    entries = agency_reviews.entries_of(s.db, referral.ref, agency, CHRONOLOGY)
    points = agency_reviews.entries_of(s.db, referral.ref, agency, ACTION_POINT)
    text = render(
        "bot/agency_review/submitted.j2",
        ref=referral.ref,
        agency=agency,
        entries=len(entries),
        points=len(points),
        late=review.late,
        due=review.due.isoformat(),
        holder=review.holder_name or "",
    )
    return Rendered(text)


def due(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """A lead reminded that the agency review is due in five working days, or today."""
    agency = str(row.payload.get("agency", ""))
    review = agency_reviews.get(s.db, referral.ref, agency)
    if review is None or review.submitted:
        return None
    text = render(
        "bot/agency_review/due.j2",
        ref=referral.ref,
        agency=agency,
        due=review.due.isoformat(),
        today=bool(row.payload.get("today")),
        started=review.holder_id is not None,
    )
    return Rendered(text, keyboard(referral.ref, agency, "start"))


def overdue_reviews(s: Services, today: dt.date) -> list[AgencyReview]:
    """Every agency review not submitted and past its due date on `today`, due date first."""
    return [r for r in agency_reviews.open_reviews(s.db) if r.overdue_on(today)]


def standing(s: Services, review: AgencyReview, today: dt.date) -> dict[str, Any]:
    """One agency review's state for the templates: asked on (or no lead yet), started by
    whom, submitted on (on time or late), or overdue by N working days."""
    holidays = s.settings.bank_holidays
    return {
        "ref": review.ref,
        "agency": review.agency,
        "due": review.due.isoformat(),
        "asked": when(review.asked_at) if review.asked_at is not None else "",
        "leads": len(practitioners.leads_of(s.db, review.agency)),
        "started": when(review.started_at) if review.started_at is not None else "",
        "holder": review.holder_name or "",
        "submitted": when(review.submitted_at) if review.submitted_at is not None else "",
        "late": review.late,
        "overdue": (
            workdays.working_days_between(review.due, today, holidays)
            if review.overdue_on(today)
            else 0
        ),
    }


def overdue(s: Services, row: OutboxRow) -> Rendered | None:
    """The day's one message to the board group of every overdue agency review."""
    day = dt.date.fromisoformat(str(row.payload["day"]))
    late = overdue_reviews(s, day)
    if not late:
        return None
    listed = [standing(s, review, day) for review in late]
    return Rendered(render("bot/agency_review/overdue.j2", reviews=listed))
