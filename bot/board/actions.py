"""A review's findings and action plan in the board group (SPEC §7): `/finding`, `/action`,
`/actions`, `/done` and `/drop`.

`/action REF AGENCY YYYY-MM-DD text` needs a configured agency (any case; the others are listed
when it is not one) and a real date not in the past (board time). Every text goes through the one
intake. `/done` and `/drop` work for the officers in the group, and for the lead of the agency
that owns the action (in the group or their private chat); a lead of another agency is told
whose action it is. What a lead changes is told to the board group. Each change is one use
case of `services.actions`; this module parses, calls and replies.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.board import access
from bot.context import Context, Services, services
from bot.delivery import sender
from bot.delivery.action_notices import action_context
from services import actions as action_plan
from services.actions import lead_of
from storage import actions, practitioners
from storage.actions import Action
from templates import labels, render

DATE_FORM = "YYYY-MM-DD"
SHOWN = 15  # actions `/actions` and `/actions overdue` list; the rest are counted


async def add_finding(update: Update, context: Context) -> None:
    """/finding REF text: a finding (redacted) of the review."""
    s = await access.admit(update, context, "finding")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "finding")
    if referral is None:
        return
    text = await access.command_words(update, context, "finding", 1)
    if text is None:
        return
    assert update.effective_user is not None
    try:
        found = action_plan.add_finding(
            s.db, referral.ref, update.effective_user.id, text.text, s.clock()
        )
    except action_plan.NoActionPlan as exc:
        await _not_planned(update, context, exc, "finding")
        return
    reply = render("bot/actions/finding_added.j2", finding=found, removed=text.removed)
    await access.reply(update, context, reply)


async def _not_planned(
    update: Update, context: Context, refused: action_plan.NoActionPlan, what: str
) -> None:
    """Say why the referral takes no finding or action now, and what it needs."""
    reply = render(
        "bot/actions/refused.j2",
        problem="not_planned",
        ref=refused.ref,
        status=labels.status_label(refused.status),
        needed=refused.needed,
        what=what,
    )
    await access.reply(update, context, reply)


def agency_words(words: list[str], known: dict[str, str]) -> tuple[str | None, int]:
    """The configured agency the words begin with (the longest that matches, any case) and how
    many words it takes; else None and the words before the first that starts with a digit
    (what was meant as the agency)."""
    for n in range(len(words), 0, -1):
        agency = known.get(" ".join(words[:n]).casefold())
        if agency is not None:
            return agency, n
    return None, next((i for i, w in enumerate(words) if w[:1].isdigit()), len(words))


def due_date(typed: str, today: dt.date) -> tuple[dt.date | None, str]:
    """The due date typed, or None and why not ("date_form", "date_impossible", "date_past")."""
    parts = typed.split("-")
    if (
        len(parts) != 3
        or [len(p) for p in parts] != [4, 2, 2]
        or not typed.replace("-", "").isdigit()
    ):
        return None, "date_form"
    try:
        day = dt.date.fromisoformat(typed)
    except ValueError:
        return None, "date_impossible"
    return (None, "date_past") if day < today else (day, "")


async def add_action(update: Update, context: Context) -> None:
    """/action REF AGENCY YYYY-MM-DD text: an action of the review's plan, told to its lead."""
    s = await access.admit(update, context, "action")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "action")
    if referral is None:
        return
    words = (context.args or [])[1:]
    known = {name.casefold(): name for name in s.settings.agencies}
    agency, dated = agency_words(words, known)
    if agency is None:
        wanted = " ".join(words[:dated])
        reply = render("bot/actions/refused.j2", problem="agency", wanted=wanted, agencies=known)
        await access.reply(update, context, reply)
        return
    today = s.today()
    typed = words[dated] if dated < len(words) else ""
    due, problem = due_date(typed, today) if typed else (None, "date_missing")
    if due is None:
        reply = render("bot/actions/refused.j2", problem=problem, typed=typed, today=today)
        await access.reply(update, context, reply)
        return
    text = await access.command_words(update, context, "action", 2 + dated)
    if text is None:
        return
    assert update.effective_user is not None
    try:
        added = action_plan.add_action(
            s.db, referral.ref, agency, due, text.text, update.effective_user.id, s.clock()
        )
    except action_plan.NoActionPlan as exc:
        await _not_planned(update, context, exc, "action")
        return
    sender.kick(context)
    reply = render(
        "bot/actions/action_added.j2",
        leads=added.leads,
        removed=text.removed,
        **action_context(added.action),
    )
    await access.reply(update, context, reply)


async def list_actions(update: Update, context: Context) -> None:
    """/actions [REF|overdue]: open actions (overdue first), one review's, or the overdue; the
    board-wide lists show the first `SHOWN` and count the rest."""
    s = await access.admit(update, context, "actions")
    if s is None:
        return
    args = context.args or []
    today = s.today()
    overdue = bool(args) and args[0].casefold() == "overdue"
    if not args or overdue:
        reply = render("bot/actions/list.j2", **board_list(s, overdue))
    else:
        referral = await access.referral_arg(update, context, s, "actions")
        if referral is None:
            return
        items = [action_line(a, today) for a in actions.actions_for(s.db, referral.ref)]
        reply = render(
            "bot/actions/list.j2", actions=items, ref=referral.ref, overdue=False, more=0
        )
    await access.reply(update, context, reply)


def board_list(s: Services, overdue: bool) -> dict[str, object]:
    """What `/actions` (every live action) or `/actions overdue` shows: the first `SHOWN`,
    soonest due (most overdue) first, and how many more there are, counted on the index."""
    today = s.today()
    before = today if overdue else None
    shown = actions.live_actions(s.db, SHOWN, before=before)
    more = actions.count_live(s.db, before=before) - len(shown) if len(shown) == SHOWN else 0
    items = [action_line(a, today) for a in shown]
    return {"actions": items, "ref": "", "overdue": overdue, "more": more}


def action_line(action: Action, today: dt.date) -> dict[str, object]:
    """One action as a list shows it: its context and how many days late, if overdue."""
    late = (today - action.due).days if action.overdue(today) else 0
    return {**action_context(action), "late": late}


async def _changer(update: Update, context: Context, command: str) -> Services | None:
    """The services when this person may change an action here (an officer in the board group,
    or a lead anywhere: their agency is checked once the action is known); else says why."""
    assert update.effective_user is not None and update.effective_chat is not None
    s = services(context)
    who = practitioners.get_practitioner(s.db, update.effective_user.id)
    in_group = update.effective_chat.id == s.settings.board_chat_id
    if (in_group and s.settings.is_officer(update.effective_user.id)) or (who and who.lead):
        return s
    return await access.admit(update, context, command)


async def _owned(update: Update, context: Context, s: Services, command: str) -> Action | None:
    """The action named by the first argument, if this person may change it; else says why."""
    assert update.effective_user is not None and update.effective_chat is not None
    args = context.args or []
    if not args or actions.parse_action_id(args[0]) is None:
        problem = "missing_id" if not args else "bad_id"
        await access.usage(update, context, command, problem)
        return None
    action = actions.find_action(s.db, args[0])
    if action is None:
        reply = render("bot/actions/refused.j2", problem="unknown", typed=args[0].upper())
        await access.reply(update, context, reply)
        return None
    user_id = update.effective_user.id
    in_group = update.effective_chat.id == s.settings.board_chat_id
    if not (in_group and s.settings.is_officer(user_id)) and not lead_of(s.db, user_id, action):
        reply = render("bot/actions/refused.j2", problem="not_yours", **action_context(action))
        await access.reply(update, context, reply)
        return None
    return action


async def change(update: Update, context: Context, command: str, what: str) -> None:
    """Close an action (`what`: "done" or "dropped") with the words after its id."""
    s = await _changer(update, context, command)
    if s is None:
        return
    action = await _owned(update, context, s, command)
    if action is None:
        return
    text = await access.command_words(update, context, command, 1)
    if text is None:
        return
    assert update.effective_user is not None and update.effective_chat is not None
    board = s.settings.board_chat_id
    tell = [board] if board is not None and update.effective_chat.id != board else []
    user_id = update.effective_user.id
    changed = action_plan.change_action(s.db, action, what, user_id, text.text, s.clock(), tell)
    if changed is None:
        reply = render("bot/actions/refused.j2", problem="closed", **action_context(action))
        await access.reply(update, context, reply)
        return
    sender.kick(context)
    reply = render(
        "bot/actions/changed.j2",
        change=what,
        removed=text.removed,
        **action_context(changed),
    )
    await access.reply(update, context, reply)


async def close_action(update: Update, context: Context) -> None:
    """/done ID evidence: the action is done, with its evidence."""
    await change(update, context, "done", "done")


async def drop_action(update: Update, context: Context) -> None:
    """/drop ID reason: the action is dropped, with the reason."""
    await change(update, context, "drop", "dropped")
