"""The practitioners' learning event of a review (SPEC §9), as use cases without Telegram.

- `parse_when(text, now, tz)`: `YYYY-MM-DD HH:MM[-HH:MM]` in the board's time (the adapter's
  Europe/London) as UTC start and end (two hours unless an end is given), or why not
  (`WhenRefused`: the form, a start not later than now, an end not after the start);
- `schedule_event`: schedules (or moves) the event and, in the same transaction, invites the
  practitioner who filed the referral (while registered) and every lead of each agency the plan
  names for an agency review, and queues an invitation to each (a move: to everyone invited,
  saying it moved);
- `invite_agency`: every registered practitioner of an agency, invited (no one twice);
- `answer_invitation`: `I'll come` / `I can't come`, checked (invited, the version shown, not
  yet begun);
- `queue_questions`: once an event is over, the feedback questions to each who was coming,
  once (a compare-and-set on the event, so a restart between the end and the job still asks,
  and asks once);
- `record_feedback`: an attendee's answer saved; the last one keeps the feedback apart from
  them (`storage.event_feedback.finish_feedback`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from dialogs.core.prompts import Step
from dialogs.feedback import FeedbackSession
from storage import event_feedback, learning_events, plans, practitioners, referrals
from storage.db import transaction
from storage.learning_events import Invitation, LearningEvent
from storage.lifecycle import CLOSED, DECLINED
from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue

DEFAULT_LENGTH = dt.timedelta(hours=2)
_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})(?:\s*-\s*(\d{1,2}:\d{2}))?$")


class WhenRefused(enum.StrEnum):
    """Why an event's date and time were refused."""

    FORM = "form"  # not YYYY-MM-DD HH:MM[-HH:MM], or no such date or time
    PAST = "past"  # the start is not later than now
    END_FIRST = "end_first"  # the end is not after the start


@dataclass(frozen=True)
class When:
    """An event's start and end (UTC)."""

    starts_at: dt.datetime
    ends_at: dt.datetime


def _local(day: str, clock: str, tz: dt.tzinfo) -> dt.datetime | None:
    try:
        date = dt.date.fromisoformat(day)
        hours, minutes = (int(part) for part in clock.split(":"))
        return dt.datetime.combine(date, dt.time(hours, minutes), tzinfo=tz)
    except ValueError:
        return None


def parse_when(text: str, now: dt.datetime, tz: dt.tzinfo) -> When | WhenRefused:
    """`YYYY-MM-DD HH:MM[-HH:MM]` in the board's time zone `tz` as UTC times, or why it is
    refused."""
    match = _WHEN.match(" ".join(text.split()))
    if match is None:
        return WhenRefused.FORM
    start = _local(match[1], match[2], tz)
    end = _local(match[1], match[3], tz) if match[3] else None
    if start is None or (match[3] and end is None):
        return WhenRefused.FORM
    starts_at = start.astimezone(dt.UTC)
    ends_at = (starts_at + DEFAULT_LENGTH) if end is None else end.astimezone(dt.UTC)
    if starts_at <= now:
        return WhenRefused.PAST
    if ends_at <= starts_at:
        return WhenRefused.END_FIRST
    return When(starts_at, ends_at)


class NoEvent(Exception):
    """A review that admits no learning event: `needed` says what it lacks ("plan", "none" for
    a declined or closed referral, "held" when its event took place already)."""

    def __init__(self, ref: str, needed: str) -> None:
        super().__init__(f"{ref}: no learning event ({needed})")
        self.ref = ref
        self.needed = needed


def needed_for_event(db: Database, ref: str) -> str:
    """What a referral lacks before its learning event can be scheduled ("" when nothing)."""
    referral = referrals.require_referral(db, ref)
    if referral.status in (DECLINED, CLOSED):
        return "none"
    return "" if plans.get_plan(db, ref) is not None else "plan"


@dataclass(frozen=True)
class Scheduled:
    """An event scheduled or moved: the event, whether it moved, and who was invited now."""

    event: LearningEvent
    moved: bool
    invited: tuple[Invitation, ...]
    told: int  # invitations queued (new ones, and the move to those invited before)


def _queue_invitations(
    db: Database, event: LearningEvent, people: Sequence[int], moved: bool, now: dt.datetime
) -> int:
    for user_id in people:
        payload = {"version": event.version, "moved": moved}
        enqueue(db, event.ref, OutboxKind.EVENT_INVITE, user_id, payload, PRIORITY_NORMAL, now)
    return len(people)


def first_invitees(db: Database, ref: str) -> dict[int, str]:
    """Who an event of `ref` invites: the practitioner who filed it (while registered) and
    every lead of each agency the plan names for an agency review (user id -> agency)."""
    referral = referrals.require_referral(db, ref)
    people: dict[int, str] = {}
    filer = practitioners.get_practitioner(db, referral.referrer_id)
    if filer is not None:
        people[filer.user_id] = filer.agency
    plan = plans.get_plan(db, ref)
    named = plan.answers.get("iar_agencies", []) if plan is not None else []
    for agency in named if isinstance(named, list) else []:
        for lead in practitioners.leads_of(db, str(agency)):
            people.setdefault(lead, str(agency))
    return people


def schedule_event(
    db: Database,
    ref: str,
    when: When,
    place: str,
    officer_id: int,
    officer_name: str | None,
    now: dt.datetime,
) -> Scheduled:
    """Schedule (or move) the event of `ref` (`place` redacted already), invite the first
    invitees and queue each invitation, in one transaction; `NoEvent` without a plan."""
    with transaction(db):
        needed = needed_for_event(db, ref)
        held = learning_events.get_event(db, ref)
        if not needed and held is not None and held.questions_queued_at is not None:
            needed = "held"  # one event a review: it took place, its feedback asked
        if needed:
            raise NoEvent(ref, needed)
        before = [i.user_id for i in learning_events.invitations(db, ref)]
        event, moved = learning_events.schedule(
            db, ref, when.starts_at, when.ends_at, place, officer_id, officer_name, now
        )
        made = learning_events.invite(db, ref, first_invitees(db, ref), now)
        told = _queue_invitations(db, event, before, True, now) if moved else 0
        told += _queue_invitations(db, event, [i.user_id for i in made], False, now)
    return Scheduled(event, moved, tuple(made), told)


class InviteOutcome(enum.StrEnum):
    """What `/event REF invite AGENCY` did."""

    INVITED = "invited"
    NO_EVENT = "no_event"
    STARTED = "started"  # the event has begun: too late to invite


@dataclass(frozen=True)
class AgencyInvited:
    """The outcome of inviting an agency, the invitations made and those already invited."""

    outcome: InviteOutcome
    invited: tuple[Invitation, ...] = ()
    already: int = 0


def invite_agency(db: Database, ref: str, agency: str, now: dt.datetime) -> AgencyInvited:
    """Invite every registered practitioner of `agency` (as configured) not invited yet, and
    queue their invitations, in one transaction."""
    with transaction(db):
        event = learning_events.get_event(db, ref)
        if event is None:
            return AgencyInvited(InviteOutcome.NO_EVENT)
        if event.started(now):
            return AgencyInvited(InviteOutcome.STARTED)
        people = learning_events.registered_in(db, agency)
        made = learning_events.invite(db, ref, dict.fromkeys(people, agency), now)
        _queue_invitations(db, event, [i.user_id for i in made], False, now)
    return AgencyInvited(InviteOutcome.INVITED, tuple(made), len(people) - len(made))


class Answer(enum.StrEnum):
    """What became of a press on an invitation."""

    RECORDED = "recorded"
    NOT_INVITED = "not_invited"
    NO_EVENT = "no_event"
    STALE = "stale"  # the invitation of an earlier version (the event moved)
    STARTED = "started"  # the event has begun: answers no longer change


def answer_invitation(
    db: Database, ref: str, user_id: int, version: int, said: str, now: dt.datetime
) -> Answer:
    """Record `I'll come` / `I can't come` from an invitee on the invitation of `version`."""
    event = learning_events.get_event(db, ref)
    if event is None:
        return Answer.NO_EVENT
    if learning_events.invitation(db, ref, user_id) is None:
        return Answer.NOT_INVITED
    if event.started(now):
        return Answer.STARTED
    if version != event.version:
        return Answer.STALE
    if not learning_events.answer(db, ref, user_id, said, now):
        return Answer.STARTED
    return Answer.RECORDED


def queue_questions(db: Database, now: dt.datetime, first_state: str) -> list[str]:
    """For each event over at `now` whose questions were not queued: a feedback session and
    the questions to each who was coming, once; returns the references asked now."""
    asked = []
    for event in learning_events.ended_unasked(db, now):
        with transaction(db):
            people = learning_events.claim_questions(db, event, first_state, now)
            if people is None:
                continue
            for user_id in people:
                enqueue(db, event.ref, OutboxKind.EVENT_FEEDBACK, user_id, {}, PRIORITY_NORMAL, now)
        asked.append(event.ref)
    return asked


def record_feedback(db: Database, session: FeedbackSession, user_id: int, step: Step) -> bool:
    """Save an attendee's answer; the last keeps the feedback apart from them. False when the
    session was already finished."""
    if not session.complete:
        return event_feedback.save_session(db, session.ref, user_id, session.state, session.answers)
    answers = session.answers
    return event_feedback.finish_feedback(
        db,
        session.ref,
        user_id,
        session.state,
        str(answers.get("learned", "")),
        str(answers.get("differently", "")),
        int(str(answers.get("safety", "3"))),
    )
