"""An agency lead's answers on their agency's actions (SPEC §7), in their private chat.

Each action reaches the leads of its agency with `Started`, `Done` and `Can't meet the date`
(`bot.delivery.keyboards.action_keyboard`). A press counts only in the lead's own chat, from a
lead of the owning agency (or an officer), while the action is open. `Started` is recorded at
once; `Done` and `Can't meet the date` await one message (the evidence, the reason: an awaited
input, routed here by `bot.practitioner.pending`), taken through the one intake. Each change is
in the action's history and told to the board group (`services.actions.change_action`).
"""

from __future__ import annotations

from telegram import Update

from bot.context import Context, Services, Typed, services
from bot.delivery import keyboards, messaging, sender
from bot.delivery.action_notices import action_context
from dialogs import intake, texts
from services import actions as action_plan
from services.actions import lead_of
from storage import actions, inputs
from storage.actions import Action
from storage.inputs import AwaitedInput, InputKind
from templates import render

MAX_WORDS = 2000

# The lead's answers that need words, and what their words are awaited as.
AWAITED: dict[str, InputKind] = {"done": InputKind.ACTION_EVIDENCE, "late": InputKind.ACTION_LATE}
CHANGE_OF: dict[InputKind, str] = {InputKind.ACTION_EVIDENCE: "done", InputKind.ACTION_LATE: "late"}


def _refusal(s: Services, user_id: int, action: Action | None) -> str:
    """Why this person's press on this action cannot count ("" when it can)."""
    if action is None:
        return render("bot/actions/press_refused.j2", problem="unknown")
    if not (s.settings.is_officer(user_id) or lead_of(s.db, user_id, action)):
        return render("bot/actions/press_refused.j2", problem="not_yours", agency=action.agency)
    if not action.is_open:
        return render("bot/actions/press_refused.j2", problem="closed", **action_context(action))
    return ""


async def press_action(update: Update, context: Context) -> None:
    """A lead's `Started`, `Done` or `Can't meet the date` on an action."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    user_id = query.from_user.id
    parsed = keyboards.parse_action(query.data)
    found = None if parsed is None else actions.get_action(s.db, parsed.ref, parsed.seq)
    refusal = _refusal(s, user_id, found)
    if parsed is None or found is None or refusal or not keyboards.pressed_in_private(query):
        await messaging.answer_query(query, refusal or _refusal(s, user_id, None), True)
        return
    if parsed.answer in AWAITED:
        data = {"seq": found.seq}
        inputs.expect(s.db, user_id, AWAITED[parsed.answer], found.ref, data, s.clock())
        await messaging.answer_query(query)
        asked = render("bot/actions/ask_words.j2", answer=parsed.answer, id=found.id)
        await messaging.send(context, user_id, asked)
        return
    await _change(context, user_id, found, "started", intake.Accepted(""))
    await messaging.answer_query(query)


async def _change(
    context: Context, user_id: int, action: Action, change: str, words: intake.Accepted
) -> None:
    """Record the change, tell the board group, and tell the lead it is done."""
    s = services(context)
    board = [] if s.settings.board_chat_id is None else [s.settings.board_chat_id]
    changed = action_plan.change_action(s.db, action, change, user_id, words.text, s.clock(), board)
    if changed is None:
        closed = render("bot/actions/press_refused.j2", problem="closed", status=action.status)
        await messaging.send(context, user_id, closed)
        return
    sender.kick(context)
    if words.removed:
        await messaging.send(context, user_id, texts.redacted_text(words.removed))
    reply = render("bot/actions/changed.j2", change=change, removed=[], **action_context(changed))
    await messaging.send(context, user_id, reply)


async def receive_words(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    """The lead's one message of evidence or reason, for the press that asked for it; once it
    is stored (redacted) their message leaves the chat (SPEC §8)."""
    s = services(context)
    action = (
        None if not awaited.ref else actions.get_action(s.db, awaited.ref, int(awaited.data["seq"]))
    )
    if action is None:
        inputs.forget(s.db, awaited)
        return False
    try:
        words = intake.accept(typed.text, limit=MAX_WORDS, multiline=True)
    except intake.Refused as exc:
        refused = render("bot/chair/words_refused.j2", length=exc.length, limit=exc.limit)
        await messaging.send(context, awaited.user_id, refused)
        return True
    inputs.forget(s.db, awaited)
    await _change(context, awaited.user_id, action, CHANGE_OF[awaited.kind], words)
    if not await messaging.leave(context, typed):
        await messaging.send(context, awaited.user_id, render("bot/practitioner/not_deleted.j2"))
    return True
