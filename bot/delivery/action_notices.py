"""What the action plan's messages say (SPEC §7): an action to its agency's leads (with the
lead's buttons), a change to the board group (who changed it, in words), and the day's overdue
actions (a row tied to no referral: the most overdue, and how many more);
`action_context`, what every action template needs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.context import Services
from bot.delivery import keyboards
from bot.delivery.referral_texts import Rendered
from storage import actions, events, practitioners
from storage.actions import Action
from storage.outbox import OutboxRow
from storage.referrals import Referral
from templates import labels, render

DIGEST_SHOWN = 15  # the most overdue the day's digest lists; it counts the rest


def action_context(action: Action) -> dict[str, Any]:
    """What every action template needs: the action, its id and its status in words."""
    return {
        "action": action,
        "id": action.id,
        "status": labels.action_status_label(action.status),
    }


def action_lead(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    action = actions.find_action(s.db, str(row.payload["action"]))
    if action is None or not action.is_open:
        return None
    due_today = bool(row.payload.get("due_today"))
    text = render("bot/actions/to_lead.j2", due_today=due_today, **action_context(action))
    return Rendered(text, keyboards.action_keyboard(action.ref, action.seq))


def who_acted(s: Services, actor: str) -> str:
    """Who changed an action: the lead of an agency, an officer or the chair (by id)."""
    if not actor.isdigit():
        return actor
    user_id = int(actor)
    if s.settings.is_chair(user_id):
        return labels.phrase("chair", id=user_id)
    if s.settings.is_officer(user_id):
        return labels.phrase("officer", id=user_id)
    who = practitioners.get_practitioner(s.db, user_id)
    if who is not None and who.lead:
        return labels.phrase("lead", agency=who.agency)
    return labels.phrase("user", id=user_id)


def action_update(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    action = actions.find_action(s.db, str(row.payload["action"]))
    event = events.get_event(s.db, int(row.payload["event_id"]))
    if action is None or event is None:
        return None
    words = event.detail.removeprefix(action.id).removeprefix(": ")
    text = render(
        "bot/actions/update.j2",
        change=event.action,
        words=words,
        who=who_acted(s, event.actor),
        **action_context(action),
    )
    return Rendered(text)


def actions_overdue(s: Services, row: OutboxRow) -> Rendered | None:
    day = dt.date.fromisoformat(str(row.payload["day"]))
    overdue = actions.overdue_actions(s.db, day, limit=DIGEST_SHOWN)
    if not overdue:
        return None
    total = len(overdue)
    if total == DIGEST_SHOWN:
        total = actions.count_live(s.db, before=day)
    listed = [{**action_context(a), "late": (day - a.due).days} for a in overdue]
    return Rendered(render("bot/actions/overdue.j2", actions=listed, total=total))
