"""The review itself after its plan (SPEC §9): the individual agency reviews that follow the
terms of reference agreed.

`on_terms_agreed` is the one function called when a review's terms are agreed
(`services.terms.agree_terms`, inside its transaction): the board group is told who agreed, and
each agency the plan asked for an individual agency review (`iar_agencies`) is asked for it,
due on the plan's agency-reviews date (`iar_due`): every lead of that agency gets it in a
private message (an `AGENCY_REVIEW_ASK` row each), and the agencies with no lead are named to
the board group at once (`AGENCY_REVIEW_NO_LEAD`). A lead who registers later is asked then
(`lead_registered`). Then, one transaction each: a lead starts it (`start_review`: the first
holds it), its answers are saved after each one (`save_answers`), and the holder submits it
(`submit_review`: the group told with the counts, each action point an action of the review's
plan owned by the agency, late ones marked). Who may do each is checked here (`lead_of`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from services import actions as action_plan
from storage import agency_reviews, events, plans, practitioners
from storage.agency_reviews import AgencyReview
from storage.db import transaction
from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue
from storage.terms import Terms

UPDATE_AGREED = "agreed"  # the board group's notice of terms agreed (payload `event`)

AGENCY_REVIEW_ACTION = "agency_review"  # the events' action (the program's words only)
ASKED = "agency review of {agency} asked of {count} lead(s), due {due}"
NO_LEAD = "agency review of {agency} not yet asked: the agency has no lead"
STARTED = "agency review of {agency} started"
SUBMITTED = "agency review of {agency} submitted{late}: {entries} entries, {points} action points"


def on_terms_agreed(
    db: Database, agreed: Terms, board_chat_id: int | None, now: dt.datetime
) -> None:
    """The terms `agreed` were just agreed: tell the board group who agreed, and ask each
    agency the plan named for its individual agency review (through the outbox). Joins the
    caller's transaction."""
    if board_chat_id is not None:
        payload = {"event": UPDATE_AGREED, "version": agreed.version}
        kind = OutboxKind.TERMS_UPDATE
        enqueue(db, agreed.ref, kind, board_chat_id, payload, PRIORITY_NORMAL, now)
    ask_agency_reviews(db, agreed.ref, board_chat_id, now)


def _asked_for(answers: Mapping[str, Any]) -> tuple[list[str], dt.date | None]:
    """The agencies a plan's answers ask for an agency review, and the date they are due."""
    named = answers.get("iar_agencies")
    due = answers.get("iar_due")
    agencies = [a for a in named if isinstance(a, str)] if isinstance(named, list) else []
    return agencies, dt.date.fromisoformat(due) if isinstance(due, str) else None


def ask_agency_reviews(
    db: Database, ref: str, board_chat_id: int | None, now: dt.datetime
) -> list[AgencyReview]:
    """Make the agency review of each agency the plan of `ref` names, ask every lead of each
    (a message each), and name to the board group those with no lead; the reviews made. Joins
    the caller's transaction."""
    plan = plans.get_plan(db, ref)
    agencies, due = _asked_for(plan.answers if plan is not None else {})
    if not agencies or due is None:
        return []
    no_lead: list[str] = []
    with transaction(db):
        made = agency_reviews.ask(db, ref, agencies, due, now)
        for review in made:
            if review.asked_at is not None:
                continue  # asked already (terms agreed once before)
            leads = practitioners.leads_of(db, review.agency)
            if not leads:
                no_lead.append(review.agency)
                detail = NO_LEAD.format(agency=review.agency)
            else:
                _ask(db, review, leads, now)
                detail = ASKED.format(agency=review.agency, count=len(leads), due=due)
            events.append_event(db, ref, "system", AGENCY_REVIEW_ACTION, detail, now)
        if no_lead and board_chat_id is not None:
            payload = {"agencies": no_lead}
            kind = OutboxKind.AGENCY_REVIEW_NO_LEAD
            enqueue(db, ref, kind, board_chat_id, payload, PRIORITY_NORMAL, now)
    return made


def _ask(db: Database, review: AgencyReview, leads: Sequence[int], now: dt.datetime) -> None:
    """Queue the agency review to each of `leads` and record it asked."""
    for lead in leads:
        payload = {"agency": review.agency}
        kind = OutboxKind.AGENCY_REVIEW_ASK
        enqueue(db, review.ref, kind, lead, payload, PRIORITY_NORMAL, now)
    agency_reviews.mark_asked(db, review.ref, review.agency, now)


def lead_registered(db: Database, user_id: int, now: dt.datetime) -> list[AgencyReview]:
    """A lead just registered: ask them each open agency review of their agency (those not
    asked before, as no lead was there, are recorded asked now); the reviews asked."""
    with transaction(db):
        who = practitioners.get_practitioner(db, user_id)
        if who is None or not who.lead:
            return []
        found = agency_reviews.open_of_agency(db, who.agency)
        for review in found:
            first = review.asked_at is None
            _ask(db, review, [user_id], now)
            if first:
                detail = ASKED.format(agency=review.agency, count=1, due=review.due)
                events.append_event(db, review.ref, "system", AGENCY_REVIEW_ACTION, detail, now)
    return found


def lead_of(db: Database, user_id: int, agency: str) -> bool:
    """Whether `user_id` is a registered lead of `agency`."""
    who = practitioners.get_practitioner(db, user_id)
    return who is not None and who.lead and who.agency.casefold() == agency.casefold()


class Outcome(enum.StrEnum):
    """What a lead's start or submission did."""

    STARTED = "started"  # they hold it now
    RESUMED = "resumed"  # they held it already: carry on
    HELD = "held"  # another lead holds it
    SUBMITTED = "submitted"  # it is in (now, or already)
    NOT_LEAD = "not_lead"  # they are not a lead of its agency
    UNKNOWN = "unknown"  # no such agency review
    NOT_COMPLETE = "not_complete"  # a submission before its last answer
    NO_PLAN = "no_plan"  # the referral admits no action plan (closed, declined)


@dataclass(frozen=True)
class Answered:
    """The outcome of a start or a submission and the agency review as it is after it."""

    outcome: Outcome
    review: AgencyReview | None


def _refused(db: Database, ref: str, agency: str, user_id: int) -> Answered | None:
    """Why `user_id` may not write the agency review of `agency` for `ref` (None: they may)."""
    review = agency_reviews.get(db, ref, agency)
    if review is None:
        return Answered(Outcome.UNKNOWN, None)
    if not lead_of(db, user_id, agency):
        return Answered(Outcome.NOT_LEAD, review)
    if review.submitted:
        return Answered(Outcome.SUBMITTED, review)
    if review.holder_id is not None and review.holder_id != user_id:
        return Answered(Outcome.HELD, review)
    return None


def start_review(
    db: Database,
    ref: str,
    agency: str,
    user_id: int,
    name: str | None,
    state: str,
    now: dt.datetime,
) -> Answered:
    """A lead of `agency` starts its agency review for `ref` (at `state`, the first question):
    the first to start holds it; its holder starting it again resumes it; another lead is told
    who holds it."""
    with transaction(db):
        refused = _refused(db, ref, agency, user_id)
        if refused is not None:
            return refused
        before = agency_reviews.get(db, ref, agency)
        started = agency_reviews.start(db, ref, agency, user_id, name, state, now)
        if started is None:  # taken in between (cannot happen under the write lock)
            return Answered(Outcome.HELD, agency_reviews.get(db, ref, agency))
        if before is not None and before.holder_id == user_id:
            return Answered(Outcome.RESUMED, started)
        detail = STARTED.format(agency=agency)
        events.append_event(db, ref, user_id, AGENCY_REVIEW_ACTION, detail, now, actor_name=name)
        return Answered(Outcome.STARTED, started)


def save_answers(
    db: Database,
    ref: str,
    agency: str,
    user_id: int,
    state: str,
    answers: Mapping[str, Any],
    now: dt.datetime,
) -> Answered:
    """Save the holder's agency review as it now is (its state and its answers, redacted)."""
    with transaction(db):
        refused = _refused(db, ref, agency, user_id)
        if refused is not None:
            return refused
        saved = agency_reviews.save_progress(db, ref, agency, state, answers, now)
        return Answered(Outcome.RESUMED, saved)


def submit_review(
    db: Database,
    ref: str,
    agency: str,
    user_id: int,
    name: str | None,
    chronology: Sequence[tuple[dt.date, str]],
    action_points: Sequence[tuple[dt.date, str]],
    *,
    complete: bool,
    today: dt.date,
    now: dt.datetime,
    board_chat_id: int | None,
) -> Answered:
    """The holder submits the agency review (its entries and action points redacted): stored,
    marked late when past its due date, each action point an action of the review's plan owned
    by `agency` (`REF/An`, told to the agency's leads), and the board group told with the
    counts; all or nothing."""
    try:
        with transaction(db):
            refused = _refused(db, ref, agency, user_id)
            if refused is not None:
                return refused
            if not complete or not chronology:
                return Answered(Outcome.NOT_COMPLETE, agency_reviews.get(db, ref, agency))
            submitted = agency_reviews.submit(
                db, ref, agency, chronology, action_points, today, now
            )
            if submitted is None:
                return Answered(Outcome.SUBMITTED, agency_reviews.get(db, ref, agency))
            for due, text in action_points:
                action_plan.add_action(db, ref, agency, due, text, user_id, now)
            detail = SUBMITTED.format(
                agency=agency,
                late=" late" if submitted.late else "",
                entries=len(chronology),
                points=len(action_points),
            )
            events.append_event(
                db, ref, user_id, AGENCY_REVIEW_ACTION, detail, now, actor_name=name
            )
            if board_chat_id is not None:
                payload = {"agency": agency}
                kind = OutboxKind.AGENCY_REVIEW_IN
                enqueue(db, ref, kind, board_chat_id, payload, PRIORITY_NORMAL, now)
    except action_plan.NoActionPlan:
        return Answered(Outcome.NO_PLAN, agency_reviews.get(db, ref, agency))
    return Answered(Outcome.SUBMITTED, submitted)
