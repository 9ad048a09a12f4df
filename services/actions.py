"""A review's findings and action plan (SPEC §7): adding a finding, adding an action (told to its
agency's leads), and an action started, done, dropped or late (told to the board group).

Texts arrive already through the one intake (redacted). Who may change an action is here too:
an officer in the board group, or a lead of the agency that owns it (`lead_of`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from storage import actions, practitioners
from storage.actions import Action, Finding
from storage.db import transaction


@dataclass(frozen=True)
class Added:
    """A new action and how many leads of its agency it was queued to."""

    action: Action
    leads: int


def add_finding(db: Database, ref: str, actor: int, text: str, now: dt.datetime) -> Finding:
    """Record a finding of the referral's review, with its event."""
    with transaction(db):
        return actions.add_finding(db, ref, actor, text, now)


def add_action(
    db: Database, ref: str, agency: str, due: dt.date, text: str, actor: int, now: dt.datetime
) -> Added:
    """Record an action of `agency`, due on `due`, and queue it to each of its leads."""
    with transaction(db):
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
