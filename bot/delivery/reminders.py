"""Reminders (JobQueue): referrals waiting on the chair too long, plan deadlines passed.

Once a day, at `REMINDER_TIME` board time (and once shortly after start, if the bot was down at
that hour), on working days only:

- each referral `awaiting_chair` for more than `REMINDER_WORKING_DAYS` working days since the day
  it was filed (weekends and `BANK_HOLIDAYS` skipped) is reminded to every chair and the group
  (under a joint decision, to the three partners' leads in the chairs' place);
- each referral on which the safeguarding partners' presses differ is reminded to the three
  partners and the group, every working day until they agree;
- each open statutory clock (Working Together 2023: Panel notification, rapid review) is reminded
  to the group on its due day and every working day after until it is closed;
- each complete review plan whose date has passed while the referral has not moved past the
  matching stage (agency reviews due: still `review_planned`; report due: not yet
  `report_received`; publication date: not yet `published`) is reminded to the group;
- under Working Together 2023, each complete plan whose report is to go to the Panel and the
  Secretary of State (from 7 working days before its publication date until that date, while
  not yet published) is reminded to the group every working day (`panel_report`);
- every action of a review's plan past its due date, in ONE message to the group for them all
  (`storage.actions.queue_digest_once`).

On the working day before a review's learning event, each who said they would come is reminded
(with their buttons: the answer still changes until the start).

Every day (working or not), each open action due that day is sent again to its agency's leads,
with their buttons; and each individual agency review not yet submitted is reminded to its
holder (or, not started, to every lead of its agency) five working days before its due date and
on it (`agency_review_due_<when>_<agency key>`). On working days every agency review past its due
date comes to the group in ONE message for them all (`agency_reviews_overdue`, a digest).

Each reminder goes out at most once a day (`storage.reminders.send_reminder_once`) as outbox rows
of kind `reminder`, delivered by the dispatcher. `due_reminders` works out what is due without
writing; `queue_reminders` queues it; `run_now(app)` does that and dispatches at once (tests and
operators).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bot.context import App, Context, Services, services
from bot.delivery import partners, sender, workdays
from bot.delivery.agency_review_texts import overdue_reviews
from bot.delivery.review_keyboards import agency_key
from dialogs.plan import PANEL_WORKING_DAYS
from storage import actions, agency_reviews, joint, learning_events, plans, practitioners, referrals
from storage import reminders as sent
from storage.lifecycle import AWAITING_CHAIR, IN_REVIEW, REPORT_RECEIVED, REVIEW_PLANNED
from storage.outbox import OutboxItem, OutboxKind

log = logging.getLogger(__name__)


REMINDER_TIME = dt.time(9, 0, tzinfo=workdays.BOARD_TZ)
CATCH_UP_SECONDS = 60.0
CHAIR_OVERDUE = "chair_overdue"
AGENCY_REVIEWS_OVERDUE = "agency_reviews_overdue"  # the group's one digest a working day
AGENCY_REVIEW_AHEAD = 5  # working days before its due date a lead is reminded
PANEL_REPORT = "panel_report"
LCSPR_PROFILE = "wt2023"

# Plan date -> the statuses in which it is still outstanding (`bot/reminder.j2` names each).
DEADLINES: dict[str, tuple[str, ...]] = {
    "iar_due": (REVIEW_PLANNED,),
    "report_due": (REVIEW_PLANNED, IN_REVIEW),
    "publication_date": (REVIEW_PLANNED, IN_REVIEW, REPORT_RECEIVED),
}


@dataclass(frozen=True)
class Reminder:
    """One reminder due today: the referral, its kind, the chats, and what `bot/reminder.j2`
    says it with (plain values: days, ISO dates, a status)."""

    ref: str
    kind: str
    chats: tuple[int, ...]
    details: Mapping[str, str | int]


def due_reminders(s: Services) -> list[Reminder]:
    """Every reminder due today (none on a weekend or bank holiday); writes nothing."""
    settings = s.settings
    today = s.today()
    holidays = settings.bank_holidays
    if not workdays.is_working_day(today, holidays):
        return []
    out: list[Reminder] = []
    chair_chats = settings.decider_ids
    group = (settings.board_chat_id,) if settings.board_chat_id is not None else ()
    for referral in referrals.list_by_status(s.db, (AWAITING_CHAIR,)):
        filed = workdays.board_day(referral.created_at)
        waited = workdays.working_days_between(filed, today, holidays)
        if waited > settings.reminder_working_days and (chair_chats or group):
            overdue: dict[str, str | int] = {
                "waited": waited,
                "filed": filed.isoformat(),
                "after": settings.reminder_working_days,
            }
            out.append(Reminder(referral.ref, CHAIR_OVERDUE, chair_chats + group, overdue))
    if settings.joint:
        for ref in joint.disagreeing(s.db):
            out.append(Reminder(ref, partners.DIFFER, chair_chats + group, {}))
    if not group:
        return out
    out += clock_reminders(s, today, group)
    for plan in plans.list_plans(s.db):
        if plan.state != "done":
            continue
        planned = referrals.get_referral(s.db, plan.ref)
        if planned is None:
            continue
        panel = panel_reminder(s, planned, plan.answers.get("publication_date"), today)
        if panel is not None:
            out.append(Reminder(plan.ref, PANEL_REPORT, group, panel))
        for key, outstanding in DEADLINES.items():
            value = plan.answers.get(key)
            if planned.status not in outstanding or not isinstance(value, str):
                continue
            deadline = dt.date.fromisoformat(value)
            if today > deadline:
                details: dict[str, str | int] = {
                    "deadline": deadline.isoformat(),
                    "late": (today - deadline).days,
                    "status": planned.status,
                }
                out.append(Reminder(plan.ref, f"deadline_{key}", group, details))
    return out


def panel_reminder(
    s: Services, referral: referrals.Referral, publication: object, today: dt.date
) -> dict[str, str | int] | None:
    """The details of an LCSPR's reminder that its report goes to the Panel and the Secretary
    of State (due 7 working days before publication), or None when it is not due today."""
    if referral.profile != LCSPR_PROFILE or not isinstance(publication, str):
        return None
    if referral.status not in DEADLINES["publication_date"]:
        return None
    published = dt.date.fromisoformat(publication)
    due = workdays.working_days_before(published, PANEL_WORKING_DAYS, s.settings.bank_holidays)
    if not due <= today <= published:
        return None
    return {"due": due.isoformat(), "deadline": published.isoformat()}


def _action_reminders(s: Services, today: dt.date) -> list[Reminder]:
    """Queue today's action reminders not yet sent today (the group's digest of the overdue on
    working days, each lead's action due today); returns those queued now."""
    queued: list[Reminder] = []
    group = s.settings.board_chat_id
    overdue = actions.count_live(s.db, before=today)  # on the index: no action is read
    working = workdays.is_working_day(today, s.settings.bank_holidays)
    if overdue and group is not None and working:
        item = OutboxItem(OutboxKind.ACTIONS_OVERDUE, group, {"day": today.isoformat()})
        if actions.queue_digest_once(s.db, actions.OVERDUE_DIGEST, today, [item], s.clock()):
            queued.append(Reminder("", actions.OVERDUE_DIGEST, (group,), {"due": overdue}))
    for action in actions.due_on(s.db, today):
        leads = tuple(practitioners.leads_of(s.db, action.agency))
        payload = {"action": action.id, "due_today": True}
        items = [OutboxItem(OutboxKind.ACTION_LEAD, lead, payload) for lead in leads]
        kind = f"action_due_a{action.seq}"
        if items and sent.send_reminder_once(s.db, action.ref, kind, today, items, s.clock()):
            queued.append(Reminder(action.ref, kind, leads, {"action": action.id}))
    return queued


def _event_reminders(s: Services, today: dt.date) -> list[Reminder]:
    """Queue the reminder of each learning event on the next working day to those coming (once
    a version and day); returns those queued now."""
    queued: list[Reminder] = []
    holidays = s.settings.bank_holidays
    if not workdays.is_working_day(today, holidays):
        return queued
    for event in learning_events.scheduled(s.db):
        day = workdays.board_day(event.starts_at)
        if day <= today or workdays.working_days_before(day, 1, holidays) != today:
            continue
        people = tuple(learning_events.coming(s.db, event.ref))
        payload = {"version": event.version}
        items = [OutboxItem(OutboxKind.EVENT_REMINDER, person, payload) for person in people]
        kind = f"event_v{event.version}"
        if items and sent.send_reminder_once(s.db, event.ref, kind, today, items, s.clock()):
            queued.append(Reminder(event.ref, kind, people, {}))
    return queued


def _agency_review_reminders(s: Services, today: dt.date) -> list[Reminder]:
    """Queue today's agency review reminders not yet sent today: each lead five working days
    before the due date and on it, and the group's one message of every overdue one (on
    working days); returns those queued now."""
    queued: list[Reminder] = []
    holidays = s.settings.bank_holidays
    for review in agency_reviews.open_reviews(s.db):
        ahead = workdays.working_days_before(review.due, AGENCY_REVIEW_AHEAD, holidays)
        due_today = today == review.due
        if today != ahead and not due_today:
            continue
        holder = review.holder_id
        every_lead = tuple(practitioners.leads_of(s.db, review.agency))
        leads = (holder,) if holder is not None else every_lead
        payload = {"agency": review.agency, "today": due_today}
        items = [OutboxItem(OutboxKind.AGENCY_REVIEW_DUE, lead, payload) for lead in leads]
        kind = f"agency_review_due_{'today' if due_today else 'ahead'}_{agency_key(review.agency)}"
        if items and sent.send_reminder_once(s.db, review.ref, kind, today, items, s.clock()):
            queued.append(Reminder(review.ref, kind, leads, {"agency": review.agency}))
    group = s.settings.board_chat_id
    late = overdue_reviews(s, today)
    if late and group is not None and workdays.is_working_day(today, holidays):
        item = OutboxItem(OutboxKind.AGENCY_REVIEWS_OVERDUE, group, {"day": today.isoformat()})
        if actions.queue_digest_once(s.db, AGENCY_REVIEWS_OVERDUE, today, [item], s.clock()):
            queued.append(Reminder("", AGENCY_REVIEWS_OVERDUE, (group,), {"due": len(late)}))
    return queued


def clock_reminders(s: Services, today: dt.date, group: tuple[int, ...]) -> list[Reminder]:
    """Each open statutory clock due today or overdue: reminded to the board group (kind
    `clock_<name>`), once each working day until it is closed."""
    out = []
    holidays = s.settings.bank_holidays
    for referral in referrals.with_open_clocks(s.db):
        for clock in referral.clocks:
            if not clock.is_open or today < clock.due_on:
                continue
            details: dict[str, str | int] = {
                "label": clock.label,
                "clock": clock.name,
                "due": clock.due_on.isoformat(),
                "late": workdays.working_days_between(clock.due_on, today, holidays),
            }
            out.append(Reminder(referral.ref, f"clock_{clock.name}", group, details))
    return out


def queue_reminders(s: Services) -> list[Reminder]:
    """Queue today's reminders not yet sent today; returns those queued now."""
    today = s.today()
    queued = (
        _action_reminders(s, today)
        + _event_reminders(s, today)
        + _agency_review_reminders(s, today)
    )
    for reminder in due_reminders(s):
        payload = {"ref": reminder.ref, "reminder": reminder.kind, **reminder.details}
        items = [OutboxItem(OutboxKind.REMINDER, chat, payload) for chat in reminder.chats]
        if sent.send_reminder_once(s.db, reminder.ref, reminder.kind, today, items, s.clock()):
            queued.append(reminder)
    if queued:
        log.info("queued %d reminder(s)", len(queued))
    return queued


def _working_hours(s: Services) -> bool:
    local = s.clock().astimezone(workdays.BOARD_TZ)
    return local.time() >= REMINDER_TIME.replace(tzinfo=None)


async def remind(context: Context) -> None:
    """The job: queue today's reminders (from the reminder hour on) and dispatch them."""
    s = services(context)
    if not _working_hours(s):
        return
    if queue_reminders(s):
        sender.kick(context)


async def run_now(app: App) -> list[Reminder]:
    """Queue today's reminders whatever the hour, and dispatch them at once."""
    queued = queue_reminders(app.bot_data.services)
    if queued:
        sender.kick_app(app, "outbox-reminders")
    return queued


def start(app: App) -> None:
    """Schedule the daily reminder job, and a catch-up run shortly after start."""
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    app.job_queue.run_daily(remind, time=REMINDER_TIME, name="reminders")
    app.job_queue.run_once(remind, CATCH_UP_SECONDS, name="reminders-catch-up")
