"""Learning briefs (SPEC §7): begun, written section by section, approved or sent back.

Each use case is one transaction with its events and outbox rows: `begin_brief` (the brief
emptied and begun again, "started"), `record_brief_section` (the sections so far; the complete
brief queued to each chair as a card), `approve_brief` (queued to every recipient, "approved
for N"), `send_brief_back` (the chair's redacted reason) and `read_brief` (a `Read it` counted
only from a person the brief was delivered to, in the agency it was sent to them as; one who
turned briefs off after receiving it still counts: they received it). The words of the
brief's events are here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from dialogs.brief import BriefSession
from dialogs.core.prompts import Step
from storage import briefs, events
from storage.db import transaction
from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue

BRIEF_ACTION = "brief"
STARTED = "learning brief started"
APPROVED = "learning brief approved for {count}"
SENT_BACK = "learning brief sent back: {reason}"


def begin_brief(
    db: Database,
    session: BriefSession,
    agencies: Sequence[str],
    officer_id: int,
    officer_name: str,
    now: dt.datetime,
) -> None:
    """Begin (again) the brief `session` for `agencies` (all when none), with its event."""
    with transaction(db):
        briefs.start_brief(db, session.ref, session.state, agencies, officer_id, now)
        events.append_event(
            db, session.ref, officer_id, BRIEF_ACTION, STARTED, now, actor_name=officer_name
        )


def record_brief_section(
    db: Database, session: BriefSession, step: Step, chair_ids: Iterable[int], now: dt.datetime
) -> None:
    """Store the sections after the answer `step`; a complete brief goes to each chair (a card
    with Approve / Send back, through the outbox)."""
    with transaction(db):
        briefs.save_sections(db, session.ref, session.state, session.answers, step.complete, now)
        brief = briefs.get_brief(db, session.ref)
        if step.complete and brief is not None:
            card = {"version": brief.version}  # a card of a version since rewritten is not sent
            for chair_id in sorted(chair_ids):
                enqueue(
                    db, session.ref, OutboxKind.BRIEF_CARD, chair_id, card, PRIORITY_NORMAL, now
                )


def resend_brief_card(db: Database, ref: str, chair_id: int, now: dt.datetime) -> None:
    """Queue the brief awaiting the chair to `chair_id` again as a card of its current version
    (their card was of a form that named no version, so a press on it cannot count)."""
    with transaction(db):
        brief = briefs.get_brief(db, ref)
        if brief is not None and brief.status == briefs.AWAITING_CHAIR:
            card = {"version": brief.version}
            enqueue(db, brief.ref, OutboxKind.BRIEF_CARD, chair_id, card, PRIORITY_NORMAL, now)


def approve_brief(
    db: Database, ref: str, version: int, chair_id: int, chair_name: str, now: dt.datetime
) -> int | None:
    """A chair approves version `version` of the brief awaiting them (the one their card
    showed): queued to its recipients, with the event; how many it was queued to, or None when
    it was not awaiting the chair (decided already) or was rewritten since."""
    with transaction(db):
        count = briefs.approve(db, ref, chair_id, now, version)
        if count is not None:
            text = APPROVED.format(count=count)
            events.append_event(db, ref, chair_id, BRIEF_ACTION, text, now, actor_name=chair_name)
    return count


def send_brief_back(
    db: Database, ref: str, version: int | None, chair_id: int, reason: str, now: dt.datetime
) -> bool:
    """A chair sends the brief awaiting them back with `reason` (already redacted), with the
    event; False when it was not awaiting the chair, or is no longer version `version` (the one
    their card showed; None: a reason asked for before versions were kept)."""
    with transaction(db):
        kept = briefs.send_back(db, ref, chair_id, reason, now, version)
        if kept:
            text = SENT_BACK.format(reason=reason)
            events.append_event(db, ref, chair_id, BRIEF_ACTION, text, now)
    return kept


def read_brief(db: Database, ref: str, user_id: int, now: dt.datetime) -> str:
    """A `Read it` press by `user_id`: "counted", "again" (counted before) or "not_sent" (the
    brief was never delivered to them: nothing is counted)."""
    with transaction(db):
        agency = briefs.delivered_agency(db, ref, user_id)
        if agency is None:
            return "not_sent"
        return "counted" if briefs.record_read(db, ref, user_id, agency, now) else "again"
