"""The one way a test takes a filed review further in storage, past its plan: the plan complete
(`complete_plan`, every free answer through the one intake), its terms sent and agreed by the
panel (`agree`, through `services.terms`), and an agency's individual agency review asked,
started, written and submitted (`agency_review`, with `storage.agency_reviews`' own functions:
real storage, every text through the intake). Built on `filed` (`file`, `decide`); synthetic
data only: the identifiers typed are made up, to show that none survives the intake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from filed import BOARD, CHAIR, database, decide, file
from sqlite_utils import Database

from dialogs import intake
from services import terms as panel_terms
from storage import agency_reviews, plans, referrals
from storage.agency_reviews import AgencyReview
from storage.referrals import Referral

OFFICER = 3001
# Made up, and each one of a kind the intake removes: none may reach a document.
DOB = "born 14/03/2019"
NHS = "943 476 5919"
PHONE = "07700 900123"
POSTCODE = "SW1A 1AA"
IDENTIFIERS = ("14/03/2019", NHS, PHONE, POSTCODE)

PERIOD = "2025-09-01 to 2026-02-28"
DATES = {"iar_due": "2026-03-31", "report_due": "2026-06-30", "publication_date": "2026-09-01"}
# The draft overview report's parts, in SPEC §9's order: one heading each.
OVERVIEW_HEADINGS = [
    "Terms of reference",
    "Multi-agency chronology",
    "Each agency's summary analysis",
    "What went well and lessons, by agency",
    "The practitioners' learning event",
    "Practice themes",
    "The board's findings",
    "The action plan",
    "Author",
]


def typed(text: str) -> str:
    """`text` as the one intake stores it (identifiers redacted)."""
    return intake.accept(text, limit=4000, multiline=True).text


def plan_answers(agencies: Sequence[str] = ("Health", "Police"), **changes: Any) -> dict[str, Any]:
    """A complete plan's answers, the free ones typed with identifiers in them."""
    answers: dict[str, Any] = {
        "methodology": "scie",
        "iar_agencies": list(agencies),
        "family": "no",
        "family_reason": typed(f"The mother asked not to be involved; call {PHONE}."),
        "staff": "yes",
        "panel": "na",
        "publication": "short",
        "period": PERIOD,
        "enquiry": [
            typed("Why was the nursery's worry not shared?"),
            typed(f"Was the child ({DOB}) seen alone?"),
        ],
        **DATES,
        "author": typed(f"Independent reviewer, {POSTCODE} office"),
    }
    answers.update(changes)
    return answers


def complete_plan(db: Database, ref: str, now: dt.datetime, **changes: Any) -> None:
    """Save the referral's plan complete (state `done`) and mark the review planned."""
    plans.save_plan(db, ref, "done", plan_answers(**changes), OFFICER, now)
    if referrals.require_referral(db, ref).status == "approved":
        referrals.set_status(db, ref, "review_planned", OFFICER, "", now)


def agree(db: Database, ref: str, now: dt.datetime) -> None:
    """Send the review's terms to the panel (the chair) and agree them, as the panel does."""
    sent = panel_terms.send_terms(db, ref, (CHAIR,), False, OFFICER, now)
    answered = panel_terms.agree_terms(
        db, ref, sent.version, CHAIR, "Chair", now, board_chat_id=BOARD
    )
    assert answered.outcome is panel_terms.Outcome.AGREED, answered


def reviewed(
    into: Database | Path,
    facts: Mapping[str, Any],
    now: dt.datetime,
    *,
    until: str = "agreed",
    **changes: Any,
) -> Referral:
    """File and approve a referral, then take its review as far as `until`: "approved" (no
    plan), "planned" (plan complete, terms not sent), "sent" (terms with the panel) or
    "agreed" (terms agreed, the plan's agencies asked for their agency reviews)."""
    referral = file(into, facts, now)
    decide(into, referral.ref, now)
    with database(into) as db:
        if until == "approved":
            return referral
        complete_plan(db, referral.ref, now, **changes)
        if until == "sent":
            panel_terms.send_terms(db, referral.ref, (CHAIR,), False, OFFICER, now)
        if until == "agreed":
            agree(db, referral.ref, now)
            answers = plans.get_plan(db, referral.ref)
            assert answers is not None
            due = dt.date.fromisoformat(answers.answers["iar_due"])
            agency_reviews.ask(db, referral.ref, answers.answers["iar_agencies"], due, now)
    return referral


def agency_review(
    db: Database,
    ref: str,
    agency: str,
    now: dt.datetime,
    *,
    lead: int,
    chronology: Sequence[tuple[str, str]] = (),
    action_points: Sequence[tuple[str, str]] = (),
    analysis: str = "",
    went_well: str = "",
    lessons: str = "",
    submit: bool = True,
) -> AgencyReview:
    """One agency's review of `ref`, asked of its lead, started, written (each text through the
    intake, saved as the questionnaire saves it) and, unless `submit` is False, submitted on
    the board day of `now`."""
    agency_reviews.ask(db, ref, [agency], dt.date.fromisoformat(DATES["iar_due"]), now)
    agency_reviews.mark_asked(db, ref, agency, now)
    started = agency_reviews.start(db, ref, agency, lead, f"Lead of {agency}", "chronology", now)
    assert started is not None
    entries = [(dt.date.fromisoformat(day), typed(text)) for day, text in chronology]
    points = [(dt.date.fromisoformat(day), typed(text)) for day, text in action_points]
    answers: dict[str, Any] = {
        "chronology": [f"{day.isoformat()} {text}" for day, text in entries],
        "analysis": typed(analysis) if analysis else "",
        "went_well": typed(went_well) if went_well else "",
        "lessons": typed(lessons) if lessons else "",
        "action_points": [f"{day.isoformat()} {text}" for day, text in points],
    }
    saved = agency_reviews.save_progress(db, ref, agency, "summary", answers, now)
    if not submit:
        return saved
    done = agency_reviews.submit(db, ref, agency, entries, points, now.date(), now)
    assert done is not None
    return done
