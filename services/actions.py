"""A review's findings and action plan (SPEC §7): adding a finding, adding an action (told to its
agency's leads), and an action started, done, dropped or late (told to the board group).

Texts arrive already through the one intake (redacted). Who may change an action is here too:
an officer in the board group, or a lead of the agency that owns it (`lead_of`).

Findings and actions come "after a review is planned" (SPEC §7): a referral admits them while it
is `review_planned`, `in_review`, `report_received` or `published` (`PLANNED`), and an approved
good-practice referral (grade `best_practice`, a case study with no review to plan) from its
approval on. Undecided, declined, approved but not yet planned, and closed referrals refuse
them (`NoActionPlan`, with what is needed), checked inside the use case's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from storage import actions, practitioners, referrals
from storage.actions import Action, Finding
from storage.db import transaction
from storage.lifecycle import (
    APPROVED,
    CLOSED,
    DECLINED,
    IN_REVIEW,
    PUBLISHED,
    REPORT_RECEIVED,
    REVIEW_PLANNED,
    UNDECIDED,
)
from storage.referrals import Referral

# The statuses of a planned review, which admit findings and actions.
PLANNED = (REVIEW_PLANNED, IN_REVIEW, REPORT_RECEIVED, PUBLISHED)
CASE_STUDY = "best_practice"  # the grade whose approval alone admits them


class NoActionPlan(Exception):
    """The referral admits no finding or action yet (or any more): `status` is its status and
    `needed` what it lacks ("decision", "plan", or "none": a declined or closed one admits
    none)."""

    def __init__(self, ref: str, status: str, needed: str) -> None:
        super().__init__(f"{ref} is {status}: no finding or action ({needed})")
        self.ref = ref
        self.status = status
        self.needed = needed


def needed_for_plan(referral: Referral) -> str:
    """What `referral` lacks before it admits findings and actions ("" when it admits them)."""
    if referral.status in PLANNED:
        return ""
    if referral.status == APPROVED:
        return "" if referral.grade == CASE_STUDY else "plan"
    if referral.status in UNDECIDED:
        return "decision"
    return "none" if referral.status in (DECLINED, CLOSED) else "plan"


def _admit(db: Database, ref: str) -> None:
    """Raise `NoActionPlan` unless the referral (as stored now) admits findings and actions."""
    referral = referrals.require_referral(db, ref)
    needed = needed_for_plan(referral)
    if needed:
        raise NoActionPlan(ref, referral.status, needed)


@dataclass(frozen=True)
class Added:
    """A new action and how many leads of its agency it was queued to."""

    action: Action
    leads: int


def add_finding(db: Database, ref: str, actor: int, text: str, now: dt.datetime) -> Finding:
    """Record a finding of the referral's review, with its event (`NoActionPlan` when the
    referral admits none)."""
    with transaction(db):
        _admit(db, ref)
        return actions.add_finding(db, ref, actor, text, now)


def add_action(
    db: Database, ref: str, agency: str, due: dt.date, text: str, actor: int, now: dt.datetime
) -> Added:
    """Record an action of `agency`, due on `due`, and queue it to each of its leads
    (`NoActionPlan` when the referral admits none: nothing is recorded or sent)."""
    with transaction(db):
        _admit(db, ref)
        added = actions.add_action(db, ref, agency, due, text, actor, now)
        return Added(added, len(practitioners.leads_of(db, agency)))


def lead_of(db: Database, user_id: int, action: Action) -> bool:
    """Whether `user_id` is a lead of the agency that owns `action`."""
    who = practitioners.get_practitioner(db, user_id)
    return who is not None and who.lead and who.agency.casefold() == action.agency.casefold()


def change_action(
    db: Database,
    action: Action,
    change: str,
    actor: int,
    words: str,
    now: dt.datetime,
    tell: Sequence[int] = (),
) -> Action | None:
    """Make `change` ("started", "done", "dropped", "late") to `action` with its words (the
    evidence, the reason), and queue the update to each chat of `tell`; None when the action is
    no longer open (nothing changes)."""
    try:
        with transaction(db):
            changed, _ = actions.change_action(
                db, action.ref, action.seq, change, actor, words, now, tell
            )
    except actions.ActionError:
        return None
    return changed
