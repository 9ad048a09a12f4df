"""Where each review stands (SPEC §9, "Where each review stands"): its stage, the next date due
and how many working days past it the review is.

`stage_of` is the one pure function that says it, from what is stored of one review (the
referral, its plan, its terms with the panel, its individual agency reviews) and the board's
today; `/reviews`, the annual update, `triage-bot export --what reviews` and the dashboard all
read a review's stage from it, never on their own. The stages, in order (`Stage`):

- `plan`: the plan being written (`/plan` not complete);
- `terms`: the terms with the panel (the plan complete, the terms not yet agreed: sent, sent
  back, or not yet sent);
- `agency_reviews`: the individual agency reviews, k of n in (the terms agreed, an agency the
  plan named, or one asked, not yet submitted);
- `overview`: the overview report (every agency review in, or none asked; until the report is
  published);
- `published`: the review's report published (status `published`, or `closed` after it).

The next date due is the plan's date the current stage works towards: the agency reviews'
date (`iar_due`) while the plan, the terms or the agency reviews are still to come; the
report's (`report_due`) at the overview report, and the publication date (`publication_date`)
once the report was received (status `report_received`); none once published, or while the
plan has no such date yet. Working days past it are counted by the caller's `WorkingDays`
(the bot's `bot.delivery.workdays.working_days_between`, with the board's bank holidays), so
this module stays free of settings.

`is_review` says which referrals are reviews (approved, at any grade but the good-practice case
study, which has no review to plan), `IN_PROGRESS` the statuses `/reviews` lists, and `stages`
reads what `stage_of` needs for several referrals and returns their stages; `review_rows`
adds what the annual update's row and the reviews export show beside the stage (when
decided, the plan's dates, overdue actions). Both read the plans, the terms, the agency reviews
(and the overdue actions) of all the reviews at once, a fixed number of statements however
many there are; `year_reviews` reads a year's reviews alone, not every referral of the year.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from dialogs.plan_questions import DONE_STATE
from storage import actions, agency_reviews, plans, terms
from storage import reports as storage_reports
from storage.agency_reviews import AgencyReview
from storage.lifecycle import (
    APPROVED,
    CLOSED,
    IN_REVIEW,
    PUBLISHED,
    REPORT_RECEIVED,
    REVIEW_PLANNED,
)
from storage.plans import Plan
from storage.referral_record import Referral
from storage.terms import Terms
from templates import labels

# Working days after the first date up to and including the second (0 when not after it).
WorkingDays = Callable[[dt.date, dt.date], int]

# The statuses of a review still in progress (`/reviews`): approved, until it is closed.
IN_PROGRESS = (APPROVED, REVIEW_PLANNED, IN_REVIEW, REPORT_RECEIVED, PUBLISHED)
CASE_STUDY = "best_practice"  # an approved good-practice referral: a case study, no review
REVIEW_DECISIONS = ("approved", "escalated")


class Stage(enum.StrEnum):
    """A review's stage, in the order a review passes through them."""

    PLAN = "plan"
    TERMS = "terms"
    AGENCY_REVIEWS = "agency_reviews"
    OVERVIEW = "overview"
    PUBLISHED = "published"


# The plan's date each stage works towards (`report_received` moves the overview report's on
# to the publication date).
DUE_FOR: Mapping[Stage, str | None] = {
    Stage.PLAN: "iar_due",
    Stage.TERMS: "iar_due",
    Stage.AGENCY_REVIEWS: "iar_due",
    Stage.OVERVIEW: "report_due",
    Stage.PUBLISHED: None,
}
PUBLICATION = "publication_date"


@dataclass(frozen=True, slots=True)
class ReviewStage:
    """Where one review stands on the board's `today`.

    `asked` counts the agency reviews of the review (the agencies the plan named, with any
    asked), `submitted` those in, `late` those submitted after their due date or still out past
    it; `due` is the next date due (`due_for` names the plan's date) and `behind` the working
    days past it (0 when not past, or no date)."""

    ref: str
    grade: str
    status: str
    stage: Stage
    due: dt.date | None
    due_for: str | None
    behind: int
    asked: int
    submitted: int
    late: int

    @property
    def label(self) -> str:
        """The stage as people read it ("agency reviews, 1 of 2 in")."""
        return labels.review_stage_label(self.stage, submitted=self.submitted, asked=self.asked)

    @property
    def overdue(self) -> bool:
        """Whether the review is past its next date due."""
        return self.behind > 0


def is_review(referral: Referral) -> bool:
    """Whether the referral is a review the board commissioned (approved, at a higher grade or
    not), rather than undecided, declined or a good-practice case study."""
    return referral.decision in REVIEW_DECISIONS and referral.grade != CASE_STUDY


def _date(value: object) -> dt.date | None:
    """A plan's date answer, or None when it is not (yet) one."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def asked_agencies(plan: Plan | None, reviews: Sequence[AgencyReview]) -> list[str]:
    """The agencies asked for an individual agency review, by name: those the plan named
    (`iar_agencies`), with any that has an agency review."""
    named = plan.answers.get("iar_agencies") if plan is not None else None
    agencies = {str(a) for a in named} if isinstance(named, list) else set()
    return sorted(agencies | {r.agency for r in reviews})


def _stage(
    referral: Referral,
    plan: Plan | None,
    agreed: bool,
    asked: int,
    submitted: int,
) -> Stage:
    if referral.status in (PUBLISHED, CLOSED):
        return Stage.PUBLISHED
    if referral.status == REPORT_RECEIVED:
        return Stage.OVERVIEW
    if plan is None or plan.state != DONE_STATE:
        return Stage.PLAN
    if not agreed:
        return Stage.TERMS
    return Stage.AGENCY_REVIEWS if submitted < asked else Stage.OVERVIEW


def stage_of(
    referral: Referral,
    plan: Plan | None,
    review_terms: Terms | None,
    reviews: Sequence[AgencyReview],
    today: dt.date,
    working_days: WorkingDays,
) -> ReviewStage:
    """The stage of the review of `referral` on `today`, from its plan, its terms as last sent
    and its agency reviews (pure: reads nothing, writes nothing)."""
    agreed = review_terms is not None and review_terms.status == terms.AGREED
    asked = len(asked_agencies(plan, reviews))
    submitted = sum(1 for r in reviews if r.submitted)
    late = sum(1 for r in reviews if r.late or r.overdue_on(today))
    stage = _stage(referral, plan, agreed, asked, submitted)
    due_for = DUE_FOR[stage]
    if stage is Stage.OVERVIEW and referral.status == REPORT_RECEIVED:
        due_for = PUBLICATION
    answers = plan.answers if plan is not None else {}
    due = _date(answers.get(due_for)) if due_for is not None else None
    behind = working_days(due, today) if due is not None and today > due else 0
    return ReviewStage(
        ref=referral.ref,
        grade=referral.grade,
        status=referral.status,
        stage=stage,
        due=due,
        due_for=due_for if due is not None else None,
        behind=behind,
        asked=asked,
        submitted=submitted,
        late=late,
    )


def year_reviews(db: Database, year: int) -> list[Referral]:
    """The reviews of `year` (`is_review`), in reference order, reading only their rows: what
    `review_rows` keeps of `storage.referrals.list_referrals(db, year)`."""
    found = storage_reports.decided_of_year(db, year, REVIEW_DECISIONS, CASE_STUDY)
    return [r for r in found if is_review(r)]


def _staged(
    db: Database,
    referrals: Sequence[Referral],
    today: dt.date,
    working_days: WorkingDays,
) -> list[tuple[Referral, Plan | None, ReviewStage]]:
    """Each review among `referrals` with its plan and its stage: the plans, the terms and the
    agency reviews of them all read at once (a fixed number of statements, however many)."""
    reviews = [r for r in referrals if is_review(r)]
    refs = [r.ref for r in reviews]
    plan_of, terms_of = plans.for_refs(db, refs), terms.for_refs(db, refs)
    by_ref = agency_reviews.for_refs(db, refs)
    out = []
    for r in reviews:
        plan = plan_of.get(r.ref)
        stage = stage_of(r, plan, terms_of.get(r.ref), by_ref[r.ref], today, working_days)
        out.append((r, plan, stage))
    return out


def stages(
    db: Database,
    referrals: Sequence[Referral],
    today: dt.date,
    working_days: WorkingDays,
) -> list[ReviewStage]:
    """The stage of each review among `referrals` (others left out), in their order: their
    plans, terms and agency reviews read here, the stage said by `stage_of`."""
    return [stage for _, _, stage in _staged(db, referrals, today, working_days)]


PLAN_DATES = ("iar_due", "report_due", "publication_date")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One review as the annual update and `triage-bot export --what reviews` show it: where it
    stands, when it was decided, the plan's dates (as the plan has them, "" if not yet) and how
    many of its actions are overdue."""

    stage: ReviewStage
    year: int
    decided: dt.date | None
    dates: Mapping[str, str]
    overdue_actions: int


def review_rows(
    db: Database,
    referrals: Sequence[Referral],
    today: dt.date,
    working_days: WorkingDays,
) -> list[ReviewRow]:
    """A row for each review among `referrals`, in their order (others left out), their overdue
    actions counted in one read with the rest (`_staged`)."""
    staged = _staged(db, referrals, today, working_days)
    overdue = actions.overdue_counts(db, [r.ref for r, _, _ in staged], today)
    rows = []
    for referral, plan, stage in staged:
        answers = plan.answers if plan is not None else {}
        rows.append(
            ReviewRow(
                stage=stage,
                year=referral.year,
                decided=referral.decided_at.date() if referral.decided_at else None,
                dates={name: str(answers.get(name) or "") for name in PLAN_DATES},
                overdue_actions=overdue[referral.ref],
            )
        )
    return rows
