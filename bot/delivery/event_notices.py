"""What a review's learning event and themes say (SPEC §9): an invitation (or the event moved)
to each invitee with `I'll come` / `I can't come`, the reminder the working day before to those
coming, the first feedback question to each attendee, the review's themes to the board group;
and `when_words`, an event's date and times in the board's time, which the board's replies
share.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.context import Services
from bot.delivery import review_keyboards, workdays
from bot.delivery.referral_texts import Rendered
from dialogs.core.prompts import DialogStateError
from storage import event_feedback, learning_events, plans, themes
from storage.learning_events import LearningEvent
from storage.outbox import OutboxRow
from storage.referrals import Referral
from templates import render


def when_words(event: LearningEvent) -> dict[str, str]:
    """The event's day, start and end as the board reads them (Europe/London)."""
    start = event.starts_at.astimezone(workdays.BOARD_TZ)
    end = event.ends_at.astimezone(workdays.BOARD_TZ)
    day = f"{start:%A} {start.day} {start:%B %Y}"
    ends = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%H:%M} on {end:%d %B}"
    return {"day": day, "start": f"{start:%H:%M}", "end": ends}


def enquiry_of(s: Services, ref: str) -> list[str]:
    """The plan's key lines of enquiry (none while not answered)."""
    plan = plans.get_plan(s.db, ref)
    lines = plan.answers.get("enquiry", []) if plan is not None else []
    return [str(line) for line in lines] if isinstance(lines, list) else []


def invitation(
    s: Services, event: LearningEvent, user_id: int, moved: bool, now: dt.datetime
) -> Rendered:
    """One invitee's invitation as it stands: the event, their answer, and the buttons while
    the event has not begun."""
    invited = learning_events.invitation(s.db, event.ref, user_id)
    context: dict[str, Any] = {
        "ref": event.ref,
        "place": event.place,
        "enquiry": enquiry_of(s, event.ref),
        "moved": moved,
        "answer": invited.answer if invited is not None else None,
        "started": event.started(now),
        **when_words(event),
    }
    markup = (
        None
        if event.started(now)
        else review_keyboards.invitation_keyboard(event.ref, event.version)
    )
    return Rendered(render("bot/events/invitation.j2", **context), markup)


def event_invite(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """An invitation (or the news that the event moved) to one invitee; nothing when the event
    moved again since (a newer row says so), has begun, or they are no longer invited."""
    event = learning_events.get_event(s.db, referral.ref)
    now = s.clock()
    if event is None or int(row.payload.get("version", 0)) != event.version or event.started(now):
        return None
    if learning_events.invitation(s.db, event.ref, row.chat_id) is None:
        return None
    return invitation(s, event, row.chat_id, bool(row.payload.get("moved")), now)


def event_reminder(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """The event tomorrow (the next working day), to one who is coming."""
    event = learning_events.get_event(s.db, referral.ref)
    if event is None or event.started(s.clock()) or event.version != row.payload.get("version"):
        return None
    if row.chat_id not in learning_events.coming(s.db, event.ref):
        return None
    text = render("bot/events/reminder.j2", ref=event.ref, place=event.place, **when_words(event))
    return Rendered(text, review_keyboards.invitation_keyboard(event.ref, event.version))


def feedback_question(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """The feedback questions' first (or current) question, to one attendee; nothing once
    they finished."""
    found = event_feedback.session(s.db, referral.ref, row.chat_id)
    if found is None or found.done:
        return None
    try:
        session = s.dialogs.feedback.restore(found.ref, found.state, dict(found.answers))
    except DialogStateError:
        return None
    prompt = session.current_prompt()
    text = render("bot/events/feedback_intro.j2", ref=referral.ref, prompt=prompt.text)
    return Rendered(text, review_keyboards.feedback_keyboard(referral.ref, prompt))


def themes_settled(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
    """The review's themes, settled, to the board group."""
    chosen = themes.themes_of(s.db, referral.ref)
    text = render(
        "bot/events/themes_done.j2", ref=referral.ref, themes=chosen, by=row.payload.get("by", "")
    )
    return Rendered(text)
